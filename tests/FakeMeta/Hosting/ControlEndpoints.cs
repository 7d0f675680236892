using System.Text.Json;
using System.Text.Json.Nodes;
using FakeMeta.Recording;
using FakeMeta.Simulation;
using FakeMeta.Webhooks;

namespace FakeMeta.Hosting;

/// <summary>
/// HTTP handles on the test-control API for the standalone fake (demo mode): the same operations tests call
/// in-process through <see cref="FakeMetaServer"/>. Bodies use snake_case like Meta's.
/// </summary>
internal static class ControlEndpoints
{
    public static void MapControl(this WebApplication app)
    {
        var control = app.MapGroup("/_fake");
        control.MapPost("/permissions", (JsonObject body, MetaSimulator sim) =>
        {
            var kind = Enum.Parse<PermissionKind>((string?)body["kind"] ?? "Temporary", ignoreCase: true);
            sim.GrantPermission(User(body), kind, (string?)body["phone_number_id"]);
            return Results.Ok(sim.Permission(User(body), (string?)body["phone_number_id"]));
        });
        control.MapPost("/permission-replies", async (JsonObject body, UserActions users) =>
        {
            var scenario = Enum.Parse<PermissionReplyScenario>((string?)body["scenario"] ?? "", ignoreCase: true);
            return Summary(await users.ReplyToPermissionAsync(User(body), scenario, (string?)body["context_id"],
                (string?)body["phone_number_id"]));
        });
        control.MapPost("/calls/user-initiated", async (JsonObject body, UserActions users) =>
        {
            var call = await users.CallBusinessAsync(User(body), (string?)body["sdp"] ?? SdpRules.MetaOffer(),
                (string?)body["phone_number_id"]);
            return Results.Ok(new { call_id = call.CallId, webhook_status = call.Connect.ResponseStatus });
        });
        control.MapPost("/calls/{callId}/{act}", async (string callId, string act, UserActions users) => act switch
        {
            "ring" => Summary(await users.RingAsync(callId)),
            "answer" => Summary(await users.AnswerAsync(callId)),
            "reject" => Summary(await users.RejectAsync(callId)),
            "no-answer" => Summary(await users.DoNotAnswerAsync(callId)),
            "hangup" => Summary(await users.HangUpAsync(callId)),
            _ => Results.NotFound(),
        });
        control.MapPost("/messages", async (JsonObject body, UserActions users) =>
            Summary(await users.SendTextAsync(User(body), (string?)body["text"] ?? "")));
        control.MapPost("/faults", (JsonObject body, FaultInjector faults) =>
        {
            faults.FailNext((string?)body["path_suffix"] ?? "", (int?)body["count"] ?? 1, (int?)body["status"] ?? 500,
                (int?)body["code"], (string?)body["method"]);
            return Results.NoContent();
        });
        control.MapPost("/clock/advance", (JsonObject body, FakeMetaOptions options) =>
        {
            if (options.Time is not ManualTimeProvider manual)
            {
                return Results.Conflict("The fake runs on the system clock.");
            }

            manual.Advance(TimeSpan.FromSeconds((double?)body["seconds"] ?? 0));
            return Results.Ok(new { now = manual.GetUtcNow() });
        });
        control.MapGet("/requests", (RequestJournal journal) => Results.Ok(journal.All));
        control.MapGet("/webhooks", (WebhookSender sender) =>
            Results.Ok(sender.Sent.Select(w => new { w.Field, w.Target, w.ResponseStatus, body = JsonDocument.Parse(w.RawBody).RootElement })));
    }

    private static FakeUser User(JsonObject body)
    {
        var waId = (string?)body["wa_id"];
        var userId = (string?)body["user_id"];
        return waId is null
            ? new FakeUser(null, userId ?? throw new BadHttpRequestException("wa_id or user_id is required."), (string?)body["name"] ?? "Customer")
            : FakeUser.WithNumber(waId, (string?)body["name"]) with { UserId = userId ?? FakeUser.WithNumber(waId).UserId };
    }

    private static IResult Summary(IReadOnlyList<SentWebhook> sent) =>
        Results.Ok(sent.Select(w => new { w.Field, w.ResponseStatus }));
}
