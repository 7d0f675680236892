// RFC 3711 §3.3.2: sliding replay window over the packet index; updated only after authentication.
// 128 entries as in libsrtp (the RFC minimum is 64).
namespace MediaRelay.WebRtc.Srtp;

/// <summary>Replay window for one SSRC; indices are 48-bit SRTP indices or 31-bit SRTCP indices.</summary>
public sealed class SrtpReplayWindow
{
    public const int Size = 128;
    private ulong _low; // bit i set ⇒ index (Highest − i) seen, for i in 0..63
    private ulong _high; // bit i set ⇒ index (Highest − 64 − i) seen

    public long Highest { get; private set; } = -1;

    /// <summary>True if <paramref name="index"/> is new and not older than the window.</summary>
    public bool IsAcceptable(long index)
    {
        if (index > Highest)
        {
            return true;
        }

        long age = Highest - index;
        if (age >= Size)
        {
            return false;
        }

        return age < 64 ? (_low & (1UL << (int)age)) == 0 : (_high & (1UL << (int)(age - 64))) == 0;
    }

    /// <summary>Marks <paramref name="index"/> as received (call after the tag verified).</summary>
    public void Accept(long index)
    {
        if (index > Highest)
        {
            long shift = Highest < 0 ? Size : index - Highest;
            ShiftLeft(shift);
            Highest = index;
            _low |= 1;
            return;
        }

        long age = Highest - index;
        if (age < 64)
        {
            _low |= 1UL << (int)age;
        }
        else if (age < Size)
        {
            _high |= 1UL << (int)(age - 64);
        }
    }

    private void ShiftLeft(long shift)
    {
        if (shift >= Size)
        {
            _low = 0;
            _high = 0;
        }
        else if (shift >= 64)
        {
            _high = _low << (int)(shift - 64);
            _low = 0;
        }
        else if (shift > 0)
        {
            _high = (_high << (int)shift) | (_low >> (int)(64 - shift));
            _low <<= (int)shift;
        }
    }
}
