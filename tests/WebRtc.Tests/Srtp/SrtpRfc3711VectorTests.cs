using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Tests.Srtp;

// RFC 3711 Appendix B.2 (AES-CM keystream), B.3 (key derivation); full-packet vectors from libsrtp's
// srtp_validate (AES_CM_128_HMAC_SHA1_80 with the B.3 master key).
public sealed class SrtpRfc3711VectorTests
{
    internal static readonly SrtpMasterKey B3Master = new(
        Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"), Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));

    [Fact]
    public void B2_aes_cm_keystream_matches()
    {
        using var cipher = new AesCounterMode(Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C"));
        byte[] keystream = new byte[48];
        cipher.Keystream(Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000"), keystream);
        Assert.Equal(
            "E03EAD0935C95E80E166B16DD92B4EB4D23513162B02D0F72A43A2FE4A5F97AB41E95B3BB0A2E8DD477901E4FCA894C0",
            Convert.ToHexString(keystream));
    }

    [Fact]
    public void B3_session_encryption_key_matches()
    {
        byte[] key = new byte[16];
        SrtpKeyDerivation.Derive(B3Master.Key, B3Master.Salt, SrtpKeyDerivation.RtpEncryptionLabel, key);
        Assert.Equal("C61E7A93744F39EE10734AFE3FF7A087", Convert.ToHexString(key));
    }

    [Fact]
    public void B3_session_salt_matches()
    {
        byte[] salt = new byte[14];
        SrtpKeyDerivation.Derive(B3Master.Key, B3Master.Salt, SrtpKeyDerivation.RtpSaltLabel, salt);
        Assert.Equal("30CBBC08863D8C85D49DB34A9AE1", Convert.ToHexString(salt));
    }

    [Fact]
    public void B3_session_authentication_key_matches()
    {
        byte[] auth = new byte[20];
        SrtpKeyDerivation.Derive(B3Master.Key, B3Master.Salt, SrtpKeyDerivation.RtpAuthenticationLabel, auth);
        Assert.Equal("CEBE321F6FF7716B6FD4AB49AF256A156D38BAA4", Convert.ToHexString(auth));
    }

    [Fact]
    public void Full_rtp_packet_protects_to_the_reference_srtp_packet()
    {
        byte[] buffer = new byte[64];
        byte[] plain = Convert.FromHexString("800f1234decafbadcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
        plain.CopyTo(buffer, 0);
        using var context = new SrtpContext(B3Master);
        Assert.True(context.TryProtectRtp(buffer, plain.Length, out int length));
        Assert.Equal(
            "800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb",
            Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Reference_srtp_packet_unprotects_to_the_plain_rtp_packet()
    {
        byte[] packet = Convert.FromHexString("800f1234decafbadcafebabe4e55dc4ce79978d88ca4d215949d2402b78d6acc99ea179b8dbb");
        using var context = new SrtpContext(B3Master);
        Assert.True(context.TryUnprotectRtp(packet, out int length));
        Assert.Equal("800f1234decafbadcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)),
            Convert.ToHexStringLower(packet.AsSpan(0, length)));
    }

    [Fact]
    public void Sha1_32_profile_keeps_the_first_four_tag_bytes()
    {
        byte[] buffer = new byte[64];
        byte[] plain = Convert.FromHexString("800f1234decafbadcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
        plain.CopyTo(buffer, 0);
        using var context = new SrtpContext(B3Master, SrtpProtectionProfile.AesCm128HmacSha1Tag32);
        Assert.True(context.TryProtectRtp(buffer, plain.Length, out int length));
        Assert.Equal("b78d6acc", Convert.ToHexStringLower(buffer.AsSpan(length - 4, 4)));
    }

    [Fact]
    public void Full_rtcp_packet_protects_to_the_reference_srtcp_packet()
    {
        byte[] buffer = new byte[64];
        byte[] plain = Convert.FromHexString("81c8000bcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)));
        plain.CopyTo(buffer, 0);
        using var context = new SrtpContext(B3Master);
        Assert.True(context.TryProtectRtcp(buffer, plain.Length, out int length));
        Assert.Equal(
            "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798",
            Convert.ToHexStringLower(buffer.AsSpan(0, length)));
    }

    [Fact]
    public void Reference_srtcp_packet_unprotects_and_a_replay_is_dropped()
    {
        const string Srtcp = "81c8000bcafebabe7128035be487b9bdbef89041f977a5a880000001993e08cd54d6c1230798";
        using var context = new SrtpContext(B3Master);
        byte[] packet = Convert.FromHexString(Srtcp);
        Assert.True(context.TryUnprotectRtcp(packet, out int length));
        Assert.Equal("81c8000bcafebabe" + string.Concat(Enumerable.Repeat("ab", 16)),
            Convert.ToHexStringLower(packet.AsSpan(0, length)));
        Assert.False(context.TryUnprotectRtcp(Convert.FromHexString(Srtcp), out _));
        Assert.Equal(1, context.Counters.ReplayDropped);
    }
}
