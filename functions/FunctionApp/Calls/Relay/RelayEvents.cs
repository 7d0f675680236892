using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// Something the relay saw on a call's media (docs/RELAY-API.md, "Events"). <see cref="EventId"/> is the relay's
/// idempotency key: a redelivered event carries the same id and must change nothing the second time.
/// </summary>
public abstract record RelayEvent(string EventId, CallId SessionId, string? LegId, DateTimeOffset At)
{
    /// <summary>The wire name, e.g. <c>media_connected</c>.</summary>
    public abstract string Type { get; }
}

/// <summary>ICE and DTLS completed on a leg and the first SRTP packet arrived.</summary>
public sealed record MediaConnected(string EventId, CallId SessionId, string? LegId, DateTimeOffset At, string? RemoteAddress)
    : RelayEvent(EventId, SessionId, LegId, At)
{
    public const string WireType = "media_connected";

    public override string Type => WireType;
}

/// <summary>A leg stopped carrying media (consent expired, DTLS closed, no packets).</summary>
public sealed record MediaLost(string EventId, CallId SessionId, string? LegId, DateTimeOffset At, string Reason)
    : RelayEvent(EventId, SessionId, LegId, At)
{
    public const string WireType = "media_lost";

    public override string Type => WireType;
}

/// <summary>A DTMF digit (RFC 4733 telephone-event) from the customer or an agent.</summary>
public sealed record DtmfReceived(string EventId, CallId SessionId, string? LegId, DateTimeOffset At, string Digit, int? DurationMs)
    : RelayEvent(EventId, SessionId, LegId, At)
{
    public const string WireType = "dtmf";

    public override string Type => WireType;
}

/// <summary>Periodic RTCP-derived figures for one leg; <see cref="Mos"/> is the relay's 1–5 estimate when it has one.</summary>
public sealed record QualityReport(
    string EventId, CallId SessionId, string? LegId, DateTimeOffset At,
    long PacketsReceived, long PacketsLost, double JitterMs, double? RoundTripMs, double? Mos)
    : RelayEvent(EventId, SessionId, LegId, At)
{
    public const string WireType = "quality_report";

    public override string Type => WireType;
}

/// <summary>The call's recording is stored; <see cref="Location"/> is where the relay put it (a blob URL).</summary>
public sealed record RecordingReady(
    string EventId, CallId SessionId, string? LegId, DateTimeOffset At, Uri Location, string ContentType, double DurationSeconds)
    : RelayEvent(EventId, SessionId, LegId, At)
{
    public const string WireType = "recording_ready";

    public override string Type => WireType;
}
