using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Problems;
using WhatsAppCalling.FunctionApp.Timeline;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>The follow-up list and its claim / complete routes (docs/API.md, "Call timelines and follow-ups").</summary>
public static class FollowUpEndpoints
{
    public const int MaxNoteLength = 1000;

    public sealed record FollowUpResponse(
        string Id, string Kind, string Status, string BusinessNumberId, NotifiedCustomer Customer, string? MissedCallId,
        DateTimeOffset? MissedAt, string? MissReason, DateTimeOffset? CallbackRequestedAt, DateTimeOffset? CallbackExpiresAt,
        string? ClaimedBy, DateTimeOffset? ClaimedAt, DateTimeOffset? CompletedAt, string? Note)
    {
        public static FollowUpResponse From(FollowUp item)
        {
            ArgumentNullException.ThrowIfNull(item);
            var r = item.Request;
            return new(item.Id, item.Kind, FollowUp.Status(r.Stage), r.Business.Value, FollowUpNotification.CustomerOf(r.Customer), r.MissedCall?.Value,
                item.MissedAt, item.MissReason?.ToString(), r.CallbackRequestedAt, item.CallbackExpiresAt, r.ClaimedBy?.Value, r.ClaimedAt, r.CompletedAt, r.Note);
        }
    }

    public sealed record FollowUpList(IReadOnlyList<FollowUpResponse> Items);

    public static IEndpointRouteBuilder MapFollowUpEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/follow-ups", ListAsync)
            .RequireAuthorization(Policies.Agent).WithName("ListFollowUps").WithTags("follow-ups")
            .WithSummary("Missed calls and callback requests to follow up, newest first");
        endpoints.MapPost("/api/follow-ups/{id}/claim", ClaimAsync)
            .RequireAuthorization(Policies.Agent).WithName("ClaimFollowUp").WithTags("follow-ups")
            .WithSummary("Take a follow-up item so nobody else calls the customer back; the first claim wins");
        endpoints.MapPost("/api/follow-ups/{id}/complete", CompleteAsync)
            .RequireAuthorization(Policies.Agent).WithName("CompleteFollowUp").WithTags("follow-ups")
            .WithSummary("Close a follow-up item this agent claimed, with an optional note");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(string? status, string? businessNumberId, BusinessNumbers numbers, FollowUpStore store, CancellationToken ct)
    {
        CallbackStage? stage = null;
        if (status is not null)
        {
            stage = status switch
            {
                "open" => CallbackStage.Open,
                "claimed" => CallbackStage.Claimed,
                "completed" => CallbackStage.Completed,
                _ => null,
            };
            if (stage is null)
            {
                return ApiProblems.Field("status", $"status must be open, claimed or completed (was '{status}').");
            }
        }

        BusinessNumberId? number = null;
        if (businessNumberId is not null)
        {
            number = numbers.All.FirstOrDefault(n => n.PhoneNumberId == businessNumberId)?.Id;
            if (number is null)
            {
                return ApiProblems.Field("businessNumberId", $"businessNumberId '{businessNumberId}' is not one of this business's numbers.");
            }
        }

        var items = await store.ListAsync(stage, number, ct);
        return Results.Ok(new FollowUpList([.. items.Select(FollowUpResponse.From)]));
    }

    private static async Task<IResult> ClaimAsync(
        string id, HttpContext http, FollowUpStore store, TimelineStore timeline, TeamNotifier team, IOptions<AuthOptions> auth, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        var result = await store.ClaimAsync(id, new AgentId(agent), time.GetUtcNow(), ct);
        return await AnswerAsync(id, agent, "claimed", result, timeline, team, time, logs, ct);
    }

    private static async Task<IResult> CompleteAsync(
        string id, HttpContext http, FollowUpStore store, TimelineStore timeline, TeamNotifier team, IOptions<AuthOptions> auth, TimeProvider time,
        ILoggerFactory logs, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        string? note = null;
        if (http.Request.ContentLength is not 0)
        {
            var (body, problem) = await JsonBodies.ReadObjectAsync(http.Request, """{"note": "…"} or no body""", ct);
            if (problem is not null)
            {
                return problem;
            }

            if (body.TryGetProperty("note", out var value) && value.ValueKind != JsonValueKind.Null)
            {
                if (value.ValueKind != JsonValueKind.String || value.GetString()!.Length > MaxNoteLength)
                {
                    return ApiProblems.Field("note", $"note must be text of at most {MaxNoteLength} characters.");
                }

                note = value.GetString() is { Length: > 0 } text ? text : null;
            }
        }

        var result = await store.CompleteAsync(id, new AgentId(agent), time.GetUtcNow(), note, ct);
        return await AnswerAsync(id, agent, "completed", result, timeline, team, time, logs, ct);
    }

    /// <summary>404 for an unknown item, 409 with the domain's reason, else 200, a line on the customer's timeline and the team told.</summary>
    private static async Task<IResult> AnswerAsync(
        string id, string agent, string action, FollowUpCommand result, TimelineStore timeline, TeamNotifier team, TimeProvider time, ILoggerFactory logs,
        CancellationToken ct)
    {
        var logger = logs.CreateLogger(typeof(FollowUpEndpoints));
        if (result.Item is not { } item)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown follow-up", detail: $"No follow-up item {id} exists.",
                extensions: new Dictionary<string, object?> { ["field"] = "id" });
        }

        var callId = item.Request.MissedCall?.Value;
        if (result.Refusal is { } refusal)
        {
            logger.LogInformation("Call {CallId}: follow-up {FollowUpId} not {Action} by {AgentId}: {Refusal}", callId, id, action, agent, refusal);
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The follow-up refused this command", detail: Describe(refusal, item),
                extensions: new Dictionary<string, object?> { ["reason"] = refusal.ToString(), ["claimedBy"] = item.Request.ClaimedBy?.Value });
        }

        logger.LogInformation("Call {CallId}: follow-up {FollowUpId} {Action} by {AgentId}", callId, id, action, agent);
        var at = action == "claimed" ? item.Request.ClaimedAt : item.Request.CompletedAt;
        var summary = action == "claimed"
            ? $"Follow-up taken by {agent}"
            : $"Follow-up completed by {agent}" + (item.Request.Note is { } note ? $": {note}" : string.Empty);
        await timeline.WriteAsync(item.Request.Business, item.Request.Customer.Value, at, $"follow-up:{item.Id}:{action}",
            new TimelineDescriber.Description("followup." + action, summary, callId, null, null, FollowUp.Status(item.Request.Stage), item.Request.Note), ct);
        await team.NotifyNumberAsync(item.Request.Business, new FollowUpUpdatedNotification(
            item.Id, FollowUp.Status(item.Request.Stage), item.Request.ClaimedBy?.Value) { At = time.GetUtcNow() }, ct);
        return Results.Ok(FollowUpResponse.From(item));
    }

    private static string Describe(CallbackRefusal refusal, FollowUp item) => refusal switch
    {
        CallbackRefusal.ClaimedByAnotherAgent => $"{item.Request.ClaimedBy} already took this follow-up.",
        CallbackRefusal.NotClaimedByAgent => item.Request.ClaimedBy is { } owner
            ? $"Only {owner}, who took this follow-up, may complete it."
            : "Claim this follow-up before completing it.",
        _ => "This follow-up is already completed.",
    };
}
