using System.Net;
using MediaRelay.WebRtc.Sdp;

namespace MediaRelay.WebRtc.Tests.Sdp;

public sealed class WebRtcSdpBuilderTests
{
    private static readonly LocalMediaParameters Local = new(
        IPAddress.Parse("203.0.113.5"), 40000, "rLy1", "relaypassword0123456789", "AA:" + string.Join(':', Enumerable.Repeat("BB", 31)), 424242, "relay");

    private static SdpMediaSummary Summarise(SessionDescription sdp)
    {
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(sdp.Write()), out var s));
        return s!;
    }

    [Fact]
    public void Answer_to_meta_is_full_ice_active_with_one_sha256_fingerprint_and_mirrored_opus()
    {
        var offer = Summarise(SdpParser.Parse(SdpSamples.MetaUserInitiatedOffer));
        var answer = WebRtcSdpBuilder.BuildMetaAnswer(offer, Local);
        string text = answer.Write();
        var s = Summarise(answer);
        Assert.False(s.IceLite);
        Assert.Equal("active", s.Setup);
        Assert.Equal("audio", s.Mid);
        Assert.Single(s.Fingerprints);
        Assert.Equal("sha-256", s.Fingerprints[0].Algorithm);
        Assert.Equal(WebRtcSdpBuilder.MetaOpusParameters, s.FindCodec("opus", 48000)!.FormatParameters);
        Assert.Equal(126, s.FindCodec("telephone-event", 8000)!.PayloadType);
        Assert.DoesNotContain("ice-options", text, StringComparison.Ordinal);
        Assert.True(s.RtcpMux);
        Assert.Equal([424242u], s.Ssrcs);
    }

    [Fact]
    public void An_answer_lists_telephone_event_only_when_the_offer_had_it()
    {
        string noDtmf = SdpSamples.MetaUserInitiatedOffer
            .Replace(" 111 126\r\n", " 111\r\n", StringComparison.Ordinal)
            .Replace("a=rtpmap:126 telephone-event/8000\r\n", string.Empty, StringComparison.Ordinal);
        var answer = WebRtcSdpBuilder.BuildMetaAnswer(Summarise(SdpParser.Parse(noDtmf)), Local);
        Assert.Null(Summarise(answer).FindCodec("telephone-event", 8000));
        Assert.EndsWith(" 111", answer.MediaDescriptions[0].Lines[0].Value, StringComparison.Ordinal);
    }

    [Fact]
    public void Offer_to_meta_is_actpass_without_ice_lite()
    {
        var s = Summarise(WebRtcSdpBuilder.BuildMetaOffer(Local));
        Assert.Equal(("actpass", false), (s.Setup, s.IceLite));
        Assert.Single(s.Fingerprints);
    }

    [Fact]
    public void Offer_to_a_browser_is_ice_lite_actpass()
    {
        var s = Summarise(WebRtcSdpBuilder.BuildBrowserOffer(Local));
        Assert.Equal(("actpass", true, "0"), (s.Setup, s.IceLite, s.Mid));
        Assert.Equal(Local.Port, Assert.Single(s.Candidates).EndPoint!.Port);
    }

    [Fact]
    public void Answer_to_a_browser_is_ice_lite_passive_and_echoes_the_mid()
    {
        var offer = Summarise(SdpParser.Parse(SdpSamples.ChromiumOffer));
        var s = Summarise(WebRtcSdpBuilder.BuildBrowserAnswer(offer, Local));
        Assert.Equal(("passive", true, "0"), (s.Setup, s.IceLite, s.Mid));
        Assert.Equal(["0"], s.BundleGroup);
        Assert.Null(s.FindCodec("red", 48000));
    }
}
