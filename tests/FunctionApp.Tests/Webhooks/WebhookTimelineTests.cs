using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Tests.Webhooks;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Timeline;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Webhooks;

/// <summary>
/// Real-shaped deliveries for every event of whatsapp-calling-api.md §1, through the signed endpoint, the queue, the
/// local trigger host and the event processor, asserted on the timeline they produce.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookTimelineTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["BusinessNumbers:0:PhoneNumberId"] = P.BusinessPhoneNumberId,
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    public static TheoryData<string, string, string> ContactEvents() => new()
    {
        { "user-initiated connect", "UserConnect", "call.incoming" },
        { "business-initiated connect", "BusinessConnect", "call.connecting" },
        { "ringing", "Ringing", "call.ringing" },
        { "accepted", "Accepted", "call.accepted" },
        { "rejected", "Rejected", "call.rejected" },
        { "terminate after pickup", "TerminateAnswered", "call.ended" },
        { "terminate without pickup (user-initiated)", "TerminateMissed", "call.missed" },
        { "terminate without pickup (business-initiated)", "TerminateUnanswered", "call.unanswered" },
        { "terminate with errors in the call", "ErrorsInCall", "call.missed" },
        { "terminate with errors at value level", "ErrorsAtValue", "call.missed" },
        { "terminate with errors in both places, title-case status", "ErrorsBoth", "call.missed" },
        { "temporary approval", "TemporaryApproval", "permission.granted" },
        { "permanent approval", "PermanentApproval", "permission.granted" },
        { "permanent approval from the profile", "PermanentApprovalFromProfile", "permission.granted" },
        { "decline", "Declined", "permission.declined" },
        { "automatic callback permission", "AutomaticCallbackPermission", "callback.requested" },
        { "automatic revocation", "AutomaticRevocation", "permission.revoked" },
        { "voicemail", "Voicemail", "voicemail.received" },
        { "text message", "Text", "message.received" },
        { "recording available", "Recording", "call.recording" },
    };

    [Theory]
    [MemberData(nameof(ContactEvents))]
    public async Task Each_event_lands_on_the_contacts_timeline(string scenario, string builder, string expectedKind)
    {
        var (phone, bsuid) = UniqueCustomer();
        var body = Build(builder, phone, bsuid, "wacid." + Guid.NewGuid().ToString("N"));

        using var response = await WebhookClient.PostSignedAsync(_app, body);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var timeline = await Eventually.UntilAsync(
            () => WebhookClient.TimelineAsync(_app, phone, P.BusinessPhoneNumberId), t => t.Entries.Count > 0, HangGuard, scenario);
        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(expectedKind, entry.Kind);
        Assert.False(string.IsNullOrWhiteSpace(entry.Summary));
        if (builder.StartsWith("Errors", StringComparison.Ordinal))
        {
            Assert.Contains("138021", entry.Details, StringComparison.Ordinal);
        }

        if (builder == "TerminateAnswered")
        {
            Assert.Contains("duration=125", entry.Details, StringComparison.Ordinal);
        }

        // Looked up by BSUID, the same contact (the number is an alias of it).
        var byBsuid = await WebhookClient.TimelineAsync(_app, bsuid, P.BusinessPhoneNumberId);
        Assert.Equal(timeline.Entries, byBsuid.Entries);
    }

    [Fact]
    public async Task Settings_and_account_updates_land_on_the_business_numbers_timeline()
    {
        foreach (var body in new[] { P.SettingsUpdate(), P.AccountViolation(), P.AccountRestriction(restrictionTypes: "RESTRICTED_BUSINESS_INITIATED_CALLING") })
        {
            using var response = await WebhookClient.PostSignedAsync(_app, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var store = _app.Services.GetRequiredService<TimelineStore>();
        var entries = await Eventually.UntilAsync(
            () => store.ReadAsync(new BusinessNumberId(P.BusinessPhoneNumberId), [TimelineStore.BusinessScope], 100, CancellationToken.None),
            e => e.Select(x => x.Kind).Distinct().Count() >= 3, HangGuard, "three number-level entries");
        Assert.Contains(entries, e => e.Kind == "settings.calling");
        Assert.Contains(entries, e => e.Kind == "account.violation");
        Assert.Contains(entries, e => e.Kind == "account.restriction" && e.Summary.Contains("RESTRICTED_BUSINESS_INITIATED_CALLING", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_batched_delivery_is_split_into_one_work_item_per_change_and_every_event_is_recorded()
    {
        var ids = Enumerable.Range(0, 3).Select(_ => "wacid." + Guid.NewGuid().ToString("N")).ToArray();

        using var response = await WebhookClient.PostSignedAsync(_app, P.Batched(ids[0], ids[1], ids[2]));
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);

        var timeline = await Eventually.UntilAsync(
            () => WebhookClient.TimelineAsync(_app, P.UserBsuid, P.BusinessPhoneNumberId),
            t => ids.All(id => t.Entries.Any(e => e.CallId == id)), HangGuard, "every call of the batch on the timeline");
        Assert.All(ids, id => Assert.Contains(timeline.Entries, e => e.CallId == id));
    }

    private static string Recording(string callId, string phone, string bsuid)
    {
        var audio = P.Obj(("id", P.Q("5521")), ("mime_type", P.Q("audio/ogg")));
        var recording = P.Obj(("type", P.Q("audio")), ("audio", audio));
        return P.Obj(
            ("id", P.Q(callId)),
            ("event", P.Q("call_recording_available")),
            ("timestamp", P.Q(P.Timestamp.ToString(System.Globalization.CultureInfo.InvariantCulture))),
            ("from", P.Q(phone)),
            ("from_user_id", P.Q(bsuid)),
            ("call_recording", recording));
    }

    private static (string Phone, string Bsuid) UniqueCustomer()
    {
        var n = Random.Shared.NextInt64(100_000_000, 999_999_999);
        return ($"447{n}", $"GB.{n}{Random.Shared.Next(1000, 9999)}");
    }

    internal static string Build(string builder, string phone, string bsuid, string callId)
    {
        var contact = P.Contact(phone, bsuid);
        string Calls(string item, string? valueErrors = null) => P.SingleChange("calls", P.CallsValue(contact, [item], valueErrors: valueErrors));
        string Status(string status) => P.SingleChange("calls", P.CallsValue(null, statuses: [P.CallStatusItem(status, callId, phone, bsuid)]));
        var errors = P.Errors(138021, "No media", "The client received no media for too long");
        return builder switch
        {
            "UserConnect" => P.UserInitiatedConnect(callId, phone, bsuid),
            "BusinessConnect" => P.BusinessInitiatedConnect(callId, phone, bsuid),
            "Ringing" => Status("RINGING"),
            "Accepted" => Status("ACCEPTED"),
            "Rejected" => Status("REJECTED"),
            "TerminateAnswered" => Calls(P.TerminateItem(callId, startTime: P.Timestamp, endTime: P.Timestamp + 125, durationSeconds: 125, userPhone: phone, userBsuid: bsuid)),
            "TerminateMissed" => Calls(P.TerminateItem(callId, status: "FAILED", userPhone: phone, userBsuid: bsuid)),
            "TerminateUnanswered" => Calls(P.TerminateItem(callId, direction: "BUSINESS_INITIATED", status: "COMPLETED", userPhone: phone, userBsuid: bsuid)),
            "ErrorsInCall" => Calls(P.TerminateItem(callId, status: "FAILED", callErrors: errors, userPhone: phone, userBsuid: bsuid)),
            "ErrorsAtValue" => Calls(P.TerminateItem(callId, status: "failed", userPhone: phone, userBsuid: bsuid), errors),
            "ErrorsBoth" => Calls(P.TerminateItem(callId, status: "Failed", callErrors: errors, userPhone: phone, userBsuid: bsuid), errors),
            "Voicemail" => P.SingleChange("messages", P.MessagesValue(contact, [P.MessageItem("audio",
                P.Obj(("id", P.Q("88120")), ("mime_type", P.Q("audio/ogg; codecs=opus"))), callId, phone, bsuid)])),
            "Text" => P.SingleChange("messages", P.MessagesValue(contact, [P.MessageItem("text",
                P.Obj(("body", P.Q("Please call me"))), "wamid." + Guid.NewGuid().ToString("N"), phone, bsuid)])),
            "Recording" => Calls(Recording(callId, phone, bsuid)),
            _ => P.PermissionReply(Enum.Parse<PermissionScenario>(builder), "wamid." + Guid.NewGuid().ToString("N"), callId, phone, bsuid),
        };
    }
}
