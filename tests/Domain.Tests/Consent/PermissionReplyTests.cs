using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>The scenario table of whatsapp-calling-api.md §1.10, and how each reply shows up as a permission.</summary>
public sealed class PermissionReplyTests
{
    private static ConsentScenario Requested() => new ConsentScenario().CustomerWrites(T0).RequestSent(T0);

    [Fact]
    public void A_sent_request_is_pending_until_the_customer_answers()
    {
        var permission = Requested().Permission(H(1));

        Assert.Equal(CallPermissionStatus.Pending, permission.Status);
        Assert.Equal(T0.AddDays(7), permission.OpenRequestExpiresAt);
    }

    [Fact]
    public void An_ignored_request_expires_exactly_7_days_after_it_was_sent()
    {
        var scenario = Requested();

        Assert.Equal(CallPermissionStatus.Pending, scenario.Permission(T0.AddDays(7).AddSeconds(-1)).Status);
        Assert.Equal(CallPermissionStatus.None, scenario.Permission(T0.AddDays(7)).Status);
    }

    [Fact]
    public void A_newer_request_supersedes_the_older_one()
    {
        var permission = Requested().RequestSent(H(24)).Permission(T0.AddDays(7).AddHours(1));

        Assert.Equal(CallPermissionStatus.Pending, permission.Status);
        Assert.Equal(H(24).AddDays(7), permission.OpenRequestExpiresAt);
    }

    [Fact]
    public void A_temporary_approval_allows_calls_until_its_expiration_timestamp()
    {
        var scenario = Requested().ApprovedTemporarily(H(1), expiresAt: H(1 + 168));

        var permission = scenario.Permission(H(2));

        Assert.Equal(CallPermissionStatus.Temporary, permission.Status);
        Assert.Equal(PermissionSource.UserAction, permission.Source);
        Assert.Equal(H(169), permission.ExpiresAt);
        Assert.True(scenario.Call(H(2)).Allowed);
    }

    [Fact]
    public void A_temporary_approval_without_an_expiration_timestamp_lasts_168_hours()
    {
        var permission = Requested().ApprovedTemporarily(H(1)).Permission(H(2));

        Assert.Equal(H(169), permission.ExpiresAt);
    }

    [Fact]
    public void The_expiration_timestamp_from_the_reply_wins_over_168_hours()
    {
        var permission = Requested().ApprovedTemporarily(H(1), expiresAt: H(100)).Permission(H(2));

        Assert.Equal(H(100), permission.ExpiresAt);
    }

    [Fact]
    public void A_temporary_permission_is_valid_one_second_before_168_hours()
    {
        var scenario = Requested().ApprovedTemporarily(H(1));

        Assert.True(scenario.Call(H(169).AddSeconds(-1)).Allowed);
    }

    [Fact]
    public void A_temporary_permission_is_expired_exactly_168_hours_after_approval()
    {
        var scenario = Requested().ApprovedTemporarily(H(1));

        var decision = scenario.Call(H(169));

        Assert.Equal(CallPermissionStatus.Expired, scenario.Permission(H(169)).Status);
        Assert.False(decision.Allowed);
        decision.Reasons.HasReason(ConsentReasonCode.PermissionExpired);
    }

    [Fact]
    public void A_permanent_approval_never_expires()
    {
        var scenario = Requested().ApprovedPermanently(H(1));

        var permission = scenario.Permission(T0.AddYears(10));

        Assert.Equal(CallPermissionStatus.Permanent, permission.Status);
        Assert.Null(permission.ExpiresAt);
        Assert.True(scenario.Call(T0.AddYears(10)).Allowed);
        Assert.Null(scenario.NextTimer());
    }

    [Fact]
    public void A_permanent_approval_from_the_business_profile_arrives_without_context()
    {
        var permission = new ConsentScenario().ApprovedFromBusinessProfile(T0).Permission(H(1));

        Assert.Equal(CallPermissionStatus.Permanent, permission.Status);
        Assert.Equal(PermissionSource.BusinessProfile, permission.Source);
    }

    [Fact]
    public void A_permanent_approval_upgrades_a_temporary_one()
    {
        var permission = Requested().ApprovedTemporarily(H(1)).RequestSent(H(30)).ApprovedPermanently(H(31)).Permission(H(500));

        Assert.Equal(CallPermissionStatus.Permanent, permission.Status);
    }

    [Fact]
    public void A_decline_refuses_calls()
    {
        var scenario = Requested().Declined(H(1));

        var decision = scenario.Call(H(2));

        Assert.Equal(CallPermissionStatus.Declined, scenario.Permission(H(2)).Status);
        decision.Reasons.HasReason(ConsentReasonCode.PermissionDeclined);
    }

    [Fact]
    public void A_customer_who_declined_may_still_approve_until_the_request_expires()
    {
        var scenario = Requested().Declined(H(1));

        Assert.Equal(T0.AddDays(7), scenario.Permission(H(2)).OpenRequestExpiresAt);
        Assert.Equal(CallPermissionStatus.Temporary, scenario.ApprovedTemporarily(H(3)).Permission(H(4)).Status);
    }

    [Fact]
    public void An_automatic_callback_grant_gives_temporary_permission()
    {
        var scenario = new ConsentScenario().CustomerCalls(T0).CallbackGranted(T0, expiresAt: H(168));

        var permission = scenario.Permission(H(1));

        Assert.Equal(CallPermissionStatus.Temporary, permission.Status);
        Assert.Equal(PermissionSource.CallbackGrant, permission.Source);
        Assert.Equal(H(168), permission.ExpiresAt);
    }

    [Fact]
    public void A_callback_grant_never_downgrades_a_permanent_permission_in_either_order()
    {
        var grantThenCallback = new ConsentScenario().ApprovedFromBusinessProfile(T0).CallbackGranted(H(5), H(5 + 168));
        var callbackArrivingFirst = new ConsentScenario().CallbackGranted(H(5), H(5 + 168)).ApprovedFromBusinessProfile(T0);

        Assert.Equal(CallPermissionStatus.Permanent, grantThenCallback.Permission(H(1000)).Status);
        Assert.Equal(CallPermissionStatus.Permanent, callbackArrivingFirst.Permission(H(1000)).Status);
        Assert.Null(grantThenCallback.NextTimer());
    }

    [Fact]
    public void A_callback_grant_after_a_revocation_allows_calls_again()
    {
        var scenario = new ConsentScenario().ApprovedFromBusinessProfile(T0).RevokedByCustomer(H(1))
            .CustomerCalls(H(2)).CallbackGranted(H(2), H(2 + 168));

        Assert.Equal(CallPermissionStatus.Temporary, scenario.Permission(H(3)).Status);
        Assert.Equal(H(170), scenario.NextTimer()!.DueAt);
    }

    [Fact]
    public void A_due_timer_expires_a_callback_grant()
    {
        var scenario = new ConsentScenario().CustomerCalls(T0).CallbackGranted(T0, H(168));
        var timer = scenario.NextTimer()!;

        scenario.Expire(timer.DueAt, timer.Version);

        Assert.True(scenario.State.CallbackGrant!.ExpiryApplied);
        Assert.Null(scenario.NextTimer());
    }

    [Fact]
    public void An_automatic_revocation_refuses_calls()
    {
        var scenario = Requested().ApprovedPermanently(H(1)).RevokedAutomatically(H(50));

        var decision = scenario.Call(H(51));

        Assert.True(scenario.Permission(H(51)).RevokedForUnansweredCalls);
        decision.Reasons.HasReason(ConsentReasonCode.PermissionRevokedForUnansweredCalls);
    }

    [Fact]
    public void A_revocation_by_the_customer_refuses_calls()
    {
        var scenario = Requested().ApprovedPermanently(H(1)).RevokedByCustomer(H(50));

        var decision = scenario.Call(H(51));

        Assert.Equal(CallPermissionStatus.Revoked, scenario.Permission(H(51)).Status);
        decision.Reasons.HasReason(ConsentReasonCode.PermissionRevoked);
    }

    [Fact]
    public void An_older_reply_arriving_late_does_not_undo_a_newer_one()
    {
        var scenario = Requested().RevokedByCustomer(H(50)).ApprovedPermanently(H(1));

        Assert.Equal(CallPermissionStatus.Revoked, scenario.Permission(H(51)).Status);
    }

    [Fact]
    public void A_duplicate_reply_changes_nothing()
    {
        var reply = new PermissionReplyReceived(
            "wamid.reply.dup", H(1), PermissionResponse.Accept, false, H(169), ReplySource.UserAction, "wamid.req");
        var scenario = Requested().Apply(reply);
        var before = scenario.State;

        var after = scenario.Machine.Apply(before, reply);

        Assert.Same(before, after);
    }

    [Fact]
    public void The_customers_answer_to_a_request_opens_the_window()
    {
        var scenario = new ConsentScenario().RequestSent(T0, RequestChannel.Template).Declined(H(1));

        Assert.True(scenario.Report(H(2)).WindowOpen);
        Assert.Equal(H(25), scenario.Report(H(2)).WindowOpenUntil);
    }
}
