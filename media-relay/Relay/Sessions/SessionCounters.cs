namespace MediaRelay.Sessions;

/// <summary>Per-session media counters (logged at the end; read by tests and the bench).</summary>
internal sealed class SessionCounters
{
    private long _toMeta;
    private long _toAgent;
    private long _silence;
    private long _malformed;
    private long _notForwarded;
    private long _rtcp;

    /// <summary>Agent packets forwarded to the customer.</summary>
    public long ToMeta => Interlocked.Read(ref _toMeta);

    /// <summary>Customer packets forwarded to the active agent.</summary>
    public long ToAgent => Interlocked.Read(ref _toAgent);

    /// <summary>Silence frames the relay sent to Meta while no agent audio flowed.</summary>
    public long Silence => Interlocked.Read(ref _silence);

    /// <summary>Packets that are not parseable RTP, or carry a payload type the leg did not negotiate.</summary>
    public long Malformed => Interlocked.Read(ref _malformed);

    /// <summary>Packets from inactive or muted agent legs, or customer packets with no active agent connected.</summary>
    public long NotForwarded => Interlocked.Read(ref _notForwarded);

    /// <summary>RTCP packets received (terminated per leg, not forwarded).</summary>
    public long RtcpReceived => Interlocked.Read(ref _rtcp);

    internal void CountToMeta() => Interlocked.Increment(ref _toMeta);

    internal void CountToAgent() => Interlocked.Increment(ref _toAgent);

    internal void CountSilence() => Interlocked.Increment(ref _silence);

    internal void CountMalformed() => Interlocked.Increment(ref _malformed);

    internal void CountNotForwarded() => Interlocked.Increment(ref _notForwarded);

    internal void CountRtcp() => Interlocked.Increment(ref _rtcp);
}
