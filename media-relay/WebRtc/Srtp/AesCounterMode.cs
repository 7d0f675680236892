// RFC 3711 §4.1.1: AES in counter mode. The 128-bit IV supplies the first counter block; the low 16 bits count
// 16-byte blocks. .NET has no CTR mode, so counter blocks are encrypted with a cached ECB transform.
using System.Numerics;
using System.Security.Cryptography;

namespace MediaRelay.WebRtc.Srtp;

/// <summary>
/// Reusable AES-CM keystream generator. Buffers are preallocated, so <see cref="Apply"/> does not allocate.
/// Not thread-safe: one instance per SRTP context and direction.
/// </summary>
public sealed class AesCounterMode : IDisposable
{
    private const int MaxBlocksPerCall = 96; // 1536 bytes: a full Ethernet-MTU payload in one transform call
    private readonly Aes _aes;
    private readonly ICryptoTransform _encryptor;
    private readonly byte[] _counters = new byte[16 * MaxBlocksPerCall];
    private readonly byte[] _keystream = new byte[16 * MaxBlocksPerCall];

    public AesCounterMode(ReadOnlySpan<byte> key)
    {
        _aes = Aes.Create();
        _aes.Key = key.ToArray();
        _aes.Mode = CipherMode.ECB;
        _aes.Padding = PaddingMode.None;
        _encryptor = _aes.CreateEncryptor();
    }

    /// <summary>XORs the keystream that starts at counter block <paramref name="iv"/> into <paramref name="data"/>.</summary>
    public void Apply(ReadOnlySpan<byte> iv, Span<byte> data)
    {
        int blockIndex = 0;
        while (!data.IsEmpty)
        {
            int chunk = Math.Min(data.Length, _keystream.Length);
            int blocks = (chunk + 15) / 16;
            for (int b = 0; b < blocks; b++)
            {
                var counter = _counters.AsSpan(16 * b, 16);
                iv[..14].CopyTo(counter);
                int n = ((iv[14] << 8) | iv[15]) + blockIndex + b;
                counter[14] = (byte)(n >> 8);
                counter[15] = (byte)n;
            }

            _encryptor.TransformBlock(_counters, 0, 16 * blocks, _keystream, 0);
            Xor(data[..chunk], _keystream.AsSpan(0, chunk));
            data = data[chunk..];
            blockIndex += blocks;
        }
    }

    /// <summary>Writes raw keystream (used by the RFC 3711 B.2 test).</summary>
    public void Keystream(ReadOnlySpan<byte> iv, Span<byte> output)
    {
        output.Clear();
        Apply(iv, output);
    }

    public void Dispose()
    {
        _encryptor.Dispose();
        _aes.Dispose();
    }

    private static void Xor(Span<byte> data, ReadOnlySpan<byte> keystream)
    {
        int i = 0;
        int width = Vector<byte>.Count;
        for (; i + width <= data.Length; i += width)
        {
            (new Vector<byte>(data[i..]) ^ new Vector<byte>(keystream[i..])).CopyTo(data[i..]);
        }

        for (; i < data.Length; i++)
        {
            data[i] ^= keystream[i];
        }
    }
}
