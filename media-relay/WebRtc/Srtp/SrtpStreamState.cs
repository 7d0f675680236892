// RFC 3711 §3.3.1 (sender increments ROC when SEQ wraps) and Appendix A (receiver's index estimate v from s_l).
namespace MediaRelay.WebRtc.Srtp;

/// <summary>Outgoing ROC bookkeeping for one SSRC.</summary>
internal sealed class SrtpSenderState(ushort firstSequence)
{
    private ushort _lastSequence = firstSequence;

    public uint RolloverCounter { get; private set; }

    /// <summary>Returns the ROC for <paramref name="sequence"/>, advancing it when the sequence wrapped.</summary>
    public uint Advance(ushort sequence)
    {
        // A forward step of less than half the space that crosses 65535 → 0 is a wrap; reordered or retransmitted
        // packets from before the wrap keep the previous ROC.
        int delta = sequence - _lastSequence;
        if (delta < -32768)
        {
            RolloverCounter++;
            _lastSequence = sequence;
            return RolloverCounter;
        }

        if (delta > 32768)
        {
            return RolloverCounter == 0 ? 0 : RolloverCounter - 1;
        }

        if (delta > 0)
        {
            _lastSequence = sequence;
        }

        return RolloverCounter;
    }
}

/// <summary>Incoming ROC, highest sequence and replay window for one SSRC (updated only after authentication).</summary>
internal sealed class SrtpReceiverState
{
    private uint _rolloverCounter;
    private ushort _highestSequence;

    public SrtpReplayWindow Window { get; } = new();

    /// <summary>48-bit packet index for <paramref name="sequence"/> (Appendix A); −1 if it would precede ROC 0.</summary>
    public long EstimateIndex(ushort sequence)
    {
        long roc = _rolloverCounter;
        long v;
        if (_highestSequence < 32768)
        {
            v = sequence - _highestSequence > 32768 ? roc - 1 : roc;
        }
        else
        {
            v = _highestSequence - 32768 > sequence ? roc + 1 : roc;
        }

        return v < 0 || v > uint.MaxValue ? -1 : (v << 16) | sequence;
    }

    public void Accept(long index)
    {
        if (index > Window.Highest)
        {
            _rolloverCounter = (uint)(index >> 16);
            _highestSequence = (ushort)index;
        }

        Window.Accept(index);
    }
}
