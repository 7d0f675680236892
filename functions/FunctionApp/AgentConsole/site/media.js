// The browser's audio leg to the media relay: the console offers, the relay answers (ICE-lite, DTLS server),
// so no candidates need to travel after the offer (docs/RELAY-API.md).

const GatheringCapMs = 1500;

/** Microphone + peer connection + a complete offer (host candidates gathered, bounded by a short cap). */
export async function openAgentLeg(remoteAudio, onState) {
  if (!navigator.mediaDevices?.getUserMedia) {
    throw new Error('This browser cannot use a microphone here (the console must be opened over https or on localhost).');
  }
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia({ audio: true, video: false });
  } catch (e) {
    throw new Error(`The microphone is not available (${e.name}). Allow microphone access for this page and try again.`);
  }
  const pc = new RTCPeerConnection({ bundlePolicy: 'max-bundle', rtcpMuxPolicy: 'require' });
  for (const track of stream.getAudioTracks()) pc.addTrack(track, stream);
  pc.ontrack = (event) => {
    if (remoteAudio) remoteAudio.srcObject = event.streams[0] ?? new MediaStream([event.track]);
  };
  pc.onconnectionstatechange = () => onState?.(pc.connectionState);
  const offer = await pc.createOffer();
  await pc.setLocalDescription(offer);
  await gatheringComplete(pc);
  return {
    pc,
    stream,
    sdpOffer: pc.localDescription.sdp,
    async applyAnswer(sdpAnswer) {
      await pc.setRemoteDescription({ type: 'answer', sdp: sdpAnswer });
    },
    setMuted(muted) {
      for (const track of stream.getAudioTracks()) track.enabled = !muted;
    },
    close() {
      for (const track of stream.getTracks()) track.stop();
      pc.close();
      if (remoteAudio) remoteAudio.srcObject = null;
    },
  };
}

function gatheringComplete(pc) {
  if (pc.iceGatheringState === 'complete') return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(cap);
      pc.removeEventListener('icegatheringstatechange', check);
      resolve();
    };
    const check = () => { if (pc.iceGatheringState === 'complete') done(); };
    // The relay is ICE-lite and learns the browser's address from its checks, so a partial offer still works.
    const cap = setTimeout(done, GatheringCapMs);
    pc.addEventListener('icegatheringstatechange', check);
  });
}
