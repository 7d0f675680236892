// RFC 3711 §4.1.1 (AES-CM IV = salt XOR SSRC·2^64 XOR index·2^16), §4.2 (HMAC-SHA1 authentication; the tag is
// the leftmost n bits), §4.3 (session keys derived per label set: RTP 0–2, RTCP 3–5).
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaRelay.WebRtc.Srtp;

/// <summary>Session keys of one label set (RTP or RTCP) with the preallocated cipher and MAC they drive.</summary>
internal sealed class SrtpSessionCipher : IDisposable
{
    public const int SaltLength = 14;
    private const int AuthKeyLength = 20;
    private readonly AesCounterMode _cipher;
    private readonly IncrementalHash _mac;
    private readonly byte[] _salt = new byte[SaltLength];

    public SrtpSessionCipher(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte firstLabel)
    {
        Span<byte> key = stackalloc byte[masterKey.Length];
        Span<byte> authKey = stackalloc byte[AuthKeyLength];
        SrtpKeyDerivation.Derive(masterKey, masterSalt, firstLabel, key);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, (byte)(firstLabel + 1), authKey);
        SrtpKeyDerivation.Derive(masterKey, masterSalt, (byte)(firstLabel + 2), _salt);
        _cipher = new AesCounterMode(key);
        _mac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, authKey);
        CryptographicOperations.ZeroMemory(key);
        CryptographicOperations.ZeroMemory(authKey);
    }

    /// <summary>XORs the keystream for (<paramref name="ssrc"/>, <paramref name="index"/>) into <paramref name="data"/>.</summary>
    public void Transform(uint ssrc, long index, Span<byte> data)
    {
        Span<byte> iv = stackalloc byte[16];
        _salt.CopyTo(iv);
        iv[14] = 0;
        iv[15] = 0;
        iv[4] ^= (byte)(ssrc >> 24);
        iv[5] ^= (byte)(ssrc >> 16);
        iv[6] ^= (byte)(ssrc >> 8);
        iv[7] ^= (byte)ssrc;
        for (int i = 0; i < 6; i++)
        {
            iv[13 - i] ^= (byte)(index >> (8 * i));
        }

        _cipher.Apply(iv, data);
    }

    /// <summary>Computes the tag over <paramref name="authenticated"/> (‖ ROC for SRTP) into <paramref name="tag"/>.</summary>
    public void ComputeTag(ReadOnlySpan<byte> authenticated, uint? rolloverCounter, Span<byte> tag)
    {
        _mac.AppendData(authenticated);
        if (rolloverCounter is uint roc)
        {
            Span<byte> rocBytes = stackalloc byte[4];
            BinaryPrimitives.WriteUInt32BigEndian(rocBytes, roc);
            _mac.AppendData(rocBytes);
        }

        Span<byte> full = stackalloc byte[20];
        _mac.TryGetHashAndReset(full, out _);
        full[..tag.Length].CopyTo(tag);
    }

    /// <summary>Constant-time check of the tag that ends <paramref name="packet"/>.</summary>
    public bool VerifyTag(ReadOnlySpan<byte> authenticated, uint? rolloverCounter, ReadOnlySpan<byte> receivedTag)
    {
        Span<byte> computed = stackalloc byte[receivedTag.Length];
        ComputeTag(authenticated, rolloverCounter, computed);
        return CryptographicOperations.FixedTimeEquals(computed, receivedTag);
    }

    public void Dispose()
    {
        _cipher.Dispose();
        _mac.Dispose();
    }
}
