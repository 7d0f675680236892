using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Calls.Inbound;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// Lets the shared call routes of <see cref="CallEndpoints"/> (read, end, disposition, mute, transfer) serve calls an
/// agent placed. The route calls here only once it found no inbound call of that id; each answers null when there is
/// no placed call either (the route's 404). Request bodies are validated by the shared route before it gets here.
/// </summary>
public static class OutboundCallFallback
{
    /// <summary>The relay's answer to a teammate taking a placed call over (the shape of the inbound accept).</summary>
    public sealed record TransferAcceptResponse(string CallId, string SdpAnswer, string LegId, OutboundCallResponse Call);

    public static async Task<IResult?> GetAsync(HttpContext http, string callId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        return await PlacedCallAsync(http, callId, ct) is { } call
            ? Results.Ok(OutboundCallResponse.From(call, await Calls(http).GetMediaAsync(call.CallId, ct)))
            : null;
    }

    public static Task<IResult?> EndAsync(HttpContext http, string callId, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.EndAsync(id, agent, ct), ct);

    public static Task<IResult?> DispositionAsync(HttpContext http, string callId, DispositionCode code, string? note, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.RecordDispositionAsync(id, agent, code, note, ct), ct);

    public static Task<IResult?> TransferAsync(HttpContext http, string callId, AgentId target, string? note, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.StartTransferAsync(id, agent, target, note, ct), ct);

    public static Task<IResult?> DeclineTransferAsync(HttpContext http, string callId, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.DeclineTransferAsync(id, agent, ct), ct);

    public static Task<IResult?> AcceptTransferAsync(HttpContext http, string callId, string browserOfferSdp, CancellationToken ct) =>
        AgentCommandAsync(http, callId, async (calls, id, agent) =>
        {
            var result = await calls.AcceptTransferAsync(id, agent, browserOfferSdp, ct);
            if (result.Refusal is { } refusal)
            {
                return CallEndpoints.Conflict(refusal);
            }

            var leg = result.AgentLeg ?? throw new InvalidOperationException($"Call {callId}: the relay returned no agent leg.");
            return Results.Ok(new TransferAcceptResponse(callId, leg.SdpAnswer, leg.LegId, OutboundCallResponse.From(result.State)));
        }, ct);

    public static Task<IResult?> TransferTargetsAsync(HttpContext http, string callId, CancellationToken ct) =>
        AgentCommandAsync(http, callId, async (calls, id, agent) =>
        {
            var (targets, refusal) = await calls.TransferTargetsAsync(id, agent, ct);
            return refusal is { } r
                ? CallEndpoints.Conflict(r)
                : Results.Ok(new CallEndpoints.TransferTargetsResponse(callId, [.. targets.Select(t => new CallEndpoints.TransferTarget(t.Agent.Id.Value, t.Name))]));
        }, ct);

    public static Task<IResult?> MuteAsync(HttpContext http, string callId, bool muted, CancellationToken ct) =>
        AgentCommandAsync(http, callId, async (calls, id, agent) =>
        {
            var (call, media, refusal) = await calls.SetMutedAsync(id, agent, muted, ct);
            return refusal is { } r ? CallEndpoints.Conflict(r) : Results.Ok(OutboundCallResponse.From(call, media));
        }, ct);

    private static Task<IResult?> CommandAsync(
        HttpContext http, string callId, Func<OutboundCalls, CallId, AgentId, Task<OutboundCommandResult>> command, CancellationToken ct) =>
        AgentCommandAsync(http, callId, async (calls, id, agent) =>
        {
            var result = await command(calls, id, agent);
            return result.Refusal is { } refusal ? CallEndpoints.Conflict(refusal) : Results.Ok(OutboundCallResponse.From(result.State));
        }, ct);

    private static async Task<IResult?> AgentCommandAsync(
        HttpContext http, string callId, Func<OutboundCalls, CallId, AgentId, Task<IResult>> command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await PlacedCallAsync(http, callId, ct) is null)
        {
            return null;
        }

        if (http.User.AgentId(http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value) is not { } agent)
        {
            return Results.Forbid();
        }

        return await CallEndpoints.GuardAsync(() => command(Calls(http), new CallId(callId), new AgentId(agent)));
    }

    private static OutboundCalls Calls(HttpContext http) => http.RequestServices.GetRequiredService<OutboundCalls>();

    private static Task<OutboundCall?> PlacedCallAsync(HttpContext http, string callId, CancellationToken ct) =>
        Calls(http).GetAsync(new CallId(callId), ct);
}
