using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

public sealed class CallEventParserTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void User_initiated_connect_carries_the_offer_and_the_caller()
    {
        var connect = Parsed.Single<CallConnected>(UserInitiatedConnect(deeplinkPayload: "promo-7", ctaPayload: "btn-2"));

        Assert.Equal(new CallId(SampleCallId), connect.CallId);
        Assert.Equal(CallDirection.UserInitiated, connect.Direction);
        Assert.True(connect.IsOffer);
        Assert.Equal(SdpOffer, connect.Sdp);
        Assert.Equal(("promo-7", "btn-2"), (connect.DeeplinkPayload, connect.CtaPayload));
        Assert.Equal(new BusinessNumberId(BusinessPhoneNumberId), connect.BusinessNumberId);
        Assert.Equal(BusinessDisplayNumber, connect.DisplayNumber);
        Assert.Equal(At, connect.Timestamp);
        Assert.Equal(UserBsuid, connect.Contact.Bsuid);
        Assert.Equal(PhoneNumber.Parse(UserPhone), connect.Contact.Phone);
        Assert.Equal(UserName, connect.Contact.ProfileName);
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), connect.ContactKey);
        Assert.Empty(connect.UnknownFields);
        Assert.Equal((WabaId, "calls"), (connect.Header.WabaId, connect.Header.Field));
    }

    [Fact]
    public void Business_initiated_connect_carries_the_answer_and_the_callee_and_ignores_the_legacy_copy()
    {
        var connect = Parsed.Single<CallConnected>(BusinessInitiatedConnect(bizOpaque: "ticket-42"));

        Assert.Equal(CallDirection.BusinessInitiated, connect.Direction);
        Assert.False(connect.IsOffer);
        Assert.Equal(SdpAnswer, connect.Sdp);
        Assert.Equal("ticket-42", connect.BizOpaqueCallbackData);
        Assert.Equal(PhoneNumber.Parse(UserPhone), connect.Contact.Phone);
        Assert.Equal(UserBsuid, connect.Contact.Bsuid);
        Assert.Empty(connect.UnknownFields);
    }

    [Fact]
    public void The_legacy_connection_sdp_is_no_fallback_for_a_missing_session()
    {
        var body = BusinessInitiatedConnect().Replace("\"session\"", "\"session_old\"", StringComparison.Ordinal);

        Assert.Equal("value.calls[0].session.sdp", Parsed.Single<InvalidEvent>(body).Path);
    }

    [Fact]
    public void Connect_without_a_phone_number_is_keyed_by_the_BSUID()
    {
        var connect = Parsed.Single<CallConnected>(UserInitiatedConnect(userPhone: null));

        Assert.Null(connect.Contact.Phone);
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), connect.ContactKey);
    }

    [Fact]
    public void Connect_without_a_BSUID_is_keyed_by_the_phone_number()
    {
        var connect = Parsed.Single<CallConnected>(UserInitiatedConnect(userBsuid: null));

        Assert.Null(connect.Contact.Bsuid);
        Assert.Equal(ContactKey.ForPhone(PhoneNumber.Parse(UserPhone)), connect.ContactKey);
    }

    [Fact]
    public void Connect_without_direction_infers_it_from_the_sdp_type()
    {
        var body = SingleChange("calls", CallsValue(Contact(), [UserInitiatedConnectItem(direction: null)]));

        var connect = Parsed.Single<CallConnected>(body);

        Assert.Equal(CallDirection.UserInitiated, connect.Direction);
        Assert.Equal(UserBsuid, connect.Contact.Bsuid);
    }

    [Fact]
    public void Connect_without_session_is_an_invalid_event_not_an_exception()
    {
        var body = UserInitiatedConnect().Replace("\"session\"", "\"session_v2\"", StringComparison.Ordinal);

        var invalid = Parsed.Single<InvalidEvent>(body);

        Assert.Equal("value.calls[0].session.sdp", invalid.Path);
        Assert.Equal(At, invalid.Timestamp);
    }

    [Theory]
    [InlineData("RINGING", CallStatus.Ringing)]
    [InlineData("ACCEPTED", CallStatus.Accepted)]
    [InlineData("REJECTED", CallStatus.Rejected)]
    [InlineData("accepted", CallStatus.Accepted)]
    [InlineData("Rejected", CallStatus.Rejected)]
    [InlineData("ON_HOLD", CallStatus.Unknown)]
    public void Call_status_is_read_case_insensitively_and_unknown_values_are_kept(string raw, CallStatus expected)
    {
        var status = Parsed.Single<CallStatusChanged>(CallStatusUpdate(raw, bizOpaque: "ticket-42"));

        Assert.Equal(expected, status.Status);
        Assert.Equal(raw, status.RawStatus);
        Assert.Equal(new CallId(SampleCallId), status.CallId);
        Assert.Equal("ticket-42", status.BizOpaqueCallbackData);
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), status.ContactKey);
        Assert.Equal(At, status.Timestamp);
    }

    [Fact]
    public void Call_status_without_a_BSUID_uses_the_recipient_number()
    {
        var status = Parsed.Single<CallStatusChanged>(CallStatusUpdate("RINGING", userBsuid: null));

        Assert.Equal(ContactKey.ForPhone(PhoneNumber.Parse(UserPhone)), status.ContactKey);
    }

    [Theory]
    [InlineData("COMPLETED", CallOutcome.Completed)]
    [InlineData("Completed", CallOutcome.Completed)]
    [InlineData("completed", CallOutcome.Completed)]
    [InlineData("FAILED", CallOutcome.Failed)]
    [InlineData("Failed", CallOutcome.Failed)]
    [InlineData("REJECTED", CallOutcome.Rejected)]
    [InlineData("TIMED_OUT", CallOutcome.Unknown)]
    public void Terminate_status_is_read_in_any_letter_case(string raw, CallOutcome expected)
    {
        var terminate = Parsed.Single<CallTerminated>(TerminateUnanswered(status: raw));

        Assert.Equal(expected, terminate.Outcome);
        Assert.Equal(raw, terminate.RawStatus);
    }

    [Fact]
    public void Terminate_after_pickup_has_start_end_and_duration()
    {
        var terminate = Parsed.Single<CallTerminated>(TerminateAnswered(durationSeconds: 125));

        Assert.True(terminate.WasPickedUp);
        Assert.Equal(At, terminate.StartTime);
        Assert.Equal(At.AddSeconds(125), terminate.EndTime);
        Assert.Equal(TimeSpan.FromSeconds(125), terminate.Duration);
        Assert.Equal(CallOutcome.Completed, terminate.Outcome);
        Assert.Empty(terminate.Errors);
    }

    [Fact]
    public void Terminate_without_pickup_has_no_times()
    {
        var terminate = Parsed.Single<CallTerminated>(TerminateUnanswered());

        Assert.False(terminate.WasPickedUp);
        Assert.Null(terminate.StartTime);
        Assert.Null(terminate.EndTime);
        Assert.Null(terminate.Duration);
    }

    [Fact]
    public void Terminate_of_a_business_initiated_call_is_about_the_callee()
    {
        var terminate = Parsed.Single<CallTerminated>(TerminateUnanswered(direction: "BUSINESS_INITIATED"));

        Assert.Equal(CallDirection.BusinessInitiated, terminate.Direction);
        Assert.Equal(PhoneNumber.Parse(UserPhone), terminate.Contact.Phone);
    }

    [Fact]
    public void Terminate_duration_given_as_a_string_and_times_as_numbers_are_accepted()
    {
        var item = TerminateItem(startTime: Timestamp, endTime: Timestamp + 30, durationSeconds: 30)
            .Replace("\"duration\":30", "\"duration\":\"30\"", StringComparison.Ordinal)
            .Replace($"\"start_time\":\"{Timestamp}\"", $"\"start_time\":{Timestamp}", StringComparison.Ordinal);

        var terminate = Parsed.Single<CallTerminated>(SingleChange("calls", CallsValue(Contact(), [item])));

        Assert.Equal(TimeSpan.FromSeconds(30), terminate.Duration);
        Assert.Equal(At, terminate.StartTime);
    }

    [Fact]
    public void Ids_numbers_and_times_sent_as_JSON_numbers_are_read_like_strings()
    {
        var body = UserInitiatedConnect()
            .Replace($"\"phone_number_id\":\"{BusinessPhoneNumberId}\"", $"\"phone_number_id\":{BusinessPhoneNumberId}", StringComparison.Ordinal)
            .Replace($"\"wa_id\":\"{UserPhone}\"", $"\"wa_id\":{UserPhone}", StringComparison.Ordinal)
            .Replace($"\"from\":\"{UserPhone}\"", $"\"from\":{UserPhone}", StringComparison.Ordinal)
            .Replace($"\"timestamp\":\"{Timestamp}\"", $"\"timestamp\":{Timestamp}", StringComparison.Ordinal);

        Assert.DoesNotContain($"\"{UserPhone}\"", body, StringComparison.Ordinal);
        Assert.DoesNotContain($"\"{Timestamp}\"", body, StringComparison.Ordinal);

        var connect = Parsed.Single<CallConnected>(body);

        Assert.Equal(new BusinessNumberId(BusinessPhoneNumberId), connect.BusinessNumberId);
        Assert.Equal(PhoneNumber.Parse(UserPhone), connect.Contact.Phone);
        Assert.Equal(At, connect.Timestamp);
    }

    [Theory]
    [InlineData(true, false)]
    [InlineData(false, true)]
    [InlineData(true, true)]
    public void Terminate_errors_are_read_from_the_call_and_the_value_and_not_doubled(bool inCall, bool atValue)
    {
        var terminate = Parsed.Single<CallTerminated>(TerminateWithErrors(inCall, atValue));

        var error = Assert.Single(terminate.Errors);
        Assert.Equal(138021, error.Code);
        Assert.Equal("Call connect timed out", error.Title);
        Assert.Equal("The user did not answer in time", error.Details);
        Assert.Null(error.Href);
        Assert.Equal(CallOutcome.Failed, terminate.Outcome);
    }

    [Theory]
    [InlineData("call_recording_available", CallArtifactKind.Recording)]
    [InlineData("call_transcription_available", CallArtifactKind.Transcription)]
    public void Recording_and_transcription_availability_carry_the_media_reference(string eventName, CallArtifactKind kind)
    {
        var artifact = Parsed.Single<CallArtifactAvailable>(CallArtifact(eventName, mediaId: "4455"));

        Assert.Equal(kind, artifact.Kind);
        Assert.Equal("audio", artifact.MediaType);
        Assert.Equal("4455", artifact.Media?.Id);
        Assert.Equal("audio/ogg; codecs=opus", artifact.Media?.MimeType);
    }

    [Fact]
    public void An_unknown_call_event_is_kept_with_its_name_and_raw_json()
    {
        var body = TerminateUnanswered().Replace("\"terminate\"", "\"call_created\"", StringComparison.Ordinal);

        var unknown = Parsed.Single<UnknownCallEvent>(body);

        Assert.Equal("call_created", unknown.EventName);
        Assert.Equal(new CallId(SampleCallId), unknown.CallId);
        Assert.Equal("call_created", unknown.Raw.GetProperty("event").GetString());
    }

    [Fact]
    public void Unknown_fields_are_named_for_the_logs_and_do_not_stop_parsing()
    {
        var body = UserInitiatedConnect()
            .Replace("\"event\":", "\"video\":{\"enabled\":true},\"event\":", StringComparison.Ordinal)
            .Replace("\"messaging_product\":", "\"trace_id\":\"x\",\"messaging_product\":", StringComparison.Ordinal);

        var connect = Parsed.Single<CallConnected>(body);

        Assert.Equal(["value.trace_id", "value.calls[].video"], connect.UnknownFields);
    }

    [Fact]
    public void Several_calls_in_one_change_each_become_an_event_in_order()
    {
        var body = SingleChange("calls", CallsValue(Contact(), [
            UserInitiatedConnectItem("wacid.one"),
            TerminateItem("wacid.two"),
            "17",
            TerminateItem("wacid.three")]));

        var events = Parsed.All(body);

        Assert.Equal(4, events.Count);
        Assert.Equal("wacid.one", Assert.IsType<CallConnected>(events[0]).CallId.Value);
        Assert.Equal("wacid.two", Assert.IsType<CallTerminated>(events[1]).CallId.Value);
        Assert.Equal("value.calls[2]", Assert.IsType<InvalidEvent>(events[2]).Path);
        Assert.Equal("wacid.three", Assert.IsType<CallTerminated>(events[3]).CallId.Value);
        Assert.Equal([0, 1, 2, 3], events.Select(e => e.Header.ItemIndex));
    }

    [Fact]
    public void A_call_event_without_id_is_invalid()
    {
        var body = SingleChange("calls", CallsValue(Contact(), ["{\"event\":\"terminate\",\"timestamp\":\"1\"}"]));

        var invalid = Parsed.Single<InvalidEvent>(body);

        Assert.Equal("value.calls[0].id", invalid.Path);
    }

    [Fact]
    public void The_batched_delivery_yields_every_event_with_its_waba()
    {
        var events = Parsed.All(Batched("wacid.A", "wacid.B", "wacid.C"));

        Assert.Collection(
            events,
            e => Assert.Equal("wacid.A", Assert.IsType<CallConnected>(e).CallId.Value),
            e => Assert.Equal("wacid.B", Assert.IsType<CallTerminated>(e).CallId.Value),
            e => Assert.Equal("hello", Assert.IsType<UserMessage>(e).Text),
            e => Assert.Equal(("wacid.C", "730192846610999"), (Assert.IsType<CallStatusChanged>(e).CallId.Value, e.Header.WabaId)));
    }
}
