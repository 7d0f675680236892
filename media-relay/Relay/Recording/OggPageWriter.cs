using System.Buffers.Binary;

namespace MediaRelay.Recording;

/// <summary>
/// One logical Ogg bitstream (RFC 3533) inside a shared file: collects packets into pages and writes each page,
/// with its lacing table, granule position and CRC, to the output. Several streams may share one output (a
/// multiplexed file); the caller serialises access.
/// </summary>
internal sealed class OggPageWriter(Stream output, uint serial)
{
    private const int MaxSegments = 255;
    private const byte FirstPageFlag = 0x02;
    private const byte LastPageFlag = 0x04;

    private readonly List<byte[]> _packets = [];
    private int _segments;
    private uint _pageSequence;
    private bool _wroteFirstPage;

    public uint Serial => serial;

    /// <summary>Granule position after the packets written so far (48 kHz samples).</summary>
    public long Granule { get; private set; }

    public int PendingPackets => _packets.Count;

    /// <summary>Adds a packet of <paramref name="samples"/> samples; flushes first when the page would overflow.</summary>
    public void Add(ReadOnlySpan<byte> packet, int samples)
    {
        int segments = packet.Length / 255 + 1;
        if (segments > MaxSegments)
        {
            return; // > 64 KB cannot be an Opus packet; never produced by the bridge
        }

        if (_segments + segments > MaxSegments)
        {
            Flush(endOfStream: false);
        }

        _packets.Add(packet.ToArray());
        _segments += segments;
        Granule += samples;
    }

    /// <summary>Writes the pending packets as one page (also an empty last page when <paramref name="endOfStream"/>).</summary>
    public void Flush(bool endOfStream)
    {
        if (_packets.Count == 0 && !endOfStream)
        {
            return;
        }

        int bodyLength = _packets.Sum(p => p.Length);
        byte[] page = new byte[27 + _segments + bodyLength];
        "OggS"u8.CopyTo(page);
        page[4] = 0;
        page[5] = (byte)((_wroteFirstPage ? 0 : FirstPageFlag) | (endOfStream ? LastPageFlag : 0));
        BinaryPrimitives.WriteInt64LittleEndian(page.AsSpan(6), Granule);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(14), serial);
        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(18), _pageSequence++);
        page[26] = (byte)_segments;
        int lacing = 27, body = 27 + _segments;
        foreach (var packet in _packets)
        {
            int remaining = packet.Length;
            while (remaining >= 255)
            {
                page[lacing++] = 255;
                remaining -= 255;
            }

            page[lacing++] = (byte)remaining;
            packet.CopyTo(page, body);
            body += packet.Length;
        }

        BinaryPrimitives.WriteUInt32LittleEndian(page.AsSpan(22), OggCrc.Compute(page));
        output.Write(page);
        _wroteFirstPage = true;
        _packets.Clear();
        _segments = 0;
    }
}

/// <summary>Ogg's CRC-32: polynomial 0x04C11DB7, not reflected, initial 0, no final XOR (differs from STUN's).</summary>
internal static class OggCrc
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0;
        foreach (byte b in data)
        {
            crc = (crc << 8) ^ Table[((crc >> 24) ^ b) & 0xFF];
        }

        return crc;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint r = i << 24;
            for (int bit = 0; bit < 8; bit++)
            {
                r = (r & 0x80000000) != 0 ? (r << 1) ^ 0x04C11DB7 : r << 1;
            }

            table[i] = r;
        }

        return table;
    }
}
