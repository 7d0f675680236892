// RFC 4733 §2.3 (telephone-event payload: event, E bit, R bit, 6-bit volume, 16-bit duration in RTP clock units)
// and §3.2 (DTMF event codes: 0–9 digits, 10 *, 11 #, 12–15 A–D).
using System.Buffers.Binary;

namespace MediaRelay.WebRtc.Rtp;

/// <summary>One telephone-event payload block.</summary>
public readonly record struct TelephoneEvent(byte Event, bool End, byte Volume, ushort Duration)
{
    public const int Length = 4;

    /// <summary>The DTMF key for event codes 0–15; null for other events (flash, tones).</summary>
    public char? Digit => Event switch
    {
        <= 9 => (char)('0' + Event),
        10 => '*',
        11 => '#',
        <= 15 => (char)('A' + Event - 12),
        _ => null,
    };

    /// <summary>Reads the first block of an RTP payload (redundant blocks, RFC 2198, are not negotiated).</summary>
    public static bool TryParse(ReadOnlySpan<byte> payload, out TelephoneEvent telephoneEvent)
    {
        if (payload.Length < Length)
        {
            telephoneEvent = default;
            return false;
        }

        telephoneEvent = new TelephoneEvent(payload[0], (payload[1] & 0x80) != 0, (byte)(payload[1] & 0x3F),
            BinaryPrimitives.ReadUInt16BigEndian(payload[2..]));
        return true;
    }
}
