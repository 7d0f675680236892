using System.Text.Json;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

/// <summary>
/// Builders of real-shaped webhook bodies for every event of whatsapp-calling-api.md §1, written from the field
/// lists there. Self-contained (System.Text.Json only) so other test projects can copy the file as is.
/// Bodies are complete deliveries; the <c>...Value</c>/<c>...Item</c> builders compose batched ones.
/// </summary>
public static partial class WebhookPayloads
{
    public const string WabaId = "730192846610372";
    public const string BusinessPhoneNumberId = "581920374615208";
    public const string BusinessDisplayNumber = "15557340912";
    public const string UserPhone = "4915123456789";
    public const string UserBsuid = "DE.7342109855120447";
    public const string UserParentBsuid = "DE.ENT.8811230045";
    public const string UserName = "Mara Feld";
    public const string SampleCallId = "wacid.HBgNNDkxNTEyMzQ1Njc4ORUCABIYIDQyQzFBM0U5Rjg0QkQ2Q0E3RDA1QjJGNjE4QUUwNzAz";
    public const string SampleMessageId = "wamid.HBgNNDkxNTEyMzQ1Njc4ORUCABEYEjRGN0UzQjI4OTk0QTcxRDVBOAA=";
    public const long Timestamp = 1_795_310_400; // 2026-11-21T22:40:00Z

    /// <summary>A minimal SDP of our own with CRLF line ends, as Meta sends (§1.5).</summary>
    public const string SdpOffer =
        "v=0\r\no=- 7301928466 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 0.0.0.0\r\na=setup:actpass\r\na=mid:0\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n";

    public const string SdpAnswer =
        "v=0\r\no=- 5512093 2 IN IP4 157.240.1.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "m=audio 3480 UDP/TLS/RTP/SAVPF 111\r\nc=IN IP4 157.240.1.1\r\na=setup:active\r\na=mid:0\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n";

    // ---- envelope (§1.1) ----

    public static string Delivery(params string[] entries) =>
        Obj(("object", Q("whatsapp_business_account")), ("entry", Arr(entries)));

    public static string Entry(string wabaId, params string[] changes) =>
        Obj(("id", Q(wabaId)), ("changes", Arr(changes)));

    public static string Change(string field, string value) => Obj(("field", Q(field)), ("value", value));

    public static string SingleChange(string field, string value) => Delivery(Entry(WabaId, Change(field, value)));

    public static string Metadata(string? businessNumberId = BusinessPhoneNumberId, string? displayNumber = BusinessDisplayNumber) =>
        Obj(("display_phone_number", Q(displayNumber)), ("phone_number_id", Q(businessNumberId)));

    public static string Contact(string? phone = UserPhone, string? bsuid = UserBsuid, string? name = UserName, string? parentBsuid = null) =>
        Obj(("profile", Obj(("name", Q(name)))), ("wa_id", Q(phone)), ("user_id", Q(bsuid)), ("parent_user_id", Q(parentBsuid)));

    /// <summary>The value of a <c>calls</c> change; <paramref name="valueErrors"/> is an errors array or null.</summary>
    public static string CallsValue(string? contact, IEnumerable<string>? calls = null, IEnumerable<string>? statuses = null, string? valueErrors = null) =>
        Obj(
            ("messaging_product", Q("whatsapp")),
            ("metadata", Metadata()),
            ("contacts", contact is null ? null : Arr(contact)),
            ("calls", calls is null ? null : Arr([.. calls])),
            ("statuses", statuses is null ? null : Arr([.. statuses])),
            ("errors", valueErrors));

    // ---- calls: connect (§1.5, §1.6) ----

    public static string UserInitiatedConnectItem(
        string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp,
        string sdp = SdpOffer, string? deeplinkPayload = null, string? ctaPayload = null, string? direction = "USER_INITIATED") =>
        Obj(
            ("id", Q(callId)),
            ("from", Q(userPhone)),
            ("from_user_id", Q(userBsuid)),
            ("to", Q(BusinessDisplayNumber)),
            ("event", Q("connect")),
            ("timestamp", Q(timestamp.ToString())),
            ("direction", Q(direction)),
            ("deeplink_payload", Q(deeplinkPayload)),
            ("cta_payload", Q(ctaPayload)),
            ("session", Obj(("sdp_type", Q("offer")), ("sdp", Q(sdp)))));

    public static string UserInitiatedConnect(
        string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp,
        string sdp = SdpOffer, string? deeplinkPayload = null, string? ctaPayload = null) =>
        SingleChange("calls", CallsValue(
            Contact(userPhone, userBsuid),
            [UserInitiatedConnectItem(callId, userPhone, userBsuid, timestamp, sdp, deeplinkPayload, ctaPayload)]));

    public static string BusinessInitiatedConnectItem(
        string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp,
        string sdp = SdpAnswer, string? bizOpaque = null) =>
        Obj(
            ("id", Q(callId)),
            ("from", Q(BusinessDisplayNumber)),
            ("to", Q(userPhone)),
            ("to_user_id", Q(userBsuid)),
            ("event", Q("connect")),
            ("timestamp", Q(timestamp.ToString())),
            ("direction", Q("BUSINESS_INITIATED")),
            ("biz_opaque_callback_data", Q(bizOpaque)),
            ("session", Obj(("sdp_type", Q("answer")), ("sdp", Q(sdp)))),
            // Legacy copy Meta still sends; the parser must ignore it (§1.6).
            ("connection", Obj(("webrtc", Obj(("sdp", Q(JsonSerializer.Serialize(new { sdp = "legacy", type = "answer" }))))))));

    public static string BusinessInitiatedConnect(
        string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid, long timestamp = Timestamp,
        string sdp = SdpAnswer, string? bizOpaque = null) =>
        SingleChange("calls", CallsValue(
            Contact(userPhone, userBsuid),
            [BusinessInitiatedConnectItem(callId, userPhone, userBsuid, timestamp, sdp, bizOpaque)]));

    // ---- calls: status (§1.7) ----

    public static string CallStatusItem(
        string status, string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid,
        long timestamp = Timestamp, string? bizOpaque = null) =>
        Obj(
            ("id", Q(callId)),
            ("timestamp", Q(timestamp.ToString())),
            ("type", Q("call")),
            ("status", Q(status)),
            ("recipient_id", Q(userPhone)),
            ("recipient_user_id", Q(userBsuid)),
            ("biz_opaque_callback_data", Q(bizOpaque)));

    public static string CallStatusUpdate(
        string status, string callId = SampleCallId, string? userPhone = UserPhone, string? userBsuid = UserBsuid,
        long timestamp = Timestamp, string? bizOpaque = null) =>
        SingleChange("calls", CallsValue(null, statuses: [CallStatusItem(status, callId, userPhone, userBsuid, timestamp, bizOpaque)]));

    // ---- calls: terminate (§1.8) ----

    public static string TerminateItem(
        string callId = SampleCallId, string direction = "USER_INITIATED", string status = "COMPLETED", long timestamp = Timestamp,
        long? startTime = null, long? endTime = null, int? durationSeconds = null, string? callErrors = null,
        string? userPhone = UserPhone, string? userBsuid = UserBsuid, string? bizOpaque = null)
    {
        var userCalled = direction.Equals("USER_INITIATED", StringComparison.OrdinalIgnoreCase);
        return Obj(
            ("id", Q(callId)),
            ("from", Q(userCalled ? userPhone : BusinessDisplayNumber)),
            ("from_user_id", userCalled ? Q(userBsuid) : null),
            ("to", Q(userCalled ? BusinessDisplayNumber : userPhone)),
            ("to_user_id", userCalled ? null : Q(userBsuid)),
            ("event", Q("terminate")),
            ("direction", Q(direction)),
            ("timestamp", Q(timestamp.ToString())),
            ("status", Q(status)),
            ("start_time", Q(startTime?.ToString())),
            ("end_time", Q(endTime?.ToString())),
            ("duration", durationSeconds?.ToString()),
            ("biz_opaque_callback_data", Q(bizOpaque)),
            ("errors", callErrors));
    }

    /// <summary>Picked up: start 10 s after the timestamp of connect, <paramref name="durationSeconds"/> long.</summary>
    public static string TerminateAnswered(
        string callId = SampleCallId, string direction = "USER_INITIATED", string status = "COMPLETED", long startTime = Timestamp,
        int durationSeconds = 125) =>
        SingleChange("calls", CallsValue(Contact(), [TerminateItem(
            callId, direction, status, startTime + durationSeconds, startTime, startTime + durationSeconds, durationSeconds)]));

    /// <summary>Never picked up (ring timeout, reject): no start/end/duration.</summary>
    public static string TerminateUnanswered(string callId = SampleCallId, string direction = "USER_INITIATED", string status = "FAILED") =>
        SingleChange("calls", CallsValue(Contact(), [TerminateItem(callId, direction, status)]));

    /// <summary>A failed call with its errors inside the call, at value level, or both (§1.8, real capture).</summary>
    public static string TerminateWithErrors(bool inCall, bool atValue, string status = "FAILED", string callId = SampleCallId)
    {
        var errors = Errors(138021, "Call connect timed out", "The user did not answer in time");
        return SingleChange("calls", CallsValue(
            Contact(),
            [TerminateItem(callId, status: status, callErrors: inCall ? errors : null)],
            valueErrors: atValue ? errors : null));
    }

    public static string Errors(long code, string title, string details) =>
        Arr(Obj(("code", code.ToString()), ("title", Q(title)), ("message", Q(title)), ("error_data", Obj(("details", Q(details))))));

    // ---- calls: recording / transcription (§1.9) ----

    public static string CallArtifact(string eventName = "call_recording_available", string callId = SampleCallId, string mediaId = "830019265518827") =>
        SingleChange("calls", CallsValue(Contact(), [Obj(
            ("id", Q(callId)),
            ("from", Q(UserPhone)),
            ("from_user_id", Q(UserBsuid)),
            ("to", Q(BusinessDisplayNumber)),
            ("event", Q(eventName)),
            ("timestamp", Q((Timestamp + 200).ToString())),
            (eventName.StartsWith("call_recording", StringComparison.Ordinal) ? "call_recording" : "call_transcription", Obj(
                ("type", Q("audio")),
                ("audio", Obj(
                    ("id", Q(mediaId)),
                    ("sha256", Q("3f1c0a8be22d9d44a5b1")),
                    ("mime_type", Q("audio/ogg; codecs=opus")),
                    ("url", Q("https://lookaside.fbsbx.example/whatsapp_business/attachments/?mid=" + mediaId)))))))]));

    // ---- JSON helpers ----

    /// <summary>A JSON string literal, or null (property omitted) for null.</summary>
    public static string? Q(string? text) => text is null ? null : JsonSerializer.Serialize(text);

    /// <summary>An object from (name, JSON) pairs; pairs with null JSON are left out, which is how optional fields vanish.</summary>
    public static string Obj(params (string Name, string? Json)[] properties) =>
        "{" + string.Join(",", properties.Where(p => p.Json is not null).Select(p => JsonSerializer.Serialize(p.Name) + ":" + p.Json)) + "}";

    public static string Arr(params string[] items) => "[" + string.Join(",", items) + "]";
}
