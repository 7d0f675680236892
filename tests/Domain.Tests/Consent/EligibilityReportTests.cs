using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

public sealed class EligibilityReportTests
{
    [Fact]
    public void After_a_temporary_approval_the_report_shows_the_expiry_and_every_counter()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0).RequestSent(T0).ApprovedTemporarily(H(1))
            .BusinessCallConnected(H(2)).BusinessCallUnanswered(H(3)).BusinessCallUnanswered(H(4));

        var report = scenario.Report(H(5));

        Assert.Equal((ConsentScenario.Business, ConsentScenario.Customer, H(5)), (report.BusinessNumber, report.Contact, report.EvaluatedAt));
        Assert.Equal(CallPermissionStatus.Temporary, report.PermissionStatus);
        Assert.Equal((H(1), H(169)), (report.PermissionGrantedAt, report.PermissionExpiresAt));
        Assert.True(report.CanCall);
        Assert.Equal((1, 99), (report.ConnectedCallsLast24Hours, report.ConnectedCallsLeft24Hours));
        Assert.Equal((2, true, 2), (report.UnansweredStreak, report.CustomerFlagged, report.UnansweredCallsUntilRevocation));
        Assert.True(report.WindowOpen);
        Assert.Equal(H(26), report.WindowOpenUntil);
        Assert.True(report.CanRequestPermission);
        Assert.Equal(RequestChannel.FreeForm, report.RequestChannel);
        Assert.Equal((1, 2), (report.RequestsLeftToday, report.RequestsLeftThisWeek));
        report.CallReasons.HasReason(ConsentReasonCode.CustomerNudged);
    }

    [Fact]
    public void A_refused_call_is_explained_with_when_the_next_request_may_go()
    {
        var scenario = new ConsentScenario().CustomerWrites(T0).RequestSent(T0).Declined(H(1));

        var report = scenario.Report(H(2));

        Assert.False(report.CanCall);
        Assert.Null(report.NextCallAllowedAt);
        Assert.Equal(CallPermissionStatus.Declined, report.PermissionStatus);
        Assert.Equal(T0.AddDays(7), report.OpenRequestExpiresAt);
        Assert.False(report.CanRequestPermission);
        Assert.Equal(H(25), report.NextRequestAllowedAt);
        Assert.All(report.CallReasons.Concat(report.RequestReasons), r => Assert.False(string.IsNullOrWhiteSpace(r.Message)));
        report.RequestReasons.HasReason(ConsentReasonCode.DailyRequestLimitReached);
        report.RequestReasons.HasReason(ConsentReasonCode.RecentlyDeclined);
    }

    [Fact]
    public void With_the_window_closed_the_report_says_the_request_goes_as_a_template()
    {
        var report = new ConsentScenario().Report(T0);

        Assert.False(report.WindowOpen);
        Assert.Null(report.WindowOpenUntil);
        Assert.Equal(RequestChannel.Template, report.RequestChannel);
        Assert.Equal(CallPermissionStatus.None, report.PermissionStatus);
        report.CallReasons.HasReason(ConsentReasonCode.NoPermission);
    }
}
