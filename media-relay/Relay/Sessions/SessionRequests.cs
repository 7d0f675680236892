namespace MediaRelay.Sessions;

/// <summary>A create-session body as received; value equality is the idempotency check ("same body").</summary>
internal sealed record CreateSessionRequest(string Direction, string BusinessNumberId, bool Recording, string? MetaOffer)
{
    public const string UserInitiated = "user_initiated";
    public const string BusinessInitiated = "business_initiated";
}

/// <summary>An add-agent-leg body as received; value equality is the idempotency check.</summary>
internal sealed record AddAgentLegRequest(string AgentId, string BrowserOffer, bool Active);

/// <summary>The session body of docs/RELAY-API.md.</summary>
internal sealed record SessionView(string SessionId, string Direction, string State, MetaLegView MetaLeg);

internal sealed record MetaLegView(string LegId, string SdpType, string Sdp, string DtlsRole);

internal sealed record AgentLegView(string LegId, string AgentId, string SdpAnswer, bool Active);

internal sealed record ActiveLegView(string ActiveLegId, string? PreviousLegId);

internal sealed record MuteView(string LegId, bool Muted);
