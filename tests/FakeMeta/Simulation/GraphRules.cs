using System.Text.Json;
using System.Text.Json.Nodes;

namespace FakeMeta.Simulation;

/// <summary>
/// The Graph endpoints' rules as whatsapp-calling-api.md states them (§2 calls, §3 permissions, §4 settings).
/// Each method validates one request against the simulator's state, applies it, and says what to answer.
/// </summary>
internal sealed class GraphRules(MetaSimulator sim)
{
    private const int MaxCallbackData = 512;

    public GraphOutcome Calls(string phoneNumberId, JsonElement body)
    {
        if (Precheck(phoneNumberId, body) is { } refused)
        {
            return refused;
        }

        var action = Str(body, "action");
        lock (sim.Gate)
        {
            return action switch
            {
                "connect" => Connect(phoneNumberId, body),
                "pre_accept" or "accept" => Answer(phoneNumberId, body, action),
                "reject" => Reject(phoneNumberId, body),
                "terminate" => Terminate(phoneNumberId, body),
                _ => GraphOutcome.InvalidParameter("action must be one of connect, pre_accept, accept, reject, terminate."),
            };
        }
    }

    public GraphOutcome Messages(string phoneNumberId, JsonElement body)
    {
        if (Precheck(phoneNumberId, body) is { } refused)
        {
            return refused;
        }

        var to = Str(body, "to");
        var recipient = Str(body, "recipient");
        if (to is null && recipient is null)
        {
            return GraphOutcome.InvalidParameter("to or recipient is required.");
        }

        lock (sim.Gate)
        {
            var user = sim.ResolveUserLocked(to, recipient);
            var problem = Str(body, "type") switch
            {
                "text" => string.IsNullOrEmpty(Str(Obj(body, "text"), "body")) ? "text.body is required." : null,
                "interactive" => InteractiveProblem(Obj(body, "interactive")),
                "template" => TemplateProblem(Obj(body, "template")),
                _ => "type must be text, interactive or template.",
            };
            if (problem is not null)
            {
                return GraphOutcome.InvalidParameter(problem);
            }

            if (IsPermissionRequest(body))
            {
                var pair = sim.Pair(phoneNumberId, user);
                switch (pair.RefuseRequest(sim.Now, sim.Options.Limits))
                {
                    case 138017:
                        return GraphOutcome.Error(400, 138017, "Permission request not sent: the user already granted permanent permission.");
                    case { } code:
                        return GraphOutcome.Error(400, code, "Call permission request limit reached for this user.",
                            $"At most {sim.Options.Limits.RequestsPer24Hours} per 24 hours and {sim.Options.Limits.RequestsPer7Days} per 7 days (§3.5).");
                }

                pair.RecordRequest(sim.Now);
            }

            var contact = new JsonObject { ["input"] = to ?? recipient };
            if (user.WaId is not null)
            {
                contact["wa_id"] = user.WaId;
            }

            contact["user_id"] = user.UserId;
            return GraphOutcome.Ok(new JsonObject
            {
                ["messaging_product"] = "whatsapp",
                ["contacts"] = new JsonArray(contact),
                ["messages"] = new JsonArray(new JsonObject { ["id"] = FakeIds.NewMessageId() }),
            });
        }
    }

    public GraphOutcome CallPermissions(string phoneNumberId, string? waId, string? recipient)
    {
        if (sim.Number(phoneNumberId) is null)
        {
            return UnknownNumber(phoneNumberId);
        }

        if (waId is null && recipient is null)
        {
            return GraphOutcome.InvalidParameter("user_wa_id or recipient is required.");
        }

        lock (sim.Gate)
        {
            var user = sim.ResolveUserLocked(waId, recipient);
            var now = sim.Now;
            var pair = sim.Pair(phoneNumberId, user);
            var limits = sim.Options.Limits;
            var kind = sim.IsUncallableLocked(user) ? PermissionKind.None : pair.EffectiveKind(now);
            var requests24 = pair.RequestsWithin(TimeSpan.FromDays(1), now);
            var requests7 = pair.RequestsWithin(TimeSpan.FromDays(7), now);
            var calls24 = pair.ConnectedCallsWithin(TimeSpan.FromDays(1), now);
            return PermissionsResponse.Build(sim.PermissionResponseShape, kind, pair.ExpiresAt, pair.Kind != PermissionKind.None,
                pair.RefuseRequest(now, limits) is null && !sim.IsUncallableLocked(user),
                (requests24, limits.RequestsPer24Hours), (requests7, limits.RequestsPer7Days),
                (calls24, limits.ConnectedCallsPer24Hours), calls24 >= limits.ConnectedCallsPer24Hours ? pair.NextCallAllowedAt(now) : null);
        }
    }

    public GraphOutcome GetSettings(string phoneNumberId)
    {
        if (sim.Number(phoneNumberId) is null)
        {
            return UnknownNumber(phoneNumberId);
        }

        return GraphOutcome.Ok(new JsonObject { ["calling"] = sim.CallingSettings(phoneNumberId) });
    }

    /// <summary><c>GET /{phone-number-id}?fields=…</c>: the messaging limit tier, in the current and the deprecated field.</summary>
    public GraphOutcome GetNumber(string phoneNumberId, string? fields)
    {
        if (sim.Number(phoneNumberId) is null)
        {
            return UnknownNumber(phoneNumberId);
        }

        var body = new JsonObject { ["id"] = phoneNumberId };
        var tier = sim.MessagingLimitTier(phoneNumberId);
        var asked = (fields ?? string.Empty).Split(',', StringSplitOptions.TrimEntries);
        if (asked.Contains("whatsapp_business_manager_messaging_limit"))
        {
            body["whatsapp_business_manager_messaging_limit"] = tier;
        }

        if (asked.Contains("messaging_limit_tier"))
        {
            body["messaging_limit_tier"] = tier;
        }

        return GraphOutcome.Ok(body);
    }

    public GraphOutcome PostSettings(string phoneNumberId, JsonElement body)
    {
        if (sim.Number(phoneNumberId) is null)
        {
            return UnknownNumber(phoneNumberId);
        }

        if (body.ValueKind != JsonValueKind.Object || !body.TryGetProperty("calling", out var calling)
            || calling.ValueKind != JsonValueKind.Object)
        {
            return GraphOutcome.InvalidParameter("calling object is required.");
        }

        if (SettingsRules.Problem(calling, sim.Now) is { } problem)
        {
            return GraphOutcome.InvalidParameter(problem);
        }

        if (Str(calling, "status") == "ENABLED" && !SettingsRules.MayEnableCalling(sim.MessagingLimitTier(phoneNumberId)))
        {
            return GraphOutcome.Error(400, 138015, "Calling cannot be enabled: the messaging limit is under 2,000 (§2.7).");
        }

        lock (sim.Gate)
        {
            var stored = (JsonObject)sim.SettingsLocked(phoneNumberId).DeepClone();
            foreach (var property in calling.EnumerateObject())
            {
                // Each top-level part given replaces the stored one whole; call_hours in particular (§4).
                stored[property.Name] = JsonNode.Parse(property.Value.GetRawText());
            }

            sim.ReplaceSettingsLocked(phoneNumberId, stored);
            var outcome = GraphOutcome.Ok(new JsonObject { ["success"] = true });
            outcome.Webhooks.Add(("account_settings_update", Webhooks.WebhookPayloads.Envelope(sim.Options.WabaId,
                "account_settings_update", Webhooks.WebhookPayloads.SettingsUpdate(phoneNumberId, stored))));
            return outcome;
        }
    }

    private GraphOutcome Connect(string phoneNumberId, JsonElement body)
    {
        var number = sim.Number(phoneNumberId)!;
        if (!sim.IsCallingEnabledLocked(phoneNumberId))
        {
            return GraphOutcome.Error(401, 138000, "Calling is not enabled for this phone number.");
        }

        if (sim.Options.CountriesWithoutBusinessInitiatedCalls.Contains(number.Country))
        {
            return GraphOutcome.Error(400, 138013, "Business-initiated calling is not available for this business number's country.");
        }

        var to = Str(body, "to");
        var recipient = Str(body, "recipient");
        if (to is null && recipient is null)
        {
            return GraphOutcome.InvalidParameter("to or recipient is required for connect.");
        }

        var session = Obj(body, "session");
        if (Str(session, "sdp_type") != "offer")
        {
            return GraphOutcome.InvalidParameter("session.sdp_type must be offer for connect.");
        }

        if (SdpRules.ProblemWithOffer(Str(session, "sdp")) is { } sdpProblem)
        {
            return GraphOutcome.InvalidParameter(sdpProblem);
        }

        var opaque = Str(body, "biz_opaque_callback_data");
        if (opaque is { Length: > MaxCallbackData })
        {
            return GraphOutcome.InvalidParameter("biz_opaque_callback_data is limited to 512 characters.");
        }

        // When both are given, `to` wins (§2.1).
        var user = sim.ResolveUserLocked(to, to is null ? recipient : null);
        if (sim.IsUncallableLocked(user))
        {
            return GraphOutcome.Error(400, 138001, "Receiver is incapable of receiving this call.");
        }

        var pair = sim.Pair(phoneNumberId, user);
        var now = sim.Now;
        if (pair.EffectiveKind(now) == PermissionKind.None)
        {
            return GraphOutcome.Error(401, 138006, "No approved call permission from the recipient.");
        }

        if (pair.ConnectedCallsWithin(TimeSpan.FromDays(1), now) >= sim.Options.Limits.ConnectedCallsPer24Hours)
        {
            return GraphOutcome.Error(400, 138012, "Business-initiated call limit reached for this user.",
                $"Next call allowed at {pair.NextCallAllowedAt(now)?.ToUnixTimeSeconds()}");
        }

        if (sim.HasOngoingCallLocked(phoneNumberId, user))
        {
            return GraphOutcome.Error(400, 138003, "A call with this user is already ongoing.");
        }

        var call = sim.AddCallLocked(phoneNumberId, user, CallDirection.BusinessInitiated, Str(session, "sdp"));
        call.BizOpaqueCallbackData = opaque;
        return GraphOutcome.Ok(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["calls"] = new JsonArray(new JsonObject { ["id"] = call.Id }),
        });
    }

    private GraphOutcome Answer(string phoneNumberId, JsonElement body, string action)
    {
        if (KnownCall(phoneNumberId, body, out var call) is { } unknown)
        {
            return unknown;
        }

        if (call.Direction != CallDirection.UserInitiated)
        {
            return GraphOutcome.InvalidParameter($"{action} applies to user-initiated calls only.");
        }

        if (call.State is CallState.Connected or CallState.Ended)
        {
            return GraphOutcome.InvalidParameter($"Cannot {action} a call that is already in progress, completed or failed.");
        }

        var session = Obj(body, "session");
        var sdp = Str(session, "sdp");
        if (Str(session, "sdp_type") != "answer")
        {
            return GraphOutcome.InvalidParameter($"session.sdp_type must be answer for {action}.");
        }

        if (SdpRules.ProblemWithAnswer(sdp) is { } sdpProblem)
        {
            return GraphOutcome.InvalidParameter(sdpProblem);
        }

        if (action == "pre_accept")
        {
            call.PreAcceptSdp = sdp;
            call.State = CallState.PreAccepted;
            return GraphOutcome.Success();
        }

        if (call.PreAcceptSdp is not null && !string.Equals(call.PreAcceptSdp, sdp, StringComparison.Ordinal))
        {
            return GraphOutcome.InvalidParameter("The SDP of accept must be identical to the SDP sent with pre_accept (§2.3).");
        }

        call.BizOpaqueCallbackData = Str(body, "biz_opaque_callback_data") ?? call.BizOpaqueCallbackData;
        sim.MarkConnectedLocked(call);
        return GraphOutcome.Success();
    }

    private GraphOutcome Reject(string phoneNumberId, JsonElement body)
    {
        if (KnownCall(phoneNumberId, body, out var call) is { } unknown)
        {
            return unknown;
        }

        if (call.Direction != CallDirection.UserInitiated || call.State is CallState.Connected or CallState.Ended)
        {
            return GraphOutcome.InvalidParameter("Only a ringing user-initiated call can be rejected.");
        }

        var outcome = GraphOutcome.Success();
        outcome.Webhooks.Add(sim.EndCallLocked(call, "COMPLETED"));
        return outcome;
    }

    private GraphOutcome Terminate(string phoneNumberId, JsonElement body)
    {
        if (KnownCall(phoneNumberId, body, out var call) is { } unknown)
        {
            return unknown;
        }

        if (call.State == CallState.Ended)
        {
            return GraphOutcome.InvalidParameter("The call was already terminated.");
        }

        var outcome = GraphOutcome.Success();
        var unanswered = call.Direction == CallDirection.BusinessInitiated && call.State != CallState.Connected;
        outcome.Webhooks.Add(sim.EndCallLocked(call, "COMPLETED"));
        if (unanswered && sim.RecordUnansweredLocked(call) is { } revoked)
        {
            outcome.Webhooks.Add(revoked);
        }

        return outcome;
    }

    private GraphOutcome? KnownCall(string phoneNumberId, JsonElement body, out FakeCall call)
    {
        call = sim.CallLocked(Str(body, "call_id") ?? "")!;
        return call is null || call.PhoneNumberId != phoneNumberId
            ? GraphOutcome.InvalidParameter("Unknown call_id for this phone number.")
            : null;
    }

    private GraphOutcome? Precheck(string phoneNumberId, JsonElement body)
    {
        if (sim.Number(phoneNumberId) is null)
        {
            return UnknownNumber(phoneNumberId);
        }

        if (body.ValueKind != JsonValueKind.Object)
        {
            return GraphOutcome.InvalidParameter("The request body must be a JSON object.");
        }

        return Str(body, "messaging_product") == "whatsapp"
            ? null
            : GraphOutcome.InvalidParameter("messaging_product is required and must be whatsapp.");
    }

    private bool IsPermissionRequest(JsonElement body) => Str(body, "type") switch
    {
        "interactive" => Str(Obj(body, "interactive"), "type") == "call_permission_request",
        "template" => sim.Options.PermissionRequestTemplates.Contains(Str(Obj(body, "template"), "name") ?? ""),
        _ => false,
    };

    private static string? InteractiveProblem(JsonElement interactive)
    {
        if (Str(interactive, "type") != "call_permission_request")
        {
            return "The fake supports only interactive call_permission_request messages.";
        }

        return Str(Obj(interactive, "action"), "name") == "call_permission_request"
            ? null
            : "interactive.action.name must be call_permission_request (§3.2).";
    }

    private static string? TemplateProblem(JsonElement template) =>
        string.IsNullOrEmpty(Str(template, "name")) ? "template.name is required."
        : string.IsNullOrEmpty(Str(Obj(template, "language"), "code")) ? "template.language.code is required."
        : null;

    private static GraphOutcome UnknownNumber(string id) =>
        GraphOutcome.Error(400, 100, $"Unsupported request - object with ID '{id}' does not exist.", subcode: 33);

    internal static string? Str(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String
            ? v.GetString()
            : null;

    internal static JsonElement Obj(JsonElement obj, string name) =>
        obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out var v) ? v : default;
}
