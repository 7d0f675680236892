using System.Buffers.Binary;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Tests.Srtp;

public sealed class SrtpContextTests
{
    private static readonly SrtpMasterKey Key = SrtpRfc3711VectorTests.B3Master;

    internal static byte[] PlainRtp(ushort sequence, uint ssrc = 0x11223344, int payload = 80)
    {
        byte[] packet = new byte[12 + payload + 10];
        packet[0] = 0x80;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt16BigEndian(packet.AsSpan(2), sequence);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), (uint)sequence * 960);
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(8), ssrc);
        for (int i = 0; i < payload; i++)
        {
            packet[12 + i] = (byte)(sequence + i);
        }

        return packet;
    }

    private static byte[] Protect(SrtpContext sender, ushort sequence)
    {
        byte[] buffer = PlainRtp(sequence);
        Assert.True(sender.TryProtectRtp(buffer, buffer.Length - 10, out int length));
        return buffer.AsSpan(0, length).ToArray();
    }

    [Fact]
    public void Packets_across_a_sequence_wrap_unprotect_in_order()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        for (int i = 0; i < 40; i++)
        {
            ushort seq = (ushort)(65520 + i);
            byte[] packet = Protect(sender, seq);
            Assert.True(receiver.TryUnprotectRtp(packet, out int length));
            Assert.Equal(PlainRtp(seq).AsSpan(0, length).ToArray(), packet.AsSpan(0, length).ToArray());
        }
    }

    [Fact]
    public void Reordered_packets_across_a_sequence_wrap_still_authenticate()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        var packets = Enumerable.Range(0, 12).Select(i => (ushort)(65530 + i)).ToDictionary(s => s, s => Protect(sender, s));
        ushort[] order = [65530, 65531, 65533, 0, 65532, 2, 65534, 1, 65535, 3, 5, 4];
        foreach (ushort seq in order)
        {
            Assert.True(receiver.TryUnprotectRtp(packets[seq], out _), $"seq {seq}");
        }

        Assert.Equal(0, receiver.Counters.Dropped);
    }

    [Fact]
    public void Rollover_counter_keeps_counting_over_several_wraps()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        for (int i = 0; i < 3 * 65536 + 10; i += 97)
        {
            Assert.True(receiver.TryUnprotectRtp(Protect(sender, (ushort)i), out _), $"packet {i}");
        }
    }

    [Fact]
    public void A_replayed_packet_is_dropped_and_counted()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        byte[] packet = Protect(sender, 100);
        Assert.True(receiver.TryUnprotectRtp(packet.ToArray(), out _));
        Assert.False(receiver.TryUnprotectRtp(packet.ToArray(), out _));
        Assert.Equal(1, receiver.Counters.ReplayDropped);
    }

    [Fact]
    public void A_packet_older_than_the_window_is_dropped()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        byte[] old = Protect(sender, 10);
        Assert.True(receiver.TryUnprotectRtp(Protect(sender, 11), out _));
        Assert.True(receiver.TryUnprotectRtp(Protect(sender, 11 + SrtpReplayWindow.Size + 5), out _));
        Assert.False(receiver.TryUnprotectRtp(old, out _));
        Assert.Equal(1, receiver.Counters.ReplayDropped);
    }

    [Fact]
    public void A_tampered_packet_fails_authentication_and_does_not_move_the_window()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        byte[] packet = Protect(sender, 7);
        byte[] tampered = packet.ToArray();
        tampered[20] ^= 0x40;
        Assert.False(receiver.TryUnprotectRtp(tampered, out _));
        Assert.Equal(1, receiver.Counters.AuthenticationFailed);
        Assert.True(receiver.TryUnprotectRtp(packet, out _));
    }

    [Fact]
    public void Rtcp_round_trips_and_each_ssrc_has_its_own_replay_window()
    {
        using var sender = new SrtpContext(Key);
        using var receiver = new SrtpContext(Key);
        foreach (uint ssrc in new uint[] { 1, 2, 1, 2 })
        {
            byte[] buffer = new byte[64];
            buffer[0] = 0x80;
            buffer[1] = 201;
            buffer[3] = 1;
            BinaryPrimitives.WriteUInt32BigEndian(buffer.AsSpan(4), ssrc);
            Assert.True(sender.TryProtectRtcp(buffer, 8, out int length));
            Assert.True(receiver.TryUnprotectRtcp(buffer.AsSpan(0, length), out int plain));
            Assert.Equal(8, plain);
            Assert.Equal(ssrc, BinaryPrimitives.ReadUInt32BigEndian(buffer.AsSpan(4)));
        }
    }

    [Fact]
    public void Keying_material_is_split_per_dtls_role()
    {
        byte[] exported = Enumerable.Range(0, 60).Select(i => (byte)i).ToArray();
        var client = SrtpKeyingMaterial.FromExporter(SrtpProtectionProfile.AesCm128HmacSha1Tag80, exported, isDtlsClient: true);
        var server = SrtpKeyingMaterial.FromExporter(SrtpProtectionProfile.AesCm128HmacSha1Tag80, exported, isDtlsClient: false);
        Assert.Equal(exported[..16], client.Local.Key);
        Assert.Equal(exported[32..46], client.Local.Salt);
        Assert.Equal(exported[16..32], server.Local.Key);
        Assert.Equal(exported[46..60], server.Local.Salt);
        Assert.Equal(client.Local.Key, server.Remote.Key);
        Assert.Equal(client.Remote.Salt, server.Local.Salt);
    }
}
