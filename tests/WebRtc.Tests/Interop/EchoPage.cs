namespace MediaRelay.WebRtc.Tests.Interop;

/// <summary>The browser side of the Chromium interop tests (fake microphone, remote audio on an audio element).</summary>
internal static class EchoPage
{
    public const string Html = """
        <!doctype html>
        <html><body>
        <audio id="remote" autoplay></audio>
        <script>
        let pc;
        async function openPeer() {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          pc = new RTCPeerConnection({ iceServers: [] });
          stream.getTracks().forEach(t => pc.addTrack(t, stream));
          pc.ontrack = e => {
            const audio = document.getElementById('remote');
            audio.srcObject = e.streams[0] || new MediaStream([e.track]);
            audio.play().catch(() => {});
          };
        }
        // The relay offers (ice-lite, actpass); Chromium answers (active, DTLS client).
        window.answerOffer = async (offer) => {
          await openPeer();
          await pc.setRemoteDescription({ type: 'offer', sdp: offer });
          await pc.setLocalDescription(await pc.createAnswer());
          return pc.localDescription.sdp;
        };
        // Chromium offers (actpass); the relay answers (ice-lite, passive, DTLS server).
        window.createOffer = async () => {
          await openPeer();
          await pc.setLocalDescription(await pc.createOffer());
          return pc.localDescription.sdp;
        };
        window.acceptAnswer = async (answer) => { await pc.setRemoteDescription({ type: 'answer', sdp: answer }); };
        // A fresh offer from a throw-away peer connection, for the SDP round-trip test.
        window.freshOffer = async () => {
          const probe = new RTCPeerConnection();
          probe.addTransceiver('audio', { direction: 'sendrecv' });
          const offer = await probe.createOffer();
          probe.close();
          return offer.sdp;
        };
        // Polls getStats until echoed audio with energy arrived, or gives up after maxMillis and returns the last
        // snapshot so a failure explains itself (the test's hang guard is longer).
        window.waitForEchoedAudio = async (maxMillis) => {
          const started = performance.now();
          for (;;) {
            const stats = await pc.getStats();
            let inbound, transport, pair;
            stats.forEach(s => {
              if (s.type === 'inbound-rtp' && s.kind === 'audio') inbound = s;
              if (s.type === 'transport') transport = s;
              if (s.type === 'candidate-pair' && s.nominated) pair = s;
            });
            const snapshot = {
              ok: !!(inbound && inbound.bytesReceived > 0 && inbound.totalAudioEnergy > 0),
              packetsReceived: inbound ? inbound.packetsReceived : -1, bytesReceived: inbound ? inbound.bytesReceived : -1,
              totalAudioEnergy: inbound ? inbound.totalAudioEnergy : -1,
              totalSamplesReceived: inbound ? inbound.totalSamplesReceived : -1,
              srtpCipher: transport ? transport.srtpCipher : '', dtlsState: transport ? transport.dtlsState : '',
              iceState: pc.iceConnectionState, pairBytesReceived: pair ? pair.bytesReceived : -1,
              audioPaused: document.getElementById('remote').paused,
            };
            if (snapshot.ok || performance.now() - started > maxMillis) return snapshot;
            await new Promise(r => setTimeout(r, 200));
          }
        };
        </script>
        </body></html>
        """;
}
