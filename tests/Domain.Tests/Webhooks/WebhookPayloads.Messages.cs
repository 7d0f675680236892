namespace WhatsAppCalling.Domain.Tests.Webhooks;

/// <summary>The rows of the permission-reply table in whatsapp-calling-api.md §1.10.</summary>
public enum PermissionScenario
{
    TemporaryApproval,
    PermanentApproval,
    PermanentApprovalFromProfile,
    Declined,
    AutomaticCallbackPermission,
    AutomaticRevocation,
}

public static partial class WebhookPayloads
{
    public const string PermissionRequestId = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABEYEkI5QTNFMDAxQzc3RjQ1MjBFNwA=";

    public static string MessagesValue(string? contact, IEnumerable<string>? messages = null, IEnumerable<string>? statuses = null) =>
        Obj(
            ("messaging_product", Q("whatsapp")),
            ("metadata", Metadata()),
            ("contacts", contact is null ? null : Arr(contact)),
            ("messages", messages is null ? null : Arr([.. messages])),
            ("statuses", statuses is null ? null : Arr([.. statuses])));

    /// <summary>An inbound message item; <paramref name="body"/> is the object named by <paramref name="type"/>.</summary>
    public static string MessageItem(
        string type, string? body, string messageId = SampleMessageId, string? userPhone = UserPhone, string? userBsuid = UserBsuid,
        long timestamp = Timestamp, string? contextId = null) =>
        Obj(
            ("from", Q(userPhone)),
            ("from_user_id", Q(userBsuid)),
            ("id", Q(messageId)),
            ("timestamp", Q(timestamp.ToString())),
            ("context", contextId is null ? null : Obj(("from", Q(BusinessDisplayNumber)), ("id", Q(contextId)))),
            ("type", Q(type)),
            (type, body));

    public static string Message(
        string type, string? body, string messageId = SampleMessageId, string? userPhone = UserPhone, string? userBsuid = UserBsuid,
        long timestamp = Timestamp) =>
        SingleChange("messages", MessagesValue(Contact(userPhone, userBsuid), [MessageItem(type, body, messageId, userPhone, userBsuid, timestamp)]));

    public static string TextMessage(string text = "Can you call me back after 5?", string messageId = SampleMessageId,
        string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp) =>
        Message("text", Obj(("body", Q(text))), messageId, userPhone, userBsuid, timestamp);

    public static string ImageMessage(string messageId = SampleMessageId, string mediaId = "1120934475510293") =>
        Message("image", Obj(("mime_type", Q("image/jpeg")), ("sha256", Q("9b2d1c")), ("id", Q(mediaId))), messageId);

    /// <summary>§1.11: voicemail is an audio message whose id is the wacid of the unanswered call.</summary>
    public static string Voicemail(string callId = SampleCallId, string mediaId = "992018374650021", long timestamp = Timestamp) =>
        Message("audio", Obj(("mime_type", Q("audio/ogg; codecs=opus")), ("sha256", Q("c0ffee12")), ("id", Q(mediaId)), ("voice", "true")),
            callId, timestamp: timestamp);

    public static string PermissionReplyItem(
        string response, bool? isPermanent, long? expiration, string source, string? contextId,
        string messageId = SampleMessageId, string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp) =>
        MessageItem(
            "interactive",
            Obj(
                ("type", Q("call_permission_reply")),
                ("call_permission_reply", Obj(
                    ("response", Q(response)),
                    ("is_permanent", isPermanent is null ? null : isPermanent.Value ? "true" : "false"),
                    ("expiration_timestamp", Q(expiration?.ToString())),
                    ("response_source", Q(source))))),
            messageId, userPhone, userBsuid, timestamp, contextId);

    /// <summary>One row of the §1.10 scenario table as a full delivery.</summary>
    public static string PermissionReply(PermissionScenario scenario, string messageId = SampleMessageId, string callId = SampleCallId,
        string? userPhone = UserPhone, string? userBsuid = UserBsuid)
    {
        var expires = Timestamp + 604_800; // temporary permission: 7 days (§0)
        var item = scenario switch
        {
            PermissionScenario.TemporaryApproval => PermissionReplyItem("accept", false, expires, "user_action", PermissionRequestId, messageId, userPhone, userBsuid),
            PermissionScenario.PermanentApproval => PermissionReplyItem("accept", true, null, "user_action", PermissionRequestId, messageId, userPhone, userBsuid),
            PermissionScenario.PermanentApprovalFromProfile => PermissionReplyItem("accept", true, null, "user_action", null, messageId, userPhone, userBsuid),
            PermissionScenario.Declined => PermissionReplyItem("reject", null, null, "user_action", PermissionRequestId, messageId, userPhone, userBsuid),
            PermissionScenario.AutomaticCallbackPermission => PermissionReplyItem("accept", false, expires, "automatic", callId, messageId, userPhone, userBsuid),
            PermissionScenario.AutomaticRevocation => PermissionReplyItem("reject", null, null, "automatic", null, messageId, userPhone, userBsuid),
            _ => throw new ArgumentOutOfRangeException(nameof(scenario)),
        };
        return SingleChange("messages", MessagesValue(Contact(userPhone, userBsuid), [item]));
    }

    // ---- statuses of messages we sent (§1.10) ----

    public static string MessageStatusItem(string status, string messageId = PermissionRequestId, long timestamp = Timestamp, string? errors = null) =>
        Obj(
            ("id", Q(messageId)),
            ("status", Q(status)),
            ("timestamp", Q(timestamp.ToString())),
            ("recipient_id", Q(UserPhone)),
            ("recipient_user_id", Q(UserBsuid)),
            ("errors", errors));

    public static string MessageStatusUpdate(string status, string messageId = PermissionRequestId, long timestamp = Timestamp) =>
        SingleChange("messages", MessagesValue(null, statuses: [MessageStatusItem(status, messageId, timestamp,
            status == "failed" ? Errors(131047, "Re-engagement message", "More than 24 hours have passed") : null)]));

    // ---- account_settings_update and account_update (§1.11) ----

    public static string SettingsUpdate(string callingStatus = "ENABLED", string iconVisibility = "DEFAULT", string callback = "ENABLED",
        bool typeAsArray = false) =>
        SingleChange("account_settings_update", Obj(
            ("type", typeAsArray ? Arr(Q("phone_number_settings")!) : Q("PHONE_NUMBER_SETTINGS")),
            ("phone_number_settings", Obj(
                ("phone_number_id", Q(BusinessPhoneNumberId)),
                ("calling", Obj(
                    ("status", Q(callingStatus)),
                    ("call_icon_visibility", Q(iconVisibility)),
                    ("callback_permission_status", Q(callback)),
                    ("sip", Obj(("status", Q("DISABLED")))),
                    ("srtp_key_exchange_protocol", Q("DTLS")),
                    ("call_hours", Obj(("status", Q("DISABLED"))))))))));

    public static string AccountViolation(string violationType = "LOW_USER_INITIATED_CALLING_QUALITY") =>
        SingleChange("account_update", Obj(
            ("phone_number", Q(BusinessDisplayNumber)),
            ("event", Q("ACCOUNT_VIOLATION")),
            ("violation_info", Obj(("violation_type", Q(violationType))))));

    public static string AccountRestriction(long expiration = Timestamp + 604_800, params string[] restrictionTypes) =>
        SingleChange("account_update", Obj(
            ("phone_number", Q(BusinessDisplayNumber)),
            ("event", Q("ACCOUNT_RESTRICTION")),
            ("restriction_info", Arr([.. (restrictionTypes.Length == 0 ? ["RESTRICTED_BUSINESS_INITIATED_CALLING"] : restrictionTypes)
                .Select(t => Obj(("restriction_type", Q(t)), ("expiration", expiration.ToString())))]))));

    /// <summary>
    /// A batched delivery: two entries (two WABAs), the first with a calls change carrying two calls and a messages
    /// change, the second with a status change (§1.1: iterate every array, never take [0] only).
    /// </summary>
    public static string Batched(string firstCallId, string secondCallId, string statusCallId) =>
        Delivery(
            Entry(
                WabaId,
                Change("calls", CallsValue(Contact(), [
                    UserInitiatedConnectItem(firstCallId),
                    TerminateItem(secondCallId, startTime: Timestamp - 60, endTime: Timestamp, durationSeconds: 60)])),
                Change("messages", MessagesValue(Contact(), [MessageItem("text", Obj(("body", Q("hello"))))]))),
            Entry(
                "730192846610999",
                Change("calls", CallsValue(null, statuses: [CallStatusItem("RINGING", statusCallId)]))));
}
