// RFC 7714 §8.1 (RTP IV = 00 00 ‖ SSRC ‖ ROC ‖ SEQ XOR salt), §8.2 (AAD = RTP header; output = ciphertext ‖ tag),
// §9.1 (SRTCP IV = 00 00 ‖ SSRC ‖ 00 00 ‖ 0‖index XOR salt), §9.2 (AAD = first 8 octets ‖ E‖index; packet =
// header ‖ ciphertext ‖ tag ‖ E‖index), §11 (keys from the RFC 3711 KDF with a 96-bit salt), §14.2 (16-octet tag).
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaRelay.WebRtc.Srtp;

internal sealed class AesGcmCipher : ISrtpCipher
{
    public const int SaltLength = 12;
    private const int TagLength = 16;
    private readonly AesGcm _rtp;
    private readonly AesGcm _rtcp;
    private readonly byte[] _rtpSalt;
    private readonly byte[] _rtcpSalt;

    private AesGcmCipher(byte[] rtpKey, byte[] rtpSalt, byte[] rtcpKey, byte[] rtcpSalt)
    {
        _rtp = new AesGcm(rtpKey, TagLength);
        _rtcp = new AesGcm(rtcpKey, TagLength);
        _rtpSalt = rtpSalt;
        _rtcpSalt = rtcpSalt;
    }

    public int RtpOverhead => TagLength;

    public int RtcpOverhead => TagLength + 4;

    public static AesGcmCipher FromMasterKey(SrtpMasterKey masterKey)
    {
        byte[] Derive(byte label, int length)
        {
            byte[] output = new byte[length];
            SrtpKeyDerivation.Derive(masterKey.Key, masterKey.Salt, label, output);
            return output;
        }

        return new AesGcmCipher(
            Derive(SrtpKeyDerivation.RtpEncryptionLabel, masterKey.Key.Length), Derive(SrtpKeyDerivation.RtpSaltLabel, SaltLength),
            Derive(SrtpKeyDerivation.RtcpEncryptionLabel, masterKey.Key.Length), Derive(SrtpKeyDerivation.RtcpSaltLabel, SaltLength));
    }

    /// <summary>Uses session keys directly (RFC 7714 §16/§17 test vectors are given that way).</summary>
    public static AesGcmCipher FromSessionKeys(byte[] key, byte[] salt) => new(key, salt, key, salt);

    public int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, uint rolloverCounter, ushort sequence)
    {
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, rolloverCounter, sequence);
        var payload = buffer[headerLength..length];
        _rtp.Encrypt(iv, payload, payload, buffer.Slice(length, TagLength), buffer[..headerLength]);
        return length + TagLength;
    }

    public int UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, uint rolloverCounter, ushort sequence)
    {
        int bodyLength = packet.Length - TagLength;
        Span<byte> iv = stackalloc byte[12];
        RtpIv(iv, ssrc, rolloverCounter, sequence);
        var payload = packet[headerLength..bodyLength];
        try
        {
            _rtp.Decrypt(iv, payload, packet[bodyLength..], payload, packet[..headerLength]);
            return bodyLength;
        }
        catch (AuthenticationTagMismatchException)
        {
            return -1;
        }
    }

    public int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index)
    {
        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, index);
        Span<byte> aad = stackalloc byte[12];
        buffer[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], 0x80000000 | index);
        var payload = buffer[8..length];
        _rtcp.Encrypt(iv, payload, payload, buffer.Slice(length, TagLength), aad);
        aad[8..].CopyTo(buffer[(length + TagLength)..]);
        return length + TagLength + 4;
    }

    public int RtcpIndexOffset(int packetLength) => packetLength - 4;

    public int UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex)
    {
        if ((eAndIndex & 0x80000000) == 0)
        {
            return -1; // unencrypted SRTCP (RFC 7714 §9.3) is never used by WebRTC peers; treat as invalid
        }

        int length = packet.Length - TagLength - 4;
        Span<byte> iv = stackalloc byte[12];
        RtcpIv(iv, ssrc, eAndIndex & 0x7FFFFFFF);
        Span<byte> aad = stackalloc byte[12];
        packet[..8].CopyTo(aad);
        BinaryPrimitives.WriteUInt32BigEndian(aad[8..], eAndIndex);
        var payload = packet[8..length];
        try
        {
            _rtcp.Decrypt(iv, payload, packet.Slice(length, TagLength), payload, aad);
            return length;
        }
        catch (AuthenticationTagMismatchException)
        {
            return -1;
        }
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }

    private void RtpIv(Span<byte> iv, uint ssrc, uint rolloverCounter, ushort sequence)
    {
        iv[0] = 0;
        iv[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        BinaryPrimitives.WriteUInt32BigEndian(iv[6..], rolloverCounter);
        BinaryPrimitives.WriteUInt16BigEndian(iv[10..], sequence);
        Xor(iv, _rtpSalt);
    }

    private void RtcpIv(Span<byte> iv, uint ssrc, uint index)
    {
        iv[0] = 0;
        iv[1] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[2..], ssrc);
        iv[6] = 0;
        iv[7] = 0;
        BinaryPrimitives.WriteUInt32BigEndian(iv[8..], index & 0x7FFFFFFF);
        Xor(iv, _rtcpSalt);
    }

    private static void Xor(Span<byte> iv, ReadOnlySpan<byte> salt)
    {
        for (int i = 0; i < iv.Length; i++)
        {
            iv[i] ^= salt[i];
        }
    }
}
