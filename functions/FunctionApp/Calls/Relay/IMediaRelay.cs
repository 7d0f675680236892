using System.Net;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// The media relay as the call lifecycle needs it (docs/RELAY-API.md). One session per call, keyed by Meta's call
/// id; one Meta leg and one or more agent legs, exactly one of them active. Every operation is idempotent, so a
/// retried queue message or HTTP attempt repeats it safely; conflicting repeats fail with <see cref="MediaRelayException"/>.
/// </summary>
public interface IMediaRelay
{
    /// <summary>User-initiated call: hands Meta's offer to the relay and returns the SDP answer for <c>pre_accept</c>/<c>accept</c>.</summary>
    Task<MetaLegSdp> CreateUserInitiatedSessionAsync(CallId callId, string metaOfferSdp, RelaySessionSettings settings, CancellationToken cancellationToken);

    /// <summary>Business-initiated call: returns the relay's SDP offer for Graph <c>connect</c> (the relay is DTLS server there).</summary>
    Task<MetaLegSdp> CreateBusinessInitiatedSessionAsync(CallId callId, RelaySessionSettings settings, CancellationToken cancellationToken);

    /// <summary>Business-initiated call: Meta's answer from the <c>connect</c> webhook.</summary>
    Task ApplyMetaAnswerAsync(CallId callId, string metaAnswerSdp, CancellationToken cancellationToken);

    /// <summary>An agent's browser joins with its offer; returns the relay's answer (ICE-lite, DTLS server).</summary>
    Task<AgentLegSdp> AddAgentLegAsync(CallId callId, AgentLegRequest leg, CancellationToken cancellationToken);

    /// <summary>Routes the customer's audio to another agent leg (transfer accepted, or revert).</summary>
    Task<ActiveLegSwitch> SwitchActiveLegAsync(CallId callId, string legId, CancellationToken cancellationToken);

    Task SetMutedAsync(CallId callId, string legId, bool muted, CancellationToken cancellationToken);

    /// <summary>Releases an inactive agent leg (the initiator after a transfer, a teammate who declined).</summary>
    Task RemoveAgentLegAsync(CallId callId, string legId, CancellationToken cancellationToken);

    /// <summary>Ends the session and all legs; ending an ended or unknown session succeeds.</summary>
    Task EndSessionAsync(CallId callId, string reason, CancellationToken cancellationToken);
}

/// <summary>Per-call settings the relay needs at creation (recording follows the business number's setting).</summary>
public sealed record RelaySessionSettings(BusinessNumberId BusinessNumber, bool Recording);

/// <summary>The Meta leg's SDP from the relay: an answer (user-initiated) or an offer (business-initiated).</summary>
public sealed record MetaLegSdp(string LegId, string Sdp);

public sealed record AgentLegRequest(string LegId, AgentId Agent, string BrowserOfferSdp, bool Active);

public sealed record AgentLegSdp(string LegId, string SdpAnswer, bool Active);

public sealed record ActiveLegSwitch(string ActiveLegId, string? PreviousLegId);

/// <summary>Leg id rules shared by the client and the contract (docs/RELAY-API.md, "Identifiers").</summary>
public static class RelayLegIds
{
    /// <summary>The customer's leg toward Meta; reserved.</summary>
    public const string Meta = "meta";

    public static bool IsValidAgentLegId(string? legId) =>
        legId is { Length: > 0 and <= 64 } &&
        !string.Equals(legId, Meta, StringComparison.Ordinal) &&
        legId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
}

/// <summary>
/// The relay refused a request (a problem body with <see cref="Code"/>) or could not be reached
/// (<see cref="Status"/> null, <see cref="Code"/> <c>unavailable</c>).
/// </summary>
public sealed class MediaRelayException(HttpStatusCode? status, string code, string message, string? field = null) : Exception(message)
{
    public const string Unavailable = "unavailable";

    public HttpStatusCode? Status { get; } = status;

    public string Code { get; } = code;

    public string? Field { get; } = field;
}
