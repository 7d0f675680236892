// Stand-in for Meta's media server in the relay tests: werift configured ICE-lite with an actpass offer (the shape
// of Meta's offers, webrtc-relay.md §7.2), speaking JSON lines on stdin/stdout.
//   node meta-peer.mjs offer   prints {type:"offer",sdp}, then takes {type:"answer",sdp}
//   node meta-peer.mjs answer  takes {type:"offer",sdp}, prints {type:"answer",sdp}
// Once connected it sends a 20 ms Opus packet every 20 ms whose payload is a CELT frame of random bytes (decodes
// to noise: audible energy, unlike the relay's 3-byte silence). {type:"stats"} is answered with what it received:
// packets, packets with a payload over 20 bytes (real audio, not silence), the SSRCs seen and the largest
// sequence-number jump.
// {type:"inject", packets:[...]} sends test datagrams from werift's own ICE socket (the address the relay selected),
// each {raw: base64} as is, or {srtp: {ssrc, payloadType, sequenceNumber, timestamp, padding, payload: base64},
// corruptTag} protected with werift's SRTP keys (last tag byte flipped when corruptTag); answered {type:"injected"}.
import { createInterface } from "node:readline";
import { randomBytes } from "node:crypto";
import { MediaStreamTrack, RTCPeerConnection, RTCRtpCodecParameters, RtpHeader, RtpPacket } from "werift";

const mode = process.argv[2];
const send = (message) => process.stdout.write(JSON.stringify(message) + "\n");

const pc = new RTCPeerConnection({
  iceLite: true,
  iceServers: [],
  iceUseIpv6: false,
  iceAdditionalHostAddresses: ["127.0.0.1"],
  iceInterfaceAddresses: { udp4: "127.0.0.1" },
  codecs: { audio: [new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 })] },
});
const track = new MediaStreamTrack({ kind: "audio" });
pc.addTransceiver(track, { direction: "sendrecv" });

const stats = { received: 0, audio: 0, ssrcs: [], maxSeqJump: 0 };
let lastSeq = -1;
pc.onTrack.subscribe((remote) => {
  remote.onReceiveRtp.subscribe((rtp) => {
    stats.received += 1;
    if (rtp.payload.length > 20) stats.audio += 1;
    if (!stats.ssrcs.includes(rtp.header.ssrc)) stats.ssrcs.push(rtp.header.ssrc);
    if (lastSeq >= 0) {
      const jump = (rtp.header.sequenceNumber - lastSeq + 65536) % 65536;
      if (jump < 32768 && jump > stats.maxSeqJump) stats.maxSeqJump = jump;
    }
    lastSeq = rtp.header.sequenceNumber;
  });
});

let timer;
pc.connectionStateChange.subscribe((state) => {
  if (state === "connected" && !timer) {
    send({ type: "connected" });
    let sequence = Math.floor(Math.random() * 65536);
    let timestamp = Math.floor(Math.random() * 2 ** 31);
    timer = setInterval(() => {
      const payload = Buffer.concat([Buffer.from([0xf8]), randomBytes(60)]);
      track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: sequence, timestamp }), payload));
      sequence = (sequence + 1) & 0xffff;
      timestamp = (timestamp + 960) >>> 0;
    }, 20);
  }
  if (state === "failed" || state === "closed") send({ type: state });
});

async function local(create) {
  await pc.setLocalDescription(await create());
  return pc.localDescription.sdp;
}

if (mode === "offer") send({ type: "offer", sdp: await local(() => pc.createOffer()) });
for await (const line of createInterface({ input: process.stdin })) {
  if (!line.trim()) continue;
  const message = JSON.parse(line);
  if (message.type === "offer") {
    await pc.setRemoteDescription({ type: "offer", sdp: message.sdp });
    send({ type: "answer", sdp: await local(() => pc.createAnswer()) });
  } else if (message.type === "answer") {
    await pc.setRemoteDescription({ type: "answer", sdp: message.sdp });
  } else if (message.type === "inject") {
    const connection = pc.iceTransports[0].connection;
    const srtp = pc.dtlsTransports[0].srtp;
    for (const packet of message.packets) {
      let datagram;
      if (packet.raw !== undefined) {
        datagram = Buffer.from(packet.raw, "base64");
      } else {
        const { payload, ...fields } = packet.srtp;
        datagram = Buffer.from(srtp.encrypt(Buffer.from(payload, "base64"), new RtpHeader(fields)));
        if (packet.corruptTag) datagram[datagram.length - 1] ^= 0x01;
      }
      await connection.send(datagram);
    }
    send({ type: "injected", count: message.packets.length });
  } else if (message.type === "stats") {
    send({ type: "stats", ...stats });
  } else if (message.type === "stop") {
    break;
  }
}
clearInterval(timer);
await pc.close();
process.exit(0);
