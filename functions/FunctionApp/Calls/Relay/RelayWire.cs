using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>Request and response bodies of the relay control API, as docs/RELAY-API.md spells them.</summary>
internal static class RelayWire
{
    public const string UserInitiated = "user_initiated";
    public const string BusinessInitiated = "business_initiated";

    public static JsonSerializerOptions Json { get; } = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public sealed record CreateSessionRequest(string Direction, string BusinessNumberId, bool Recording, string? MetaOffer);

    public sealed record MetaLegBody(string LegId, string SdpType, string Sdp, string? DtlsRole);

    public sealed record SessionBody(string SessionId, string Direction, string State, MetaLegBody MetaLeg);

    public sealed record MetaAnswerRequest(string Sdp);

    public sealed record AddAgentLegRequest(string AgentId, string BrowserOffer, bool Active);

    public sealed record AgentLegBody(string LegId, string AgentId, string SdpAnswer, bool Active);

    public sealed record ActiveLegRequest(string LegId);

    public sealed record ActiveLegBody(string ActiveLegId, string? PreviousLegId);

    public sealed record MuteRequest(bool Muted);
}
