using MediaRelay.WebRtc.Sdp;

namespace MediaRelay.WebRtc.Tests.Sdp;

public sealed class SdpRoundTripTests
{
    [Theory]
    [InlineData(SdpSamples.MetaUserInitiatedOffer)]
    [InlineData(SdpSamples.MetaOfferWithExtmap)]
    [InlineData(SdpSamples.ChromiumOffer)]
    public void Recorded_offers_are_written_back_byte_for_byte(string sdp)
    {
        Assert.Equal(sdp, SdpParser.Parse(sdp).Write());
    }

    [Fact]
    public void Lf_only_line_ends_are_accepted_and_written_as_crlf()
    {
        string lf = SdpSamples.MetaUserInitiatedOffer.Replace("\r\n", "\n", StringComparison.Ordinal);
        Assert.Equal(SdpSamples.MetaUserInitiatedOffer, SdpParser.Parse(lf).Write());
    }

    [Fact]
    public void Meta_offer_summary_has_credentials_lite_fingerprint_and_codecs()
    {
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(SdpSamples.MetaUserInitiatedOffer), out var s));
        Assert.Equal("audio", s!.Mid);
        Assert.Equal("Kq2b7RZx0PfLm3Ws", s.IceUfrag);
        Assert.Equal("X29zIx+RGAlhVLF1/lo0oQ==", s.IcePwd);
        Assert.True(s.IceLite);
        Assert.Equal("actpass", s.Setup);
        Assert.True(s.RtcpMux);
        Assert.Equal(2, s.Candidates.Count);
        Assert.Equal(3480, s.Candidates[0].EndPoint!.Port);
        Assert.Equal(32, s.Sha256Fingerprint!.GetBytes()!.Length);
        Assert.Equal(WebRtcSdpBuilder.MetaOpusParameters, s.FindCodec("opus", 48000)!.FormatParameters);
        Assert.Equal(126, s.FindCodec("telephone-event", 8000)!.PayloadType);
        Assert.Equal([1426395310u], s.Ssrcs);
        Assert.Equal(["audio"], s.BundleGroup);
    }

    [Fact]
    public void Ice_lite_at_media_level_is_recognised()
    {
        string sdp = SdpSamples.ChromiumOffer.Replace("a=mid:0\r\n", "a=mid:0\r\na=ice-lite\r\n", StringComparison.Ordinal);
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(sdp), out var s));
        Assert.True(s!.IceLite);
    }

    [Fact]
    public void Unknown_and_malformed_lines_are_tolerated()
    {
        string sdp = SdpSamples.MetaOfferWithExtmap + "x-garbage\r\nz=unknown-line\r\n\r\n";
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(sdp), out var s));
        Assert.Equal("abcdabcdabcdabcd", s!.IceUfrag);
    }

    [Theory]
    [InlineData("")]
    [InlineData("hello world")]
    [InlineData("o=- 1 2 IN IP4 1.2.3.4\r\n")]
    public void Text_that_is_not_sdp_is_rejected(string text)
    {
        Assert.False(SdpParser.TryParse(text, out _));
    }
}
