// RFC 8489 §14.7: FINGERPRINT is CRC-32 (ISO 3309 / ITU-T V.42, the reflected zlib polynomial) XOR 0x5354554E.
namespace MediaRelay.WebRtc.Stun;

/// <summary>The reflected CRC-32 (polynomial 0xEDB88320) used by the STUN FINGERPRINT attribute.</summary>
public static class StunCrc32
{
    private static readonly uint[] Table = BuildTable();

    public static uint Compute(ReadOnlySpan<byte> data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc = Table[(crc ^ b) & 0xFF] ^ (crc >> 8);
        }

        return crc ^ 0xFFFFFFFF;
    }

    private static uint[] BuildTable()
    {
        var table = new uint[256];
        for (uint i = 0; i < 256; i++)
        {
            uint c = i;
            for (int k = 0; k < 8; k++)
            {
                c = (c & 1) != 0 ? 0xEDB88320 ^ (c >> 1) : c >> 1;
            }

            table[i] = c;
        }

        return table;
    }
}
