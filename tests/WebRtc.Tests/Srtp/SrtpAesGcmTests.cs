using System.Text;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Tests.Srtp;

// RFC 7714 §16.1 (AEAD_AES_128_GCM RTP encryption with given session key and salt) plus round trips.
public sealed class SrtpAesGcmTests
{
    private static readonly byte[] SessionKey = Convert.FromHexString("000102030405060708090a0b0c0d0e0f");
    private static readonly byte[] SessionSalt = Convert.FromHexString("517569642070726f2071756f");
    private static readonly byte[] Plain = [.. Convert.FromHexString("8040f17b8041f8d35501a0b2"), .. Encoding.ASCII.GetBytes("Gallia est omnis divisa in partes tres")];

    private const string Protected =
        "8040f17b8041f8d35501a0b2f24de3a3fb34de6cacba861c9d7e4bcabe633bd50d294e6f42a5f47a51c7d19b36de3adf8833899d7f27beb16a9152cf765ee4390cce";

    [Fact]
    public void Rfc7714_rtp_vector_protects_to_the_reference_packet()
    {
        using var context = new SrtpContext(AesGcmCipher.FromSessionKeys(SessionKey, SessionSalt));
        byte[] buffer = new byte[128];
        Plain.CopyTo(buffer, 0);
        Assert.True(context.TryProtectRtp(buffer, Plain.Length, out int length));
        Assert.Equal(Protected, Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Rfc7714_reference_packet_unprotects_and_a_flipped_bit_fails()
    {
        using var context = new SrtpContext(AesGcmCipher.FromSessionKeys(SessionKey, SessionSalt));
        byte[] tampered = Convert.FromHexString(Protected);
        tampered[20] ^= 1;
        Assert.False(context.TryUnprotectRtp(tampered, out _));
        byte[] packet = Convert.FromHexString(Protected);
        Assert.True(context.TryUnprotectRtp(packet, out int length));
        Assert.Equal(Plain, packet[..length]);
        Assert.Equal(1, context.Counters.AuthenticationFailed);
    }

    [Fact]
    public void Master_key_contexts_round_trip_rtp_across_a_wrap_and_rtcp()
    {
        var master = new SrtpMasterKey(SessionKey, SessionSalt);
        using var sender = new SrtpContext(master, SrtpProtectionProfile.AeadAes128Gcm);
        using var receiver = new SrtpContext(master, SrtpProtectionProfile.AeadAes128Gcm);
        for (int i = 0; i < 20; i++)
        {
            byte[] buffer = SrtpContextTests.PlainRtp((ushort)(65530 + i), payload: 80).Concat(new byte[6]).ToArray();
            byte[] expected = buffer[..92];
            Assert.True(sender.TryProtectRtp(buffer, 92, out int length));
            Assert.Equal(92 + 16, length);
            Assert.True(receiver.TryUnprotectRtp(buffer.AsSpan(0, length), out int plain));
            Assert.Equal(expected, buffer[..plain]);
        }

        byte[] rtcp = new byte[64];
        Convert.FromHexString("81c9000700000001").CopyTo(rtcp, 0);
        Assert.True(sender.TryProtectRtcp(rtcp, 32, out int rtcpLength));
        Assert.Equal(32 + 20, rtcpLength);
        Assert.True(receiver.TryUnprotectRtcp(rtcp.AsSpan(0, rtcpLength), out int rtcpPlain));
        Assert.Equal(32, rtcpPlain);
        Assert.False(receiver.TryUnprotectRtcp(rtcp.AsSpan(0, rtcpLength), out _));
    }

    [Fact]
    public void Gcm_keying_material_is_56_bytes_with_12_byte_salts()
    {
        byte[] exported = Enumerable.Range(0, 56).Select(i => (byte)i).ToArray();
        var keys = SrtpKeyingMaterial.FromExporter(SrtpProtectionProfile.AeadAes128Gcm, exported, isDtlsClient: false);
        Assert.Equal(exported[16..32], keys.Local.Key);
        Assert.Equal(exported[44..56], keys.Local.Salt);
        Assert.Equal(exported[32..44], keys.Remote.Salt);
    }
}
