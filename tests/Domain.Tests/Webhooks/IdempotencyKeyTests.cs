using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

public sealed class IdempotencyKeyTests
{
    private static string KeyOf(string body) => IdempotencyKey.For(Assert.Single(Parsed.All(body))).Value;

    public static TheoryData<string, string> KeysByEvent => new()
    {
        { UserInitiatedConnect("wacid.abc"), "call:wacid.abc:connect" },
        { BusinessInitiatedConnect("wacid.abc"), "call:wacid.abc:connect" },
        { CallStatusUpdate("accepted", "wacid.abc"), "call:wacid.abc:status:ACCEPTED" },
        { CallStatusUpdate("RINGING", "wacid.abc"), "call:wacid.abc:status:RINGING" },
        { TerminateUnanswered("wacid.abc", status: "Failed"), "call:wacid.abc:terminate" },
        { CallArtifact("call_recording_available", "wacid.abc"), "call:wacid.abc:call_recording_available" },
        { CallArtifact("call_transcription_available", "wacid.abc"), "call:wacid.abc:call_transcription_available" },
        { TextMessage(messageId: "wamid.m1"), "msg:wamid.m1" },
        { PermissionReply(PermissionScenario.Declined, "wamid.m2"), "msg:wamid.m2" },
        { Voicemail("wacid.abc"), "msg:wacid.abc" },
        { MessageStatusUpdate("DELIVERED", "wamid.m3"), "msgstatus:wamid.m3:delivered" },
    };

    [Theory]
    [MemberData(nameof(KeysByEvent))]
    public void Keys_name_the_id_the_event_and_the_status(string body, string expected) =>
        Assert.Equal(expected, KeyOf(body));

    [Fact]
    public void A_redelivered_event_has_the_same_key_alone_or_in_a_batch()
    {
        var alone = KeyOf(UserInitiatedConnect("wacid.A"));
        var batched = IdempotencyKey.For(Parsed.All(Batched("wacid.A", "wacid.B", "wacid.C"))[0]);

        Assert.Equal(alone, batched.Value);
        Assert.Equal(KeyOf(UserInitiatedConnect("wacid.A", timestamp: Timestamp + 30)), alone);
    }

    [Fact]
    public void Different_events_and_statuses_of_one_call_have_different_keys()
    {
        string[] keys =
        [
            KeyOf(BusinessInitiatedConnect()),
            KeyOf(CallStatusUpdate("RINGING")),
            KeyOf(CallStatusUpdate("ACCEPTED")),
            KeyOf(CallStatusUpdate("REJECTED")),
            KeyOf(TerminateUnanswered()),
            KeyOf(CallArtifact()),
            KeyOf(Voicemail()),
        ];

        Assert.Equal(keys.Length, keys.Distinct().Count());
    }

    [Fact]
    public void Statuses_of_one_message_have_different_keys()
    {
        var keys = new[] { "sent", "delivered", "read", "failed" }.Select(s => KeyOf(MessageStatusUpdate(s))).ToList();

        Assert.Equal(4, keys.Distinct().Count());
    }

    [Fact]
    public void Settings_keys_follow_the_content_and_stay_stable_across_redelivery()
    {
        Assert.Equal(KeyOf(SettingsUpdate("ENABLED")), KeyOf(SettingsUpdate("ENABLED")));
        Assert.NotEqual(KeyOf(SettingsUpdate("ENABLED")), KeyOf(SettingsUpdate("DISABLED")));
        Assert.StartsWith($"settings:{BusinessPhoneNumberId}:", KeyOf(SettingsUpdate()), StringComparison.Ordinal);
    }

    [Fact]
    public void The_same_settings_at_a_later_time_are_a_new_event()
    {
        var later = SettingsUpdate().Replace("\"changes\":", "\"time\":1795310999,\"changes\":", StringComparison.Ordinal);

        Assert.NotEqual(KeyOf(SettingsUpdate()), KeyOf(later));
    }

    [Fact]
    public void Account_updates_differ_by_content()
    {
        Assert.NotEqual(KeyOf(AccountViolation()), KeyOf(AccountRestriction()));
        Assert.Equal(KeyOf(AccountViolation()), KeyOf(AccountViolation()));
    }

    [Theory]
    [InlineData("wacid.ab/cd")]
    [InlineData("wacid.a#b?c")]
    [InlineData("wacid.a\\b")]
    [InlineData("wacid.a%2Fb")]
    [InlineData("wacid.a\tb")]
    [InlineData("wacid.HBgM-_x+y==")]
    public void Call_ids_are_kept_as_Meta_sent_them_since_the_table_client_escapes_keys(string callId) =>
        Assert.Equal($"call:{callId}:terminate", KeyOf(TerminateUnanswered(callId)));

    [Fact]
    public void An_oversized_id_is_replaced_by_a_hash_within_the_length_limit()
    {
        var longId = "wacid." + new string('Q', 2000);

        var key = KeyOf(TerminateUnanswered(longId));

        Assert.True(key.Length <= IdempotencyKey.MaxLength);
        Assert.StartsWith("call:sha256:", key, StringComparison.Ordinal);
        Assert.NotEqual(key, KeyOf(TerminateUnanswered(longId + "R")));
    }

    [Fact]
    public void Invalid_and_unknown_changes_get_stable_content_keys()
    {
        var unknown = SingleChange("template_category_update", "{\"new_category\":\"UTILITY\"}");
        var invalid = SingleChange("calls", CallsValue(Contact(), ["{\"event\":\"connect\"}"]));

        Assert.Equal(KeyOf(unknown), KeyOf(unknown));
        Assert.StartsWith("change:template_category_update:", KeyOf(unknown), StringComparison.Ordinal);
        Assert.Equal(KeyOf(invalid), KeyOf(invalid));
        Assert.StartsWith("invalid:calls:", KeyOf(invalid), StringComparison.Ordinal);
    }
}

public sealed class StaleEventPolicyTests
{
    private static readonly DateTimeOffset EventTime = DateTimeOffset.FromUnixTimeSeconds(Timestamp);
    private static readonly TimeSpan TenMinutes = TimeSpan.FromSeconds(600);

    private static WhatsAppEvent Connect(string? body = null) => Assert.Single(Parsed.All(body ?? UserInitiatedConnect()));

    [Fact]
    public void An_event_older_than_the_threshold_is_stale() =>
        Assert.True(StaleEventPolicy.IsStale(Connect(), EventTime.AddSeconds(601), TenMinutes));

    [Fact]
    public void An_event_exactly_at_the_threshold_is_not_yet_stale() =>
        Assert.False(StaleEventPolicy.IsStale(Connect(), EventTime.AddSeconds(600), TenMinutes));

    [Fact]
    public void An_event_stamped_after_receipt_is_fresh() =>
        Assert.False(StaleEventPolicy.IsStale(Connect(), EventTime.AddSeconds(-5), TenMinutes));

    [Fact]
    public void An_event_without_timestamp_is_treated_as_fresh()
    {
        var body = UserInitiatedConnect().Replace("\"timestamp\"", "\"ts\"", StringComparison.Ordinal);
        var connect = Connect(body);

        Assert.Null(connect.Timestamp);
        Assert.False(StaleEventPolicy.IsStale(connect, EventTime.AddDays(1), TenMinutes));
    }
}
