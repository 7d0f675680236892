using System.Buffers.Binary;
using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Echo;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Interop;

// Several browser legs on one UDP port (webrtc-relay.md §1.3): STUN routed by ufrag, the rest by remote address.
public sealed class SharedPortDemuxTests
{
    private static readonly IPEndPoint Loopback = new(IPAddress.Loopback, 0);

    [Fact]
    public async Task Two_legs_on_one_shared_port_each_echo_only_their_own_peer()
    {
        using var mux = BrowserUdpMux.Bind(Loopback);
        using var cts = new CancellationTokenSource(LegTestKit.HangGuard);
        var peers = new List<(WebRtcLeg Lite, WebRtcLeg Full, DedicatedLegSocket Socket, EchoEndpoint Echo)>();
        try
        {
            foreach (uint liteSsrc in new uint[] { 501, 502 })
            {
                var socket = DedicatedLegSocket.Bind(Loopback);
                var liteIce = IceCredentials.Generate();
                var fullIce = IceCredentials.Generate();
                var offer = WebRtcSdpBuilder.BuildBrowserOffer(LegTestKit.Local(mux.LocalEndPoint, liteIce, liteSsrc));
                var answer = WebRtcSdpBuilder.BuildMetaAnswer(LegTestKit.Summary(offer), LegTestKit.Local(socket.LocalEndPoint, fullIce, liteSsrc + 100));
                var lite = mux.CreateLeg(new WebRtcLegOptions
                {
                    LocalIce = liteIce, Remote = LegTestKit.Summary(answer), Certificate = LegTestKit.Certificate,
                    DtlsRole = DtlsRole.Server, IceLite = true, LocalSsrc = liteSsrc,
                });
                var echo = new EchoEndpoint(lite);
                var full = socket.CreateLeg(new WebRtcLegOptions
                {
                    LocalIce = fullIce, Remote = LegTestKit.Summary(offer), Certificate = LegTestKit.Certificate,
                    DtlsRole = DtlsRole.Client, IceLite = false, LocalSsrc = liteSsrc + 100,
                });
                peers.Add((lite, full, socket, echo));
            }

            var checks = peers.Select(async p =>
            {
                var wrongSsrc = 0;
                var echoed = LegTestKit.CountTo(p.Full, 10);
                p.Full.RtpReceived += (_, rtp) =>
                {
                    if (BinaryPrimitives.ReadUInt32BigEndian(rtp[8..]) != p.Lite.LocalSsrc)
                    {
                        Interlocked.Increment(ref wrongSsrc);
                    }
                };
                await Task.WhenAll(p.Full.Connected, p.Lite.Connected).WaitAsync(cts.Token);
                await LegTestKit.PaceAudioAsync(p.Full, echoed.Task, cts.Token);
                await echoed.Task.WaitAsync(cts.Token);
                return wrongSsrc;
            }).ToList();

            Assert.All(await Task.WhenAll(checks), wrong => Assert.Equal(0, wrong));
            Assert.Equal(0, mux.Counters.Dropped);
        }
        finally
        {
            foreach (var p in peers)
            {
                p.Echo.Dispose();
                p.Full.Dispose();
                p.Lite.Dispose();
                p.Socket.Dispose();
            }
        }
    }
}
