using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Inbound;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary><c>GET /api/calls/{callId}</c> for a business-initiated call (docs/API.md, "Outbound calls").</summary>
public sealed record OutboundCallResponse(
    string CallId, string Direction, string Phase, string? BusinessNumberId, string? Customer, string? Agent,
    DateTimeOffset? PlacedAt, DateTimeOffset? RingingAt, DateTimeOffset? ConnectedAt, DateTimeOffset? EndedAt, int? DurationSeconds,
    string? EndedBy, string? Outcome, string Disposition, string? DispositionCode, long Version,
    CallEndpoints.TransferView? Transfer = null, bool Muted = false, CallEndpoints.RecordingView? Recording = null)
{
    /// <summary><paramref name="media"/> (mute, recording) is read only where the response shows it: GET and mute.</summary>
    public static OutboundCallResponse From(OutboundCall c, CallMedia? media = null)
    {
        ArgumentNullException.ThrowIfNull(c);
        return new(
            c.CallId.Value, "outbound", c.Phase.ToString(), c.Business?.Value, c.Customer?.Value, c.Agent?.Value,
            c.PlacedAt, c.RingingAt, c.ConnectedAt, c.EndedAt, (int?)c.Duration?.TotalSeconds, c.EndedBy is null ? null : CommonCallEffects.EndedByOf(c.EndedBy),
            c.Outcome is { } outcome ? OutboundEligibility.Camel(outcome.ToString()) : null,
            c.DispositionStatus.Stage.ToString(), c.DispositionStatus.Recorded?.Code.Value, c.Version,
            CallEndpoints.TransferView.From(c.Transfer),
            c.Agent is { } agent && media?.IsMuted(CommonCallEffects.LegIdOf(agent)) == true,
            CallEndpoints.RecordingView.From(media?.Recording));
    }
}
