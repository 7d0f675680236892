using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

public sealed class MessageEventParserTests
{
    private static readonly DateTimeOffset At = DateTimeOffset.FromUnixTimeSeconds(Timestamp);

    [Fact]
    public void A_text_message_is_an_inbound_user_message_with_its_text_and_sender()
    {
        var message = Parsed.Single<UserMessage>(TextMessage("Call me at 5"));

        Assert.Equal((SampleMessageId, "text", "Call me at 5"), (message.MessageId, message.MessageType, message.Text));
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), message.ContactKey);
        Assert.Equal(UserName, message.Contact.ProfileName);
        Assert.Equal(At, message.Timestamp);
        Assert.Equal(new BusinessNumberId(BusinessPhoneNumberId), message.BusinessNumberId);
        Assert.Empty(message.UnknownFields);
    }

    [Fact]
    public void A_media_message_carries_its_media_reference()
    {
        var message = Parsed.Single<UserMessage>(ImageMessage(mediaId: "777"));

        Assert.Equal("image", message.MessageType);
        Assert.Equal(("777", "image/jpeg"), (message.Media?.Id, message.Media?.MimeType));
        Assert.Null(message.Text);
    }

    [Fact]
    public void A_message_of_an_unknown_type_is_still_an_inbound_message()
    {
        var message = Parsed.Single<UserMessage>(Message("hologram", "{\"frames\":3}"));

        Assert.Equal("hologram", message.MessageType);
        Assert.Equal(3, message.Raw.GetProperty("hologram").GetProperty("frames").GetInt32());
        Assert.Empty(message.UnknownFields);
    }

    [Fact]
    public void A_message_from_a_user_without_phone_number_is_keyed_by_BSUID()
    {
        var message = Parsed.Single<UserMessage>(TextMessage(userPhone: null));

        Assert.Null(message.Contact.Phone);
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), message.ContactKey);
    }

    [Fact]
    public void A_message_without_BSUID_is_keyed_by_phone_number()
    {
        var message = Parsed.Single<UserMessage>(TextMessage(userBsuid: null));

        Assert.Equal(ContactKey.ForPhone(PhoneNumber.Parse(UserPhone)), message.ContactKey);
    }

    [Fact]
    public void A_message_naming_nobody_is_still_parsed_with_no_contact_key()
    {
        var body = SingleChange("messages", MessagesValue(null, [MessageItem("text", "{\"body\":\"hi\"}", userPhone: null, userBsuid: null)]));

        var message = Parsed.Single<UserMessage>(body);

        Assert.Null(message.ContactKey);
    }

    [Fact]
    public void The_parent_BSUID_comes_from_the_contacts_entry()
    {
        var body = SingleChange("messages", MessagesValue(
            Contact(parentBsuid: UserParentBsuid), [MessageItem("text", "{\"body\":\"hi\"}")]));

        Assert.Equal(UserParentBsuid, Parsed.Single<UserMessage>(body).Contact.ParentBsuid);
    }

    [Theory]
    [InlineData(PermissionScenario.TemporaryApproval, PermissionResponse.Accept, false, true, PermissionResponseSource.UserAction, PermissionRequestId)]
    [InlineData(PermissionScenario.PermanentApproval, PermissionResponse.Accept, true, false, PermissionResponseSource.UserAction, PermissionRequestId)]
    [InlineData(PermissionScenario.PermanentApprovalFromProfile, PermissionResponse.Accept, true, false, PermissionResponseSource.UserAction, null)]
    [InlineData(PermissionScenario.Declined, PermissionResponse.Reject, null, false, PermissionResponseSource.UserAction, PermissionRequestId)]
    [InlineData(PermissionScenario.AutomaticCallbackPermission, PermissionResponse.Accept, false, true, PermissionResponseSource.Automatic, SampleCallId)]
    [InlineData(PermissionScenario.AutomaticRevocation, PermissionResponse.Reject, null, false, PermissionResponseSource.Automatic, null)]
    public void Every_permission_reply_scenario_is_read(
        PermissionScenario scenario, PermissionResponse response, bool? permanent, bool expires, PermissionResponseSource source, string? context)
    {
        var reply = Parsed.Single<CallPermissionReply>(PermissionReply(scenario));

        Assert.Equal(response, reply.Response);
        Assert.Equal(permanent, reply.IsPermanent);
        Assert.Equal(expires ? At.AddDays(7) : null, reply.ExpiresAt);
        Assert.Equal(source, reply.Source);
        Assert.Equal(context, reply.ContextId);
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), reply.ContactKey);
        Assert.Equal(SampleMessageId, reply.MessageId);
        Assert.Empty(reply.UnknownFields);
    }

    [Fact]
    public void The_automatic_callback_permission_points_at_the_call()
    {
        var reply = Parsed.Single<CallPermissionReply>(PermissionReply(PermissionScenario.AutomaticCallbackPermission));

        Assert.Equal(new CallId(SampleCallId), reply.ContextCallId);
        Assert.Null(reply.ContextMessageId);
    }

    [Fact]
    public void A_reply_to_a_request_points_at_the_request_message()
    {
        var reply = Parsed.Single<CallPermissionReply>(PermissionReply(PermissionScenario.TemporaryApproval));

        Assert.Null(reply.ContextCallId);
        Assert.Equal(PermissionRequestId, reply.ContextMessageId);
    }

    [Fact]
    public void Permission_reply_values_are_read_in_any_case_and_with_string_booleans()
    {
        var body = SingleChange("messages", MessagesValue(Contact(), [
            PermissionReplyItem("ACCEPT", null, Timestamp, "User_Action", null)
                .Replace("\"response_source\"", "\"is_permanent\":\"false\",\"response_source\"", StringComparison.Ordinal)]));

        var reply = Parsed.Single<CallPermissionReply>(body);

        Assert.Equal((PermissionResponse.Accept, PermissionResponseSource.UserAction, false), (reply.Response, reply.Source, reply.IsPermanent));
        Assert.Equal(("ACCEPT", "User_Action"), (reply.RawResponse, reply.RawSource));
    }

    [Fact]
    public void An_unknown_permission_response_is_kept_raw()
    {
        var body = SingleChange("messages", MessagesValue(Contact(), [PermissionReplyItem("snooze", null, null, "voice_assistant", null)]));

        var reply = Parsed.Single<CallPermissionReply>(body);

        Assert.Equal((PermissionResponse.Unknown, PermissionResponseSource.Unknown), (reply.Response, reply.Source));
        Assert.Equal(("snooze", "voice_assistant"), (reply.RawResponse, reply.RawSource));
    }

    [Fact]
    public void Another_interactive_type_is_an_ordinary_user_message()
    {
        var message = Parsed.Single<UserMessage>(Message("interactive", "{\"type\":\"button_reply\",\"button_reply\":{\"id\":\"b1\",\"title\":\"Yes\"}}"));

        Assert.Equal("interactive", message.MessageType);
    }

    [Fact]
    public void A_voicemail_is_an_audio_message_identified_by_the_call_id()
    {
        var voicemail = Parsed.Single<VoicemailReceived>(Voicemail(mediaId: "5150"));

        Assert.Equal(new CallId(SampleCallId), voicemail.CallId);
        Assert.Equal(("5150", "audio/ogg; codecs=opus"), (voicemail.Audio.Id, voicemail.Audio.MimeType));
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), voicemail.ContactKey);
        Assert.IsAssignableFrom<InboundMessage>(voicemail);
    }

    [Fact]
    public void An_audio_message_with_a_wamid_is_a_voice_note_not_a_voicemail()
    {
        var message = Parsed.Single<UserMessage>(Message("audio", "{\"id\":\"31\",\"mime_type\":\"audio/ogg\"}"));

        Assert.Equal("audio", message.MessageType);
    }

    [Theory]
    [InlineData("sent", MessageStatus.Sent)]
    [InlineData("delivered", MessageStatus.Delivered)]
    [InlineData("read", MessageStatus.Read)]
    [InlineData("failed", MessageStatus.Failed)]
    [InlineData("DELIVERED", MessageStatus.Delivered)]
    [InlineData("played", MessageStatus.Unknown)]
    public void Message_statuses_are_read_and_unknown_ones_kept(string raw, MessageStatus expected)
    {
        var status = Parsed.Single<MessageStatusChanged>(MessageStatusUpdate(raw));

        Assert.Equal((expected, raw, PermissionRequestId), (status.Status, status.RawStatus, status.MessageId));
        Assert.Equal(ContactKey.ForBsuid(UserBsuid), status.ContactKey);
        Assert.Equal(At, status.Timestamp);
    }

    [Fact]
    public void A_failed_message_status_carries_its_errors()
    {
        var status = Parsed.Single<MessageStatusChanged>(MessageStatusUpdate("failed"));

        Assert.Equal(131047, Assert.Single(status.Errors).Code);
    }

    [Fact]
    public void A_message_without_id_is_invalid()
    {
        var body = SingleChange("messages", MessagesValue(Contact(), ["{\"type\":\"text\",\"text\":{\"body\":\"x\"}}"]));

        Assert.Equal("value.messages[0].id", Parsed.Single<InvalidEvent>(body).Path);
    }
}
