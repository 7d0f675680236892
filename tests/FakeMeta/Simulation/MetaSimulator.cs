using System.Text.Json.Nodes;
using FakeMeta.Webhooks;

namespace FakeMeta.Simulation;

/// <summary>How <c>GET call_permissions</c> answers: the guide's vocabulary or the OpenAPI reference's (§3.4).</summary>
public enum PermissionResponseShape
{
    Guide,
    OpenApi,
}

/// <summary>A pair's state as Meta sees it now (for assertions).</summary>
public sealed record PermissionSnapshot(
    PermissionKind Kind,
    DateTimeOffset? ExpiresAt,
    int RequestsLast24Hours,
    int RequestsLast7Days,
    int ConnectedCallsLast24Hours,
    int UnansweredStreak);

/// <summary>
/// Meta's side of the world: business numbers and their settings, users, per-pair permissions and limits, and
/// calls. Graph requests go through <see cref="GraphRules"/>; tests drive the user's side through the methods here,
/// which also send the webhooks Meta would send. One lock guards all state; webhooks are sent outside it.
/// </summary>
public sealed class MetaSimulator
{
    private readonly Dictionary<string, FakeUser> users = new(StringComparer.Ordinal);
    private readonly HashSet<string> uncallable = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Number, string User), PermissionPair> pairs = [];
    private readonly Dictionary<string, FakeCall> calls = new(StringComparer.Ordinal);
    private readonly Dictionary<string, JsonObject> settings = new(StringComparer.Ordinal);
    private readonly List<NudgeRecord> nudges = [];
    private readonly Dictionary<string, string> messagingLimits = new(StringComparer.Ordinal);

    public MetaSimulator(FakeMetaOptions options, WebhookSender webhooks)
    {
        Options = options ?? throw new ArgumentNullException(nameof(options));
        Webhooks = webhooks;
        foreach (var number in options.BusinessNumbers)
        {
            messagingLimits[number.PhoneNumberId] = number.MessagingLimitTier;
            settings[number.PhoneNumberId] = new JsonObject
            {
                ["status"] = options.CallingEnabledByDefault ? "ENABLED" : "DISABLED",
                ["call_icon_visibility"] = "DEFAULT",
                ["callback_permission_status"] = "DISABLED",
            };
        }
    }

    public FakeMetaOptions Options { get; }

    internal WebhookSender Webhooks { get; }

    internal object Gate { get; } = new();

    internal DateTimeOffset Now => Options.Time.GetUtcNow();

    public PermissionResponseShape PermissionResponseShape { get; set; } = PermissionResponseShape.Guide;

    public FakeBusinessNumber DefaultNumber => Options.BusinessNumbers[0];

    /// <summary>The webhook destination from the options, or null when none is configured.</summary>
    public WebhookTarget? DefaultTarget => Options.CallbackUrl is { } url ? new WebhookTarget(url, Options.AppSecret) : null;

    public IReadOnlyList<NudgeRecord> Nudges
    {
        get
        {
            lock (Gate)
            {
                return [.. nudges];
            }
        }
    }

    /// <summary>Registers a user (number and/or BSUID); later requests by either id resolve to the same user.</summary>
    public FakeUser AddUser(FakeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (Gate)
        {
            return AddUserLocked(user);
        }
    }

    public void MarkUncallable(FakeUser user)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (Gate)
        {
            uncallable.Add(user.UserId);
        }
    }

    public void SetCallingEnabled(string phoneNumberId, bool enabled) =>
        UpdateSetting(phoneNumberId, "status", enabled ? "ENABLED" : "DISABLED");

    public void SetCallbackPermission(string phoneNumberId, bool enabled) =>
        UpdateSetting(phoneNumberId, "callback_permission_status", enabled ? "ENABLED" : "DISABLED");

    /// <summary>Changes the number's messaging limit tier, as Meta's scaling would.</summary>
    public void SetMessagingLimitTier(string phoneNumberId, string tier)
    {
        lock (Gate)
        {
            messagingLimits[phoneNumberId] = tier;
        }
    }

    public string MessagingLimitTier(string phoneNumberId)
    {
        lock (Gate)
        {
            return messagingLimits[phoneNumberId];
        }
    }

    /// <summary>
    /// An admin changes settings in Meta's UI (WhatsApp Manager): the stored settings change and Meta sends the
    /// <c>account_settings_update</c> webhook (§1.11) to the configured callback.
    /// </summary>
    public async Task ChangeSettingsInMetaUiAsync(string phoneNumberId, Action<JsonObject> change)
    {
        ArgumentNullException.ThrowIfNull(change);
        JsonObject stored;
        lock (Gate)
        {
            change(settings[phoneNumberId]);
            stored = (JsonObject)settings[phoneNumberId].DeepClone();
        }

        await Webhooks.SendAsync("account_settings_update", WebhookPayloads.Envelope(Options.WabaId, "account_settings_update",
            WebhookPayloads.SettingsUpdate(phoneNumberId, stored)), DefaultTarget);
    }

    public JsonObject CallingSettings(string phoneNumberId)
    {
        lock (Gate)
        {
            return (JsonObject)settings[phoneNumberId].DeepClone();
        }
    }

    /// <summary>Grants permission without a webhook (e.g. granted before the test began).</summary>
    public void GrantPermission(FakeUser user, PermissionKind kind, string? phoneNumberId = null)
    {
        lock (Gate)
        {
            Pair(phoneNumberId ?? DefaultNumber.PhoneNumberId, AddUserLocked(user)).Grant(kind, Now);
        }
    }

    public PermissionSnapshot Permission(FakeUser user, string? phoneNumberId = null)
    {
        ArgumentNullException.ThrowIfNull(user);
        lock (Gate)
        {
            var now = Now;
            var pair = Pair(phoneNumberId ?? DefaultNumber.PhoneNumberId, user);
            var kind = pair.EffectiveKind(now);
            return new PermissionSnapshot(kind, kind == PermissionKind.Temporary ? pair.ExpiresAt : null,
                pair.RequestsWithin(TimeSpan.FromDays(1), now), pair.RequestsWithin(TimeSpan.FromDays(7), now),
                pair.ConnectedCallsWithin(TimeSpan.FromDays(1), now), pair.UnansweredStreak);
        }
    }

    public FakeCall? FindCall(string callId)
    {
        lock (Gate)
        {
            return calls.GetValueOrDefault(callId);
        }
    }

    internal FakeBusinessNumber? Number(string phoneNumberId) =>
        Options.BusinessNumbers.Find(n => n.PhoneNumberId == phoneNumberId);

    internal JsonObject SettingsLocked(string phoneNumberId) => settings[phoneNumberId];

    internal void ReplaceSettingsLocked(string phoneNumberId, JsonObject calling) => settings[phoneNumberId] = calling;

    internal bool IsCallingEnabledLocked(string phoneNumberId) =>
        string.Equals((string?)settings[phoneNumberId]["status"], "ENABLED", StringComparison.OrdinalIgnoreCase);

    internal bool IsUncallableLocked(FakeUser user) => uncallable.Contains(user.UserId);

    /// <summary>Resolves a user by number or BSUID, creating an unknown one on first sight like a real address book.</summary>
    internal FakeUser ResolveUserLocked(string? waId, string? bsuid)
    {
        if (waId is not null && users.TryGetValue(waId, out var byNumber))
        {
            return byNumber;
        }

        if (bsuid is not null && users.TryGetValue(bsuid, out var byBsuid))
        {
            return byBsuid;
        }

        return AddUserLocked(waId is not null ? FakeUser.WithNumber(waId) : new FakeUser(null, bsuid!, "Customer"));
    }

    internal PermissionPair Pair(string phoneNumberId, FakeUser user)
    {
        if (!pairs.TryGetValue((phoneNumberId, user.UserId), out var pair))
        {
            pair = new PermissionPair();
            pairs[(phoneNumberId, user.UserId)] = pair;
        }

        return pair;
    }

    internal FakeCall AddCallLocked(string phoneNumberId, FakeUser user, CallDirection direction, string? offerSdp)
    {
        var call = new FakeCall
        {
            Id = Options.CallIds?.Invoke() ?? FakeIds.NewCallId(),
            PhoneNumberId = phoneNumberId,
            User = user,
            Direction = direction,
            CreatedAt = Now,
            OfferSdp = offerSdp,
        };
        calls[call.Id] = call;
        return call;
    }

    internal FakeCall? CallLocked(string callId) => calls.GetValueOrDefault(callId);

    internal bool HasOngoingCallLocked(string phoneNumberId, FakeUser user) =>
        calls.Values.Any(c => c.PhoneNumberId == phoneNumberId && c.User.UserId == user.UserId && c.State != CallState.Ended);

    internal void MarkConnectedLocked(FakeCall call)
    {
        call.State = CallState.Connected;
        call.ConnectedAt = Now;
        Pair(call.PhoneNumberId, call.User).RecordConnectedCall(call.Direction, Now);
    }

    /// <summary>Ends a call and builds its terminate webhook (§1.8).</summary>
    internal (string Field, JsonObject Envelope) EndCallLocked(FakeCall call, string status, JsonObject? error = null)
    {
        var now = Now;
        var number = Number(call.PhoneNumberId)!;
        var terminate = WebhookPayloads.Terminate(call, number, status, now);
        call.State = CallState.Ended;
        call.EndedAt = now;
        var value = WebhookPayloads.Value(number, call.User);
        value["calls"] = new JsonArray(terminate);
        if (error is not null)
        {
            value["errors"] = new JsonArray(error);
        }

        return ("calls", WebhookPayloads.Envelope(Options.WabaId, "calls", value));
    }

    /// <summary>Counts an unanswered/rejected business call; 2 → nudge, 4 → revoke plus the automatic reply (§3.5).</summary>
    internal (string Field, JsonObject Envelope)? RecordUnansweredLocked(FakeCall call)
    {
        var outcome = Pair(call.PhoneNumberId, call.User).RecordUnanswered(Options.Limits);
        if (outcome == StreakOutcome.Nudged)
        {
            nudges.Add(new NudgeRecord(call.PhoneNumberId, call.User, Now));
        }

        return outcome == StreakOutcome.Revoked
            ? PermissionReplyLocked(call.PhoneNumberId, call.User, PermissionReplyScenario.AutomaticRevocation, null)
            : null;
    }

    /// <summary>Builds a §1.10 reply for a scenario of its matrix and applies it to the pair's permission.</summary>
    internal (string Field, JsonObject Envelope) PermissionReplyLocked(string phoneNumberId, FakeUser user,
        PermissionReplyScenario scenario, string? contextId)
    {
        var now = Now;
        var pair = Pair(phoneNumberId, user);
        var (response, permanent, source, keepsContext) = scenario switch
        {
            PermissionReplyScenario.TemporaryApproval => ("accept", (bool?)false, "user_action", true),
            PermissionReplyScenario.PermanentApproval => ("accept", true, "user_action", true),
            PermissionReplyScenario.PermanentFromProfile => ("accept", true, "user_action", false),
            PermissionReplyScenario.Declined => ("reject", null, "user_action", true),
            PermissionReplyScenario.AutomaticCallback => ("accept", false, "automatic", true),
            _ => ("reject", (bool?)null, "automatic", false),
        };
        if (response == "accept")
        {
            pair.Grant(permanent == true ? PermissionKind.Permanent : PermissionKind.Temporary, now);
        }
        else
        {
            // A user's reject is also how revocation arrives (§1.10), so it ends any permission.
            pair.Revoke();
        }

        var number = Number(phoneNumberId)!;
        var message = WebhookPayloads.PermissionReply(user, FakeIds.NewMessageId(), now, response, permanent,
            permanent == false ? pair.ExpiresAt : null, source, keepsContext ? contextId : null, number.DisplayNumber);
        var value = WebhookPayloads.Value(number, user);
        value["messages"] = new JsonArray(message);
        return ("messages", WebhookPayloads.Envelope(Options.WabaId, "messages", value));
    }

    internal FakeUser AddUserLocked(FakeUser user)
    {
        if (user.WaId is not null)
        {
            users[user.WaId] = user;
        }

        users[user.UserId] = user;
        return user;
    }

    private void UpdateSetting(string phoneNumberId, string name, string value)
    {
        lock (Gate)
        {
            settings[phoneNumberId][name] = value;
        }
    }
}

/// <summary>The rows of the §1.10 scenario matrix.</summary>
public enum PermissionReplyScenario
{
    TemporaryApproval,
    PermanentApproval,
    PermanentFromProfile,
    Declined,
    AutomaticCallback,
    AutomaticRevocation,
}
