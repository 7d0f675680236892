using System.Buffers.Binary;
using MediaRelay.Recording;
using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.Tests;

// The Ogg Opus writer's format facts (RFC 3533, RFC 7845, RFC 6716 §3.1), read back page by page.
public sealed class RecordingFormatTests
{
    [Fact]
    public void The_ogg_crc_is_the_unreflected_04C11DB7_one()
    {
        Assert.Equal(0x89A1897Fu, OggCrc.Compute("123456789"u8));
    }

    [Theory]
    [InlineData(new byte[] { 0xF8 }, 960)]          // CELT FB 20 ms, one frame
    [InlineData(new byte[] { 0xF9, 0, 0 }, 1920)]   // two frames (code 1)
    [InlineData(new byte[] { 0xFB, 0x03 }, 2880)]   // code 3, three frames
    [InlineData(new byte[] { 0x08 }, 960)]          // SILK NB 20 ms
    [InlineData(new byte[] { 0x70 }, 480)]          // hybrid FB 10 ms (config 14)
    [InlineData(new byte[] { 0x80 }, 120)]          // CELT 2.5 ms
    [InlineData(new byte[0], 0)]
    public void Samples_come_from_the_toc_byte(byte[] packet, int samples)
    {
        Assert.Equal(samples, OpusPackets.SamplesAt48Khz(packet));
    }

    [Fact]
    public void A_recording_holds_two_streams_with_valid_pages_and_fills_a_timestamp_gap_with_silence()
    {
        using var recording = new CallRecording("wacid.REC", new FrozenClock());
        for (uint i = 0; i < 10; i++)
        {
            Add(recording.AddCaller, 1000 + i * 960);
        }

        Add(recording.AddCaller, 1000 + 20 * 960); // 10 frames lost: filled with silence
        Add(recording.AddCaller, 1000 + 5 * 960);  // older than written: dropped
        Add(recording.AddAgent, 77);

        var pages = ReadPages(recording.Finish());

        var serials = pages.Select(p => p.Serial).Distinct().ToList();
        Assert.Equal(2, serials.Count);
        Assert.All(pages, p => Assert.True(p.CrcValid));
        Assert.Equal(2, pages.Count(p => (p.Flags & 0x02) != 0));
        Assert.Equal(2, pages.Count(p => (p.Flags & 0x04) != 0));
        Assert.True(pages.Take(2).All(p => (p.Flags & 0x02) != 0), "both BOS pages come first");
        var caller = pages.Where(p => p.Serial == serials[0]).ToList();
        Assert.Equal(21 * 960, caller.Max(p => p.Granule));
        Assert.Equal(21 * 960 / 48_000.0, recording.DurationSeconds);
    }

    private static void Add(CallRecording.PacketSink sink, uint timestamp)
    {
        byte[] packet = new byte[12 + 40];
        packet[0] = 0x80;
        packet[1] = 111;
        BinaryPrimitives.WriteUInt32BigEndian(packet.AsSpan(4), timestamp);
        packet[12] = 0xF8;
        Assert.True(RtpHeader.TryParse(packet, out var header));
        sink(packet, header);
    }

    /// <summary>Wall clock stands still: no leading silence, so granules count exactly the packets written.</summary>
    private sealed class FrozenClock : TimeProvider
    {
        public override long GetTimestamp() => 0;

        public override DateTimeOffset GetUtcNow() => new(2026, 11, 22, 6, 0, 0, TimeSpan.Zero);
    }

    private sealed record Page(byte Flags, long Granule, uint Serial, bool CrcValid);

    private static List<Page> ReadPages(Stream stream)
    {
        using var memory = new MemoryStream();
        stream.CopyTo(memory);
        byte[] data = memory.ToArray();
        var pages = new List<Page>();
        for (int offset = 0; offset < data.Length;)
        {
            Assert.Equal("OggS"u8.ToArray(), data[offset..(offset + 4)]);
            int segments = data[offset + 26];
            int length = 27 + segments + data.AsSpan(offset + 27, segments).ToArray().Sum(b => b);
            byte[] page = data[offset..(offset + length)];
            uint crc = BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(22));
            page.AsSpan(22, 4).Clear();
            pages.Add(new Page(page[5], BinaryPrimitives.ReadInt64LittleEndian(page.AsSpan(6)),
                BinaryPrimitives.ReadUInt32LittleEndian(page.AsSpan(14)), crc == OggCrc.Compute(page)));
            offset += length;
        }

        return pages;
    }
}
