namespace MediaRelay.WebRtc.Transport;

/// <summary>Per-leg (or per-socket) datagram counters: what arrived, and why anything was dropped.</summary>
public sealed class LegCounters
{
    private long _received;
    private long _stun;
    private long _dtls;
    private long _rtp;
    private long _rtcp;
    private long _malformedStun;
    private long _rejectedStun;
    private long _unmatchedStun;
    private long _unknownKind;
    private long _unknownSource;
    private long _beforeKeys;
    private long _malformedDtls;
    private long _srtpDropped;

    public long Received => Interlocked.Read(ref _received);
    public long Stun => Interlocked.Read(ref _stun);
    public long Dtls => Interlocked.Read(ref _dtls);
    public long Rtp => Interlocked.Read(ref _rtp);
    public long Rtcp => Interlocked.Read(ref _rtcp);
    public long MalformedStunDropped => Interlocked.Read(ref _malformedStun);
    public long RejectedStun => Interlocked.Read(ref _rejectedStun);
    public long UnmatchedStunDropped => Interlocked.Read(ref _unmatchedStun);
    public long UnknownKindDropped => Interlocked.Read(ref _unknownKind);
    public long UnknownSourceDropped => Interlocked.Read(ref _unknownSource);
    public long BeforeKeysDropped => Interlocked.Read(ref _beforeKeys);
    public long MalformedDtlsDropped => Interlocked.Read(ref _malformedDtls);
    public long SrtpDropped => Interlocked.Read(ref _srtpDropped);

    /// <summary>All datagrams that were discarded, whatever the reason.</summary>
    public long Dropped => MalformedStunDropped + RejectedStun + UnmatchedStunDropped + UnknownKindDropped
        + UnknownSourceDropped + BeforeKeysDropped + MalformedDtlsDropped + SrtpDropped;

    internal void CountReceived() => Interlocked.Increment(ref _received);
    internal void CountStun() => Interlocked.Increment(ref _stun);
    internal void CountDtls() => Interlocked.Increment(ref _dtls);
    internal void CountRtp() => Interlocked.Increment(ref _rtp);
    internal void CountRtcp() => Interlocked.Increment(ref _rtcp);
    internal void DropMalformedStun() => Interlocked.Increment(ref _malformedStun);
    internal void DropRejectedStun() => Interlocked.Increment(ref _rejectedStun);
    internal void DropUnmatchedStun() => Interlocked.Increment(ref _unmatchedStun);
    internal void DropUnknownKind() => Interlocked.Increment(ref _unknownKind);
    internal void DropUnknownSource() => Interlocked.Increment(ref _unknownSource);
    internal void DropBeforeKeys() => Interlocked.Increment(ref _beforeKeys);
    internal void DropMalformedDtls() => Interlocked.Increment(ref _malformedDtls);
    internal void DropSrtp() => Interlocked.Increment(ref _srtpDropped);
}
