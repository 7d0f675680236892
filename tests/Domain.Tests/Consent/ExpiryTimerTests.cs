using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

public sealed class ExpiryTimerTests
{
    private static ConsentScenario TemporarilyApproved() =>
        new ConsentScenario().CustomerWrites(T0).RequestSent(T0).ApprovedTemporarily(H(1));

    [Fact]
    public void A_temporary_permission_sets_a_timer_for_168_hours_after_approval()
    {
        var scenario = TemporarilyApproved();

        var timer = scenario.NextTimer();

        Assert.NotNull(timer);
        Assert.Equal(H(169), timer.DueAt);
        Assert.Equal(ConsentTimerKind.TemporaryPermissionExpiry, timer.Kind);
        Assert.Equal(scenario.State.Version, timer.Version);
    }

    [Fact]
    public void A_due_expiry_timer_marks_the_permission_expired_and_sets_no_further_timer()
    {
        var scenario = TemporarilyApproved();
        var timer = scenario.NextTimer()!;

        scenario.Expire(timer.DueAt, timer.Version);

        Assert.True(scenario.State.CurrentDecision!.ExpiryApplied);
        Assert.Equal(CallPermissionStatus.Expired, scenario.Permission(timer.DueAt).Status);
        Assert.Null(scenario.NextTimer());
    }

    [Fact]
    public void An_expiry_timer_that_fires_before_the_due_time_is_a_no_op()
    {
        var scenario = TemporarilyApproved();
        var before = scenario.State;
        var timer = scenario.NextTimer()!;

        scenario.Expire(timer.DueAt.AddSeconds(-1), timer.Version);

        Assert.Same(before, scenario.State);
    }

    [Fact]
    public void A_stale_expiry_timer_after_renewal_is_a_no_op()
    {
        var scenario = TemporarilyApproved();
        var oldTimer = scenario.NextTimer()!;
        scenario.RequestSent(H(100)).ApprovedTemporarily(H(101));
        var renewed = scenario.State;

        scenario.Expire(oldTimer.DueAt, oldTimer.Version);

        Assert.Same(renewed, scenario.State);
        Assert.Equal(CallPermissionStatus.Temporary, scenario.Permission(oldTimer.DueAt).Status);
        Assert.Equal(H(101 + 168), scenario.NextTimer()!.DueAt);
        Assert.True(scenario.NextTimer()!.Version > oldTimer.Version);
    }

    [Fact]
    public void A_stale_expiry_timer_after_an_upgrade_to_permanent_is_a_no_op()
    {
        var scenario = TemporarilyApproved();
        var oldTimer = scenario.NextTimer()!;
        scenario.ApprovedFromBusinessProfile(H(50));
        var upgraded = scenario.State;

        scenario.Expire(oldTimer.DueAt, oldTimer.Version);

        Assert.Same(upgraded, scenario.State);
        Assert.Equal(CallPermissionStatus.Permanent, scenario.Permission(H(1000)).Status);
    }

    [Fact]
    public void An_overdue_permission_is_expired_even_before_its_timer_runs()
    {
        var scenario = TemporarilyApproved();

        var decision = scenario.Call(H(200));

        decision.Reasons.HasReason(ConsentReasonCode.PermissionExpired);
    }

    [Fact]
    public void Applying_an_expiry_twice_changes_nothing()
    {
        var scenario = TemporarilyApproved();
        var timer = scenario.NextTimer()!;
        scenario.Expire(timer.DueAt, timer.Version);
        var once = scenario.State;

        scenario.Expire(timer.DueAt.AddHours(1), timer.Version);

        Assert.Same(once, scenario.State);
    }

    [Fact]
    public void A_pending_request_sets_a_timer_for_7_days_after_it_was_sent()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0).RequestSent(T0);

        var timer = scenario.NextTimer()!;

        Assert.Equal(T0.AddDays(7), timer.DueAt);
        Assert.Equal(ConsentTimerKind.RequestExpiry, timer.Kind);
    }

    [Fact]
    public void A_due_request_timer_marks_the_request_expired()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0).RequestSent(T0);
        var timer = scenario.NextTimer()!;

        scenario.Expire(timer.DueAt, timer.Version);

        Assert.True(scenario.State.LatestRequest!.ExpiryApplied);
        Assert.Equal(CallPermissionStatus.None, scenario.Permission(timer.DueAt).Status);
        Assert.Null(scenario.NextTimer());
    }

    [Fact]
    public void A_newer_request_makes_the_old_request_timer_stale()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0).RequestSent(T0);
        var oldTimer = scenario.NextTimer()!;
        scenario.RequestSent(H(24));
        var superseded = scenario.State;

        scenario.Expire(oldTimer.DueAt, oldTimer.Version);

        Assert.Same(superseded, scenario.State);
        Assert.Equal(H(24).AddDays(7), scenario.NextTimer()!.DueAt);
    }

    [Fact]
    public void The_earlier_of_a_permission_expiry_and_a_request_expiry_comes_first()
    {
        // An upgrade request sent while a temporary permission runs: the permission ends first.
        var scenario = TemporarilyApproved().RequestSent(H(100));

        var timer = scenario.NextTimer()!;

        Assert.Equal(ConsentTimerKind.TemporaryPermissionExpiry, timer.Kind);
        Assert.Equal(H(169), timer.DueAt);
    }
}
