using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Echo;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Interop;

// The stack against itself over loopback UDP: a lite DTLS-server leg on the shared browser port (echo endpoint)
// and a controlling DTLS-client leg on a dedicated socket (the Meta-leg role).
public sealed class SelfLoopbackTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Controlling_client_leg_gets_its_audio_echoed_by_a_lite_server_leg()
    {
        using var mux = BrowserUdpMux.Bind(Loopback);
        using var metaSocket = DedicatedLegSocket.Bind(Loopback);
        var liteIce = IceCredentials.Generate();
        var fullIce = IceCredentials.Generate();
        var offer = WebRtcSdpBuilder.BuildBrowserOffer(LegTestKit.Local(mux.LocalEndPoint, liteIce, 1111));
        var answer = WebRtcSdpBuilder.BuildMetaAnswer(LegTestKit.Summary(offer), LegTestKit.Local(metaSocket.LocalEndPoint, fullIce, 2222));

        using var lite = mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = liteIce, Remote = LegTestKit.Summary(answer), Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Server, IceLite = true, LocalSsrc = 1111,
        });
        using var echo = new EchoEndpoint(lite);
        using var full = metaSocket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = fullIce, Remote = LegTestKit.Summary(offer), Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Client, IceLite = false, LocalSsrc = 2222,
        });
        var echoed = LegTestKit.CountTo(full, 10);

        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        await Task.WhenAll(full.Connected, lite.Connected).WaitAsync(cts.Token);
        await LegTestKit.PaceAudioAsync(full, echoed.Task, cts.Token);
        await echoed.Task.WaitAsync(cts.Token);

        Assert.Equal(IceRole.Controlling, full.IceRole);
        Assert.True(echo.Echoed >= 10);
        Assert.Equal(0, full.Counters.SrtpDropped);
        Assert.Equal(0, lite.Counters.SrtpDropped);
    }

    [Fact]
    public async Task A_wrong_fingerprint_in_the_sdp_makes_the_handshake_fail()
    {
        using var mux = BrowserUdpMux.Bind(Loopback);
        using var metaSocket = DedicatedLegSocket.Bind(Loopback);
        var liteIce = IceCredentials.Generate();
        var fullIce = IceCredentials.Generate();
        var offer = WebRtcSdpBuilder.BuildBrowserOffer(LegTestKit.Local(mux.LocalEndPoint, liteIce, 1111));
        var answer = WebRtcSdpBuilder.BuildMetaAnswer(LegTestKit.Summary(offer), LegTestKit.Local(metaSocket.LocalEndPoint, fullIce, 2222));
        var wrongOffer = LegTestKit.Summary(offer) with
        {
            Fingerprints = [new SdpFingerprint("sha-256", DtlsCertificate.Generate().Sha256Fingerprint)],
        };

        using var lite = mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = liteIce, Remote = LegTestKit.Summary(answer), Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Server, IceLite = true,
        });
        using var full = metaSocket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = fullIce, Remote = wrongOffer, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Client, IceLite = false, HandshakeTimeout = TimeSpan.FromSeconds(5),
        });

        await Assert.ThrowsAsync<DtlsHandshakeException>(() => full.Connected.WaitAsync(LegTestKit.HangGuard));
    }
}
