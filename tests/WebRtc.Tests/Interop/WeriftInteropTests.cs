using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Interop;

// werift configured ICE-lite stands in for Meta (webrtc-relay.md §7.2): our Meta-leg code must be the controlling
// ICE agent in both call directions, DTLS client when answering (user-initiated) and DTLS server when offering
// (business-initiated).
public sealed class WeriftInteropTests
{
    private const int PacketsEachWay = 25;
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Werift_offers_actpass_and_we_answer_as_controlling_dtls_client_with_audio_both_ways()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        await using var werift = WeriftPeerProcess.Start("offer");
        var offer = LegTestKit.Summary((await werift.WaitForAsync("offer", cts.Token)).GetProperty("sdp").GetString()!);
        Assert.True(offer.IceLite);
        Assert.Equal("actpass", offer.Setup);

        using var socket = DedicatedLegSocket.Bind(Loopback);
        var ice = IceCredentials.Generate();
        var answer = WebRtcSdpBuilder.BuildMetaAnswer(offer, LegTestKit.Local(socket.LocalEndPoint, ice, 7001));
        await werift.SendAsync(new { type = "answer", sdp = answer.Write() });
        using var leg = socket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = offer, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Client, IceLite = false, LocalSsrc = 7001,
        });

        await AssertAudioFlowsBothWaysAsync(werift, leg, cts.Token);
        Assert.Equal((IceRole.Controlling, DtlsRole.Client), (leg.IceRole, leg.DtlsRole));
    }

    [Fact]
    public async Task We_offer_actpass_werift_answers_active_and_we_are_controlling_dtls_server_with_audio_both_ways()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        await using var werift = WeriftPeerProcess.Start("answer");
        using var socket = DedicatedLegSocket.Bind(Loopback);
        var ice = IceCredentials.Generate();
        var offer = WebRtcSdpBuilder.BuildMetaOffer(LegTestKit.Local(socket.LocalEndPoint, ice, 7002));
        await werift.SendAsync(new { type = "offer", sdp = offer.Write() });
        var answer = LegTestKit.Summary((await werift.WaitForAsync("answer", cts.Token)).GetProperty("sdp").GetString()!);
        Assert.True(answer.IceLite);
        Assert.Equal("active", answer.Setup);

        using var leg = socket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = answer, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Server, IceLite = false, LocalSsrc = 7002,
        });

        await AssertAudioFlowsBothWaysAsync(werift, leg, cts.Token);
        Assert.Equal((IceRole.Controlling, DtlsRole.Server), (leg.IceRole, leg.DtlsRole));
    }

    [Fact]
    public async Task A_wrong_fingerprint_in_werifts_offer_makes_the_handshake_fail()
    {
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        await using var werift = WeriftPeerProcess.Start("offer");
        var offer = LegTestKit.Summary((await werift.WaitForAsync("offer", cts.Token)).GetProperty("sdp").GetString()!);
        var tampered = offer with { Fingerprints = [new SdpFingerprint("sha-256", DtlsCertificate.Generate().Sha256Fingerprint)] };

        using var socket = DedicatedLegSocket.Bind(Loopback);
        var ice = IceCredentials.Generate();
        await werift.SendAsync(new { type = "answer", sdp = WebRtcSdpBuilder.BuildMetaAnswer(offer, LegTestKit.Local(socket.LocalEndPoint, ice, 7003)).Write() });
        using var leg = socket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = tampered, Certificate = LegTestKit.Certificate,
            DtlsRole = DtlsRole.Client, IceLite = false, HandshakeTimeout = TimeSpan.FromSeconds(10),
        });

        await Assert.ThrowsAsync<DtlsHandshakeException>(() => leg.Connected.WaitAsync(cts.Token));
    }

    private static async Task AssertAudioFlowsBothWaysAsync(WeriftPeerProcess werift, WebRtcLeg leg, CancellationToken cancellationToken)
    {
        int ourCount = 0;
        var weReceived = LegTestKit.CountTo(leg, PacketsEachWay, n => ourCount = n);
        await leg.Connected.WaitAsync(cancellationToken);
        var weriftReceived = werift.WaitForAsync("received", cancellationToken, m => m.GetProperty("count").GetInt32() >= PacketsEachWay);
        await LegTestKit.PaceAudioAsync(leg, weriftReceived, cancellationToken);
        var report = await weriftReceived;
        await weReceived.Task.WaitAsync(cancellationToken);

        Assert.True(report.GetProperty("count").GetInt32() >= PacketsEachWay);
        Assert.True(report.GetProperty("bytes").GetInt32() > 0);
        Assert.True(ourCount >= PacketsEachWay);
        Assert.Equal(0, leg.Counters.SrtpDropped);
    }
}
