// RFC 3711 §3.1 (SRTP: header ‖ E(payload) ‖ tag; tag over header ‖ E(payload) ‖ ROC), §3.4 (SRTCP:
// header(8) ‖ E(rest) ‖ E-flag‖index ‖ tag; tag over everything before it), §4.1.1 (AES-CM), §4.2 (HMAC-SHA1).
using System.Buffers.Binary;

namespace MediaRelay.WebRtc.Srtp;

internal sealed class AesCmHmacSha1Cipher : ISrtpCipher
{
    private const int RtcpTagLength = 10; // SRTCP keeps the 80-bit tag even for the _32 profile (RFC 5764 §4.1.2)
    private readonly SrtpSessionCipher _rtp;
    private readonly SrtpSessionCipher _rtcp;
    private readonly int _rtpTagLength;

    public AesCmHmacSha1Cipher(SrtpMasterKey masterKey, int rtpTagLength)
    {
        _rtp = new SrtpSessionCipher(masterKey.Key, masterKey.Salt, SrtpKeyDerivation.RtpEncryptionLabel);
        _rtcp = new SrtpSessionCipher(masterKey.Key, masterKey.Salt, SrtpKeyDerivation.RtcpEncryptionLabel);
        _rtpTagLength = rtpTagLength;
    }

    public int RtpOverhead => _rtpTagLength;

    public int RtcpOverhead => 4 + RtcpTagLength;

    public int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, uint rolloverCounter, ushort sequence)
    {
        _rtp.Transform(ssrc, ((long)rolloverCounter << 16) | sequence, buffer[headerLength..length]);
        _rtp.ComputeTag(buffer[..length], rolloverCounter, buffer.Slice(length, _rtpTagLength));
        return length + _rtpTagLength;
    }

    public int UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, uint rolloverCounter, ushort sequence)
    {
        int bodyLength = packet.Length - _rtpTagLength;
        if (!_rtp.VerifyTag(packet[..bodyLength], rolloverCounter, packet[bodyLength..]))
        {
            return -1;
        }

        _rtp.Transform(ssrc, ((long)rolloverCounter << 16) | sequence, packet[headerLength..bodyLength]);
        return bodyLength;
    }

    public int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        _rtcp.Transform(ssrc, index, buffer[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], 0x80000000 | index);
        int authenticated = length + 4;
        _rtcp.ComputeTag(buffer[..authenticated], null, buffer.Slice(authenticated, RtcpTagLength));
        return authenticated + RtcpTagLength;
    }

    public int RtcpIndexOffset(int packetLength) => packetLength - RtcpTagLength - 4;

    public int UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex)
    {
        int authenticated = packet.Length - RtcpTagLength;
        if (!_rtcp.VerifyTag(packet[..authenticated], null, packet[authenticated..]))
        {
            return -1;
        }

        int length = authenticated - 4;
        if ((eAndIndex & 0x80000000) != 0)
        {
            _rtcp.Transform(ssrc, eAndIndex & 0x7FFFFFFF, packet[8..length]);
        }

        return length;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
