using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Echo;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using MediaRelay.WebRtc.Tests.Interop;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Fuzz;

// Junk datagrams of every RFC 7983 class fed into connected legs: nothing throws, every one is dropped and
// counted, and the call keeps working afterwards.
public sealed class LegDatagramPropertyTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Random_and_mutated_datagrams_are_dropped_and_counted_and_audio_still_flows()
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
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        await Task.WhenAll(full.Connected, lite.Connected).WaitAsync(cts.Token);

        var mutator = new DatagramMutator(7983);
        var validSource = lite.SelectedRemote!;
        var strangers = new IPEndPoint(IPAddress.Parse("192.0.2.77"), 5000);
        byte[] validSrtp = ProtectedSample(full);
        long receivedBefore = lite.Counters.Received;
        long droppedBefore = lite.Counters.Dropped;
        const int Count = 2000;
        for (int i = 0; i < Count; i++)
        {
            byte[] junk = (i % 5) switch
            {
                0 => mutator.RandomWithFirstByte(0, 3),
                1 => mutator.RandomWithFirstByte(20, 63),
                2 => mutator.RandomWithFirstByte(128, 191),
                3 => mutator.Mutate(validSrtp),
                _ => mutator.RandomBytes(),
            };
            if (junk.AsSpan().SequenceEqual(validSrtp))
            {
                junk[^1] ^= 1;
            }

            lite.OnDatagram(junk, i % 7 == 0 ? strangers : validSource);
        }

        Assert.Equal(Count, lite.Counters.Received - receivedBefore);
        Assert.Equal(Count, lite.Counters.Dropped - droppedBefore);

        var echoed = LegTestKit.CountTo(full, 5);
        await LegTestKit.PaceAudioAsync(full, echoed.Task, cts.Token);
        await echoed.Task.WaitAsync(cts.Token);
    }

    private static byte[] ProtectedSample(WebRtcLeg sender)
    {
        // A genuinely protected packet for mutation: captured through a throw-away context with unrelated keys is
        // enough to get the SRTP shape right; authentication must fail on the receiving leg either way.
        using var context = new SrtpContext(SrtpKeyingMaterial.FromExporter(
            SrtpProtectionProfile.AesCm128HmacSha1Tag80, new byte[60], isDtlsClient: true).Local);
        byte[] buffer = LegTestKit.OpusPacket(1, sender.LocalSsrc).Concat(new byte[10]).ToArray();
        Assert.True(context.TryProtectRtp(buffer, buffer.Length - 10, out int length));
        return buffer[..length];
    }
}
