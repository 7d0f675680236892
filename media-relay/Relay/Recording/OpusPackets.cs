namespace MediaRelay.Recording;

/// <summary>Reads the duration of an Opus packet from its TOC byte (RFC 6716 §3.1) without decoding it.</summary>
internal static class OpusPackets
{
    /// <summary>Samples at 48 kHz in <paramref name="packet"/>, or 0 when it is not a readable Opus packet.</summary>
    public static int SamplesAt48Khz(ReadOnlySpan<byte> packet)
    {
        if (packet.IsEmpty)
        {
            return 0;
        }

        int config = packet[0] >> 3;
        // Frame length in units of 2.5 ms (so the CELT 2.5 ms case stays an integer).
        int quarterMs = config switch
        {
            < 12 => (config % 4) switch { 0 => 4, 1 => 8, 2 => 16, _ => 24 },   // SILK 10/20/40/60 ms
            < 16 => config % 2 == 0 ? 4 : 8,                                 // hybrid 10/20 ms
            _ => (config % 4) switch { 0 => 1, 1 => 2, 2 => 4, _ => 8 },     // CELT 2.5/5/10/20 ms
        };
        int frames = (packet[0] & 3) switch
        {
            0 => 1,
            1 or 2 => 2,
            _ => packet.Length > 1 ? packet[1] & 0x3F : 0,
        };
        return frames * quarterMs * 120; // 2.5 ms = 120 samples at 48 kHz
    }
}
