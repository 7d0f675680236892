using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;

namespace WhatsAppCalling.FunctionApp.Calls.Timelines;

/// <summary><c>GET /api/calls/{callId}/timeline</c> (docs/API.md, "Call timelines and follow-ups").</summary>
public static class CallTimelineEndpoints
{
    public sealed record CallTimelineResponse(string CallId, IReadOnlyList<StoredCallTimelineEntry> Entries);

    public static IEndpointRouteBuilder MapCallTimeline(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/calls/{callId}/timeline", ReadAsync)
            .RequireAuthorization(Policies.Agent).WithName("CallTimeline").WithTags("calls")
            .WithSummary("Who did what on a call, and when, oldest first");
        return endpoints;
    }

    private static async Task<IResult> ReadAsync(string callId, CallTimelineStore store, CancellationToken ct)
    {
        var entries = await store.ReadAsync(new CallId(callId), ct);
        return entries.Count > 0
            ? Results.Ok(new CallTimelineResponse(callId, entries))
            : Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown call", detail: $"No timeline is recorded for call {callId}.",
                extensions: new Dictionary<string, object?> { ["field"] = "callId" });
    }
}
