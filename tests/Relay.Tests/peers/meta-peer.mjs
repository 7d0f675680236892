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
// {type:"dtmf", digits} presses each key as Meta does (RFC 4733, PT 126 at 8000 Hz, in place of audio on the audio
// stream's SSRC, sequence and timestamp): four updates, the end packet three times (100 ms), then audio again;
// answered {type:"dtmfSent"} once the last packet is out.
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
  codecs: {
    audio: [
      new RTCRtpCodecParameters({ mimeType: "audio/opus", clockRate: 48000, channels: 2, payloadType: 111 }),
      new RTCRtpCodecParameters({ mimeType: "audio/telephone-event", clockRate: 8000, payloadType: 126 }),
    ],
  },
});
const track = new MediaStreamTrack({ kind: "audio" });
const transceiver = pc.addTransceiver(track, { direction: "sendrecv" });
const dtmfQueue = []; // per 20 ms tick: {code, end, duration, start} for a telephone-event packet, null for audio
const dtmfCodes = "0123456789*#ABCD";

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
    let eventTimestamp = 0;
    timer = setInterval(() => {
      const dtmf = dtmfQueue.length > 0 ? dtmfQueue.shift() : undefined;
      if (dtmf) {
        if (dtmf.start) eventTimestamp = timestamp;
        const payload = Buffer.alloc(4);
        payload.writeUInt8(dtmf.code, 0);
        payload.writeUInt8((dtmf.end ? 0x80 : 0) | 10, 1);
        payload.writeUInt16BE(dtmf.duration, 2);
        const header = new RtpHeader({ payloadType: 126, sequenceNumber: sequence, timestamp: eventTimestamp, marker: dtmf.start, ssrc: transceiver.sender.ssrc });
        pc.dtlsTransports[0].sendRtp(payload, header);
      } else {
        const payload = Buffer.concat([Buffer.from([0xf8]), randomBytes(60)]);
        track.writeRtp(new RtpPacket(new RtpHeader({ payloadType: 111, sequenceNumber: sequence, timestamp }), payload));
      }
      if (dtmf !== undefined && dtmfQueue.length === 0) send({ type: "dtmfSent" });
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
  } else if (message.type === "dtmf") {
    for (const key of message.digits) {
      const code = dtmfCodes.indexOf(key);
      for (let i = 1; i <= 4; i++) dtmfQueue.push({ code, end: false, duration: 160 * i, start: i === 1 });
      for (let i = 0; i < 3; i++) dtmfQueue.push({ code, end: true, duration: 800, start: false });
      dtmfQueue.push(null, null);
    }
  } else if (message.type === "stats") {
    send({ type: "stats", ...stats });
  } else if (message.type === "stop") {
    break;
  }
}
clearInterval(timer);
await pc.close();
process.exit(0);
