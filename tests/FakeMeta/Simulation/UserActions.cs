using System.Text.Json.Nodes;
using FakeMeta.Webhooks;

namespace FakeMeta.Simulation;

/// <summary>A user-initiated call the fake started, and the connect webhook it sent for it.</summary>
public sealed record UserInitiatedCall(FakeCall Call, SentWebhook Connect)
{
    public string CallId => Call.Id;
}

/// <summary>
/// What a WhatsApp user does, driven by tests: call the business, ring/answer/reject/ignore a business call, hang
/// up, reply to permission requests, write a message. Each method updates Meta's state and awaits delivery of the
/// webhooks Meta would send (to <paramref name="target"/> or the configured callback URL), returning them.
/// </summary>
public sealed class UserActions(MetaSimulator sim)
{
    /// <summary>§1.5: the user calls the business; Meta's connect webhook carries <paramref name="sdpOffer"/>.</summary>
    public async Task<UserInitiatedCall> CallBusinessAsync(FakeUser user, string sdpOffer, string? phoneNumberId = null,
        WebhookTarget? target = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        FakeCall call;
        JsonObject envelope;
        (string, JsonObject)? callback = null;
        lock (sim.Gate)
        {
            var number = sim.Number(phoneNumberId ?? sim.DefaultNumber.PhoneNumberId)
                ?? throw new ArgumentException("Unknown business number.", nameof(phoneNumberId));
            user = sim.AddUserLocked(user);
            call = sim.AddCallLocked(number.PhoneNumberId, user, CallDirection.UserInitiated, sdpOffer);
            var value = WebhookPayloads.Value(number, user);
            value["calls"] = new JsonArray(WebhookPayloads.Connect(call, number, "offer", sdpOffer, sim.Now));
            envelope = WebhookPayloads.Envelope(sim.Options.WabaId, "calls", value);
            // Callback permission: a user who calls grants a temporary permission when the setting is on (§3.1).
            if (string.Equals((string?)sim.SettingsLocked(number.PhoneNumberId)["callback_permission_status"], "ENABLED",
                StringComparison.OrdinalIgnoreCase))
            {
                callback = sim.PermissionReplyLocked(number.PhoneNumberId, user, PermissionReplyScenario.AutomaticCallback, call.Id);
            }
        }

        var sent = await sim.Webhooks.SendAsync("calls", envelope, target ?? sim.DefaultTarget, cancellationToken);
        if (callback is { } reply)
        {
            await sim.Webhooks.SendAsync(reply.Item1, reply.Item2, target ?? sim.DefaultTarget, cancellationToken);
        }

        return new UserInitiatedCall(call, sent);
    }

    /// <summary>§1.6, §1.7: Meta answers our offer (connect webhook with its SDP answer) and the phone rings.</summary>
    public Task<IReadOnlyList<SentWebhook>> RingAsync(string callId, string? sdpAnswer = null, WebhookTarget? target = null) =>
        SendAsync(target, () => RingLocked(BusinessCall(callId), sdpAnswer));

    /// <summary>The user picks up a business-initiated call: ACCEPTED; counts as a connected call (§3.5).</summary>
    public Task<IReadOnlyList<SentWebhook>> AnswerAsync(string callId, string? sdpAnswer = null, WebhookTarget? target = null) =>
        SendAsync(target, () =>
        {
            var call = BusinessCall(callId);
            var hooks = RingLocked(call, sdpAnswer);
            sim.MarkConnectedLocked(call);
            hooks.Add(StatusLocked(call, "ACCEPTED"));
            return hooks;
        });

    /// <summary>The user declines: REJECTED then terminate (§1.7); counts towards the unanswered streak (§3.5).</summary>
    public Task<IReadOnlyList<SentWebhook>> RejectAsync(string callId, WebhookTarget? target = null) =>
        SendAsync(target, () =>
        {
            var call = BusinessCall(callId);
            var hooks = RingLocked(call);
            hooks.Add(StatusLocked(call, "REJECTED"));
            return EndUnansweredLocked(call, hooks);
        });

    /// <summary>The phone rings out: terminate without pickup; counts towards the unanswered streak (§3.5).</summary>
    public Task<IReadOnlyList<SentWebhook>> DoNotAnswerAsync(string callId, WebhookTarget? target = null) =>
        SendAsync(target, () =>
        {
            var call = BusinessCall(callId);
            return EndUnansweredLocked(call, RingLocked(call));
        });

    /// <summary>The user hangs up a call in either direction: terminate COMPLETED (§1.8).</summary>
    public Task<IReadOnlyList<SentWebhook>> HangUpAsync(string callId, WebhookTarget? target = null) =>
        SendAsync(target, () => [sim.EndCallLocked(OpenCall(callId), "COMPLETED")]);

    /// <summary>The call fails on the user's side: terminate FAILED with a §2.7 code (e.g. 138021) in errors.</summary>
    public Task<IReadOnlyList<SentWebhook>> FailCallAsync(string callId, int errorCode, string details,
        WebhookTarget? target = null) =>
        SendAsync(target, () => [sim.EndCallLocked(OpenCall(callId), "FAILED",
            WebhookPayloads.CallError(errorCode, "Call failed", details))]);

    /// <summary>§1.10: a permission reply in one of the documented scenarios; the permission changes accordingly.</summary>
    public Task<IReadOnlyList<SentWebhook>> ReplyToPermissionAsync(FakeUser user, PermissionReplyScenario scenario,
        string? contextId = null, string? phoneNumberId = null, WebhookTarget? target = null) =>
        SendAsync(target, () => [sim.PermissionReplyLocked(phoneNumberId ?? sim.DefaultNumber.PhoneNumberId,
            sim.AddUserLocked(user), scenario, contextId)]);

    /// <summary>An inbound text message under <c>messages</c>.</summary>
    public Task<IReadOnlyList<SentWebhook>> SendTextAsync(FakeUser user, string text, string? phoneNumberId = null,
        WebhookTarget? target = null) =>
        SendAsync(target, () =>
        {
            var number = sim.Number(phoneNumberId ?? sim.DefaultNumber.PhoneNumberId)!;
            var value = WebhookPayloads.Value(number, sim.AddUserLocked(user));
            value["messages"] = new JsonArray(WebhookPayloads.Text(user, FakeIds.NewMessageId(), sim.Now, text));
            return [("messages", WebhookPayloads.Envelope(sim.Options.WabaId, "messages", value))];
        });

    /// <summary>§1.11 <c>account_settings_update</c> with the number's current calling settings.</summary>
    public Task<IReadOnlyList<SentWebhook>> SendSettingsUpdateAsync(string? phoneNumberId = null, WebhookTarget? target = null) =>
        SendAsync(target, () =>
        {
            var id = phoneNumberId ?? sim.DefaultNumber.PhoneNumberId;
            return [("account_settings_update", WebhookPayloads.Envelope(sim.Options.WabaId, "account_settings_update",
                WebhookPayloads.SettingsUpdate(id, sim.SettingsLocked(id))))];
        });

    /// <summary>Meta's answer goes out once per call: the given SDP, or a Meta-style one (§5.4).</summary>
    private List<(string, JsonObject)> RingLocked(FakeCall call, string? sdpAnswer = null)
    {
        if (call.State != CallState.Ringing || call.MetaAnswerSdp is not null)
        {
            return [];
        }

        call.MetaAnswerSdp = sdpAnswer ?? SdpRules.MetaAnswer();
        var number = sim.Number(call.PhoneNumberId)!;
        var value = WebhookPayloads.Value(number, call.User);
        value["calls"] = new JsonArray(WebhookPayloads.Connect(call, number, "answer", call.MetaAnswerSdp, sim.Now));
        return [("calls", WebhookPayloads.Envelope(sim.Options.WabaId, "calls", value)), StatusLocked(call, "RINGING")];
    }

    private (string, JsonObject) StatusLocked(FakeCall call, string status)
    {
        var value = WebhookPayloads.Value(sim.Number(call.PhoneNumberId)!, null);
        value["statuses"] = new JsonArray(WebhookPayloads.Status(call, status, sim.Now));
        return ("calls", WebhookPayloads.Envelope(sim.Options.WabaId, "calls", value));
    }

    private List<(string, JsonObject)> EndUnansweredLocked(FakeCall call, List<(string, JsonObject)> hooks)
    {
        hooks.Add(sim.EndCallLocked(call, "COMPLETED"));
        if (sim.RecordUnansweredLocked(call) is { } revoked)
        {
            hooks.Add(revoked);
        }

        return hooks;
    }

    private FakeCall BusinessCall(string callId)
    {
        var call = OpenCall(callId);
        return call.Direction == CallDirection.BusinessInitiated && call.State != CallState.Connected
            ? call
            : throw new InvalidOperationException($"Call {callId} is not a ringing business-initiated call.");
    }

    private FakeCall OpenCall(string callId) =>
        sim.CallLocked(callId) is { State: not CallState.Ended } call
            ? call
            : throw new InvalidOperationException($"Call {callId} is unknown or already ended.");

    private async Task<IReadOnlyList<SentWebhook>> SendAsync(WebhookTarget? target, Func<List<(string, JsonObject)>> build)
    {
        List<(string Field, JsonObject Envelope)> hooks;
        lock (sim.Gate)
        {
            hooks = build();
        }

        var sent = new List<SentWebhook>();
        foreach (var (field, envelope) in hooks)
        {
            sent.Add(await sim.Webhooks.SendAsync(field, envelope, target ?? sim.DefaultTarget));
        }

        return sent;
    }
}
