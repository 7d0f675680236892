using System.Buffers.Binary;
using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.WebRtc.Tests.Interop;

/// <summary>Shared arrange helpers for leg-level tests.</summary>
internal static class LegTestKit
{
    public static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    public static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();

    public static LocalMediaParameters Local(IPEndPoint endPoint, IceCredentials ice, uint ssrc, DtlsCertificate? cert = null) =>
        new(endPoint.Address, endPoint.Port, ice.Ufrag, ice.Pwd, (cert ?? Certificate).Sha256Fingerprint, ssrc, "relay-test");

    public static SdpMediaSummary Summary(SessionDescription sdp) => Summary(sdp.Write());

    public static SdpMediaSummary Summary(string sdp)
    {
        Assert.True(SdpMediaSummary.TryCreate(SdpParser.Parse(sdp), out var summary), "SDP has no usable audio section");
        return summary!;
    }

    /// <summary>A 20 ms Opus-like RTP packet (PT 111) with an ~80-byte payload.</summary>
    public static byte[] OpusPacket(ushort sequence, uint ssrc)
    {
        byte[] packet = new byte[12 + 80];
        packet[0] = 0x80;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)sequence * 960);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        packet[12] = 0xF8;
        packet[13] = 0xFF;
        packet[14] = 0xFE;
        return packet;
    }

    /// <summary>Sends a packet every 20 ms until <paramref name="done"/> completes (media pacing, not a wait).</summary>
    public static async Task PaceAudioAsync(WebRtcLeg leg, Task done, CancellationToken cancellationToken)
    {
        using var timer = new PeriodicTimer(TimeSpan.FromMilliseconds(20));
        ushort sequence = (ushort)Random.Shared.Next(0, 65536);
        while (!done.IsCompleted && !cancellationToken.IsCancellationRequested)
        {
            leg.SendRtp(OpusPacket(sequence++, leg.LocalSsrc));
            await Task.WhenAny(done, timer.WaitForNextTickAsync(cancellationToken).AsTask());
        }
    }

    /// <summary>A TaskCompletionSource that completes when <paramref name="count"/> packets have arrived.</summary>
    public static TaskCompletionSource CountTo(WebRtcLeg leg, int count, Action<int>? onCount = null)
    {
        var tcs = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        int received = 0;
        leg.RtpReceived += (_, _) =>
        {
            int n = Interlocked.Increment(ref received);
            onCount?.Invoke(n);
            if (n >= count)
            {
                tcs.TrySetResult();
            }
        };
        return tcs;
    }
}
