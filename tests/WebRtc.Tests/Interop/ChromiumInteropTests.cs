using System.Net;
using System.Text.Json;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Echo;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Interop;

// Headless Chromium (full ICE, controlling, DTLS client) against the browser leg: ICE-lite on the shared UDP
// port, DTLS server, echo endpoint looping the fake microphone back; energy measured with getStats.
public sealed class ChromiumInteropTests(ChromiumFixture chromium) : IClassFixture<ChromiumFixture>
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Chromium_answers_our_ice_lite_offer_and_hears_its_own_audio_echoed()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        var page = await chromium.NewPageAsync();
        using var mux = BrowserUdpMux.Bind(Loopback);
        var ice = IceCredentials.Generate();
        var offer = WebRtcSdpBuilder.BuildBrowserOffer(LegTestKit.Local(mux.LocalEndPoint, ice, 9001));
        string answerText = await page.EvaluateAsync<string>("o => window.answerOffer(o)", offer.Write()).WaitAsync(cts.Token);
        var answer = LegTestKit.Summary(answerText);
        Assert.Equal("active", answer.Setup);
        Assert.False(answer.IceLite);

        using var leg = mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = answer, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Server, IceLite = true, LocalSsrc = 9001,
        });
        using var echo = new EchoEndpoint(leg);

        await AssertEchoHeardAsync(page, leg, echo, cts.Token);
    }

    [Fact]
    public async Task Chromium_offers_and_our_passive_ice_lite_answer_echoes_its_audio()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        var page = await chromium.NewPageAsync();
        using var mux = BrowserUdpMux.Bind(Loopback);
        var offer = LegTestKit.Summary(await page.EvaluateAsync<string>("() => window.createOffer()").WaitAsync(cts.Token));
        Assert.Equal("actpass", offer.Setup);

        var ice = IceCredentials.Generate();
        var answer = WebRtcSdpBuilder.BuildBrowserAnswer(offer, LegTestKit.Local(mux.LocalEndPoint, ice, 9002));
        using var leg = mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = offer, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Server, IceLite = true, LocalSsrc = 9002,
        });
        using var echo = new EchoEndpoint(leg);
        await page.EvaluateAsync("a => window.acceptAnswer(a)", answer.Write()).WaitAsync(cts.Token);

        await AssertEchoHeardAsync(page, leg, echo, cts.Token);
    }

    [Fact]
    public async Task Chromium_negotiates_aead_aes_128_gcm_when_the_relay_prefers_it()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        var page = await chromium.NewPageAsync();
        using var mux = BrowserUdpMux.Bind(Loopback);
        var ice = IceCredentials.Generate();
        var offer = WebRtcSdpBuilder.BuildBrowserOffer(LegTestKit.Local(mux.LocalEndPoint, ice, 9003));
        var answer = LegTestKit.Summary(await page.EvaluateAsync<string>("o => window.answerOffer(o)", offer.Write()).WaitAsync(cts.Token));
        using var leg = mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = answer, Certificate = LegTestKit.Certificate, DtlsRole = DtlsRole.Server,
            IceLite = true, LocalSsrc = 9003, SrtpProfiles = [SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AesCm128HmacSha1Tag80],
        });
        using var echo = new EchoEndpoint(leg);

        await AssertEchoHeardAsync(page, leg, echo, cts.Token, "SRTP_AEAD_AES_128_GCM");
        Assert.Equal(SrtpProtectionProfile.AeadAes128Gcm, leg.SrtpProfile);
    }

    [Fact]
    public async Task A_fresh_chromium_offer_round_trips_through_the_sdp_parser()
    {
        var page = await chromium.NewPageAsync();
        string offer = await page.EvaluateAsync<string>("() => window.freshOffer()").WaitAsync(LegTestKit.HangGuard);

        Assert.Equal(offer, SdpParser.Parse(offer).Write());
        var summary = LegTestKit.Summary(offer);
        Assert.NotNull(summary.Sha256Fingerprint);
        Assert.NotNull(summary.FindCodec("opus", 48000));
    }

    private static async Task AssertEchoHeardAsync(
        Microsoft.Playwright.IPage page, WebRtcLeg leg, EchoEndpoint echo, CancellationToken cancellationToken,
        string expectedCipher = "SRTP_AES128_CM_HMAC_SHA1_80")
    {
        try
        {
            await leg.Connected.WaitAsync(cancellationToken);
        }
        catch (Exception ex) when (ex is OperationCanceledException or DtlsHandshakeException)
        {
            var c = leg.Counters;
            string state = await page.EvaluateAsync<string>(
                "() => pc ? `${pc.iceConnectionState}/${pc.connectionState}` : 'no pc'").WaitAsync(TimeSpan.FromSeconds(10));
            throw new InvalidOperationException(
                $"Leg not connected ({ex.GetType().Name}): chromium {state}; received {c.Received}, stun {c.Stun}, " +
                $"dtls {c.Dtls}, rtp {c.Rtp}, rejected stun {c.RejectedStun}, unknown source {c.UnknownSourceDropped}, " +
                $"bad dtls {c.MalformedDtlsDropped}, selected {leg.SelectedRemote}", ex);
        }

        var stats = await page.EvaluateAsync<JsonElement>("m => window.waitForEchoedAudio(m)", 30_000).WaitAsync(cancellationToken);

        Assert.True(stats.GetProperty("ok").GetBoolean(),
            $"No echoed audio energy: {stats}; leg echoed {echo.Echoed}, received {leg.Counters.Received}, " +
            $"rtp {leg.Counters.Rtp}, srtp dropped {leg.Counters.SrtpDropped}, selected {leg.SelectedRemote}");
        Assert.True(stats.GetProperty("bytesReceived").GetInt64() > 0);
        Assert.True(stats.GetProperty("totalAudioEnergy").GetDouble() > 0);
        Assert.Equal(expectedCipher, stats.GetProperty("srtpCipher").GetString());
        Assert.True(echo.Echoed > 0);
        Assert.Equal(0, leg.Counters.SrtpDropped);
    }
}
