// RFC 3711 §4.3.1 (key derivation: x = label ‖ (index DIV kdr) XOR master salt; with kdr = 0 only the label is
// mixed in at byte 7), §4.3.3 (AES-CM PRF), §8.2 (labels 0x00–0x05); RFC 5764 §4.2 (DTLS-SRTP uses kdr = 0).
using System.Security.Cryptography;

namespace MediaRelay.WebRtc.Srtp;

public static class SrtpKeyDerivation
{
    public const byte RtpEncryptionLabel = 0x00;
    public const byte RtpAuthenticationLabel = 0x01;
    public const byte RtpSaltLabel = 0x02;
    public const byte RtcpEncryptionLabel = 0x03;
    public const byte RtcpAuthenticationLabel = 0x04;
    public const byte RtcpSaltLabel = 0x05;

    /// <summary>Derives <paramref name="output"/>.Length bytes of session key material for <paramref name="label"/>.</summary>
    public static void Derive(ReadOnlySpan<byte> masterKey, ReadOnlySpan<byte> masterSalt, byte label, Span<byte> output)
    {
        if (masterSalt.Length > 14)
        {
            throw new ArgumentException("Master salt must be at most 14 bytes.", nameof(masterSalt));
        }

        int blocks = (output.Length + 15) / 16;
        Span<byte> input = stackalloc byte[16 * blocks];
        Span<byte> keystream = stackalloc byte[16 * blocks];
        input.Clear();
        for (int b = 0; b < blocks; b++)
        {
            var block = input.Slice(16 * b, 16);
            masterSalt.CopyTo(block);
            block[7] ^= label;
            block[14] = (byte)(b >> 8);
            block[15] = (byte)b;
        }

        using var aes = Aes.Create();
        aes.Key = masterKey.ToArray();
        aes.EncryptEcb(input, keystream, PaddingMode.None);
        keystream[..output.Length].CopyTo(output);
        CryptographicOperations.ZeroMemory(keystream);
    }
}
