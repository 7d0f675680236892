using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Calls.Inbound;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>
/// Lets the shared call routes (<c>GET /api/calls/{callId}</c>, <c>/end</c>, <c>/disposition</c> in
/// <see cref="CallEndpoints"/>) serve outbound calls: each answers null when the id is an inbound call or no call at
/// all, so the inbound route goes on exactly as before.
/// </summary>
public static class OutboundCallFallback
{
    public static async Task<IResult?> GetAsync(HttpContext http, string callId, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        return await OutboundOnlyAsync(http, callId, ct) is { } call ? Results.Ok(OutboundCallResponse.From(call)) : null;
    }

    public static Task<IResult?> EndAsync(HttpContext http, string callId, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.EndAsync(id, agent, ct), ct);

    public static Task<IResult?> DispositionAsync(HttpContext http, string callId, DispositionCode code, string? note, CancellationToken ct) =>
        CommandAsync(http, callId, (calls, id, agent) => calls.RecordDispositionAsync(id, agent, code, note, ct), ct);

    private static async Task<IResult?> CommandAsync(
        HttpContext http, string callId, Func<OutboundCalls, CallId, AgentId, Task<OutboundCommandResult>> command, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (await OutboundOnlyAsync(http, callId, ct) is null)
        {
            return null;
        }

        if (http.User.AgentId(http.RequestServices.GetRequiredService<IOptions<AuthOptions>>().Value) is not { } agent)
        {
            return Results.Forbid();
        }

        var result = await command(http.RequestServices.GetRequiredService<OutboundCalls>(), new CallId(callId), new AgentId(agent));
        return result.Refusal is { } refusal
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The call refused this command", detail: CallRefusals.Describe(refusal),
                extensions: new Dictionary<string, object?> { ["reason"] = refusal.ToString() })
            : Results.Ok(OutboundCallResponse.From(result.State));
    }

    private static async Task<OutboundCall?> OutboundOnlyAsync(HttpContext http, string callId, CancellationToken ct)
    {
        var id = new CallId(callId);
        if (await http.RequestServices.GetRequiredService<InboundCalls>().GetAsync(id, ct) is not null)
        {
            return null;
        }

        return await http.RequestServices.GetRequiredService<OutboundCalls>().GetAsync(id, ct);
    }
}
