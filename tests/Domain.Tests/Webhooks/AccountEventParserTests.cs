using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

public sealed class AccountEventParserTests
{
    [Theory]
    [InlineData(false, "PHONE_NUMBER_SETTINGS")]
    [InlineData(true, "phone_number_settings")]
    public void A_settings_update_carries_the_calling_settings_of_the_number(bool typeAsArray, string type)
    {
        var settings = Parsed.Single<CallingSettingsUpdated>(SettingsUpdate("DISABLED", "DISABLE_ALL", "ENABLED", typeAsArray));

        Assert.Equal(type, settings.SettingsType);
        Assert.Equal(new BusinessNumberId(BusinessPhoneNumberId), settings.BusinessNumberId);
        Assert.False(settings.CallingEnabled);
        Assert.Equal(("DISABLE_ALL", "ENABLED", "DISABLED", "DTLS"),
            (settings.CallIconVisibility, settings.CallbackPermissionStatus, settings.SipStatus, settings.SrtpKeyExchangeProtocol));
        Assert.Equal("DISABLED", settings.Calling.GetProperty("call_hours").GetProperty("status").GetString());
        Assert.Null(settings.ContactKey);
    }

    [Fact]
    public void A_settings_update_without_calling_object_is_invalid()
    {
        var body = SingleChange("account_settings_update", "{\"type\":\"PHONE_NUMBER_SETTINGS\",\"phone_number_settings\":{}}");

        Assert.Equal("value.phone_number_settings.calling", Parsed.Single<InvalidEvent>(body).Path);
    }

    [Theory]
    [InlineData("LOW_BUSINESS_INITIATED_CALLING_QUALITY")]
    [InlineData("LOW_USER_INITIATED_CALLING_QUALITY")]
    [InlineData("USER_INITIATED_CALLS_LOW_PICKUP_RATE")]
    public void An_account_violation_carries_its_type(string violationType)
    {
        var update = Parsed.Single<AccountUpdated>(AccountViolation(violationType));

        Assert.Equal((AccountUpdateKind.Violation, "ACCOUNT_VIOLATION", violationType), (update.Kind, update.EventName, update.ViolationType));
        Assert.Equal(BusinessDisplayNumber, update.DisplayNumber);
        Assert.Empty(update.Restrictions);
    }

    [Fact]
    public void An_account_restriction_carries_each_restriction_and_its_expiration()
    {
        var update = Parsed.Single<AccountUpdated>(AccountRestriction(
            Timestamp + 604_800, "RESTRICTED_USER_INITIATED_CALLING", "RESTRICTED_USER_INITIATED_CALLING_CALL_BUTTON_HIDDEN"));

        Assert.Equal(AccountUpdateKind.Restriction, update.Kind);
        var expires = DateTimeOffset.FromUnixTimeSeconds(Timestamp + 604_800);
        Assert.Equal(
            [new AccountRestriction("RESTRICTED_USER_INITIATED_CALLING", expires),
             new AccountRestriction("RESTRICTED_USER_INITIATED_CALLING_CALL_BUTTON_HIDDEN", expires)],
            update.Restrictions);
    }

    [Fact]
    public void Another_account_update_event_is_kept_as_other()
    {
        var update = Parsed.Single<AccountUpdated>(SingleChange("account_update", "{\"event\":\"VERIFIED_ACCOUNT\",\"ban_info\":{}}"));

        Assert.Equal((AccountUpdateKind.Other, "VERIFIED_ACCOUNT"), (update.Kind, update.EventName));
        Assert.Equal(["value.ban_info"], update.UnknownFields);
    }

    [Fact]
    public void Any_other_field_is_an_unknown_change_kept_raw()
    {
        var unknown = Parsed.Single<UnknownChangeEvent>(SingleChange("message_template_status_update", "{\"event\":\"APPROVED\"}"));

        Assert.Equal("message_template_status_update", unknown.Field);
        Assert.Equal("APPROVED", unknown.Value.GetProperty("event").GetString());
    }

    [Fact]
    public void Account_events_without_their_own_timestamp_take_the_entry_time()
    {
        var body = AccountViolation().Replace("\"changes\":", "\"time\":1795310400,\"changes\":", StringComparison.Ordinal);

        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(Timestamp), Parsed.Single<AccountUpdated>(body).Timestamp);
    }
}
