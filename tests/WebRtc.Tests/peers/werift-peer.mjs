// Stand-in for Meta's media server in interop tests: a werift peer configured ICE-lite (like Meta), speaking
// JSON lines on stdin/stdout. Usage: node werift-peer.mjs offer|answer
//   offer:  prints {type:"offer",sdp} and waits for {type:"answer",sdp}
//   answer: waits for {type:"offer",sdp} and prints {type:"answer",sdp}
// Afterwards it prints {type:"connected"}, sends a 20 ms Opus-sized RTP packet every 20 ms, reports
// {type:"received",count,bytes} at milestones, and exits on {type:"stop"} or stdin end.
import { createInterface } from "node:readline";
import {
  MediaStreamTrack,
  RTCPeerConnection,
  RTCRtpCodecParameters,
  RtpHeader,
  RtpPacket,
} from "werift";

const mode = process.argv[2];
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");
const log = (text) => process.stderr.write(`[werift] ${text}\n`);

const pc = new RTCPeerConnection({
  iceLite: true,
  iceServers: [],
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceInterfaceAddresses: { udp4: "127.0.0.1" },
  codecs: {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 }),
    ],
  },
});

const track = new MediaStreamTrack({ kind: "audio" });
pc.addTransceiver(track, { direction: "sendrecv" });

let received = 0;
let receivedBytes = 0;
const milestones = new Set([1, 5, 10, 25, 50, 100]);
pc.onTrack.subscribe((remote) => {
  remote.onReceiveRtp.subscribe((rtp) => {
    received += 1;
    receivedBytes += rtp.payload.length;
    if (milestones.has(received)) {
      send({ type: "received", count: received, bytes: receivedBytes });
    }
  });
});

let timer;
pc.connectionStateChange.subscribe((state) => {
  log(`connection ${state}`);
  if (state === "connected" && !timer) {
    send({ type: "connected" });
    let sequence = Math.floor(Math.random() * 65536);
    let timestamp = Math.floor(Math.random() * 2 ** 31);
    const payload = Buffer.alloc(80, 0);
    payload[0] = 0xf8;
    timer = setInterval(() => {
      const header = new RtpHeader({ payloadType: 111, sequenceNumber: sequence, timestamp, marker: false });
      track.writeRtp(new RtpPacket(header, payload));
      sequence = (sequence + 1) & 0xffff;
      timestamp = (timestamp + 960) >>> 0;
    }, 20);
  }
  if (state === "failed" || state === "closed") {
    send({ type: state });
  }
});

async function localDescription(create) {
  const description = await create();
  await pc.setLocalDescription(description);
  return pc.localDescription.sdp;
}

const lines = createInterface({ input: process.stdin });
if (mode === "offer") {
  send({ type: "offer", sdp: await localDescription(() => pc.createOffer()) });
}

for await (const line of lines) {
  if (!line.trim()) continue;
  const message = JSON.parse(line);
  if (message.type === "offer") {
    await pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
    send({ type: "answer", sdp: await localDescription(() => pc.createAnswer()) });
  } else if (message.type === "answer") {
    await pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
  } else if (message.type === "stop") {
    break;
  }
}

clearInterval(timer);
await pc.close();
process.exit(0);
