using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>Meta's <c>GET call_permissions</c> (§3.4) wins over our state, and the correction is recorded.</summary>
public sealed class MetaReconciliationTests
{
    [Fact]
    public void A_temporary_permission_we_missed_is_taken_from_Meta_and_recorded()
    {
        var scenario = new ConsentScenario().RequestSent(T0);

        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(2), MetaPermissionStatus.Temporary, H(150)));

        Assert.NotNull(result.Correction);
        Assert.Equal(CallPermissionStatus.Pending, result.Correction.OurStatus);
        Assert.Equal(MetaPermissionStatus.Temporary, result.Correction.MetaStatus);
        Assert.Contains("Meta reported Temporary", result.Correction.Describe(), StringComparison.Ordinal);
        var permission = CallPermission.Of(result.State, H(3), scenario.Rules);
        Assert.Equal(CallPermissionStatus.Temporary, permission.Status);
        Assert.Equal(PermissionSource.MetaCorrection, permission.Source);
        Assert.Equal(H(150), permission.ExpiresAt);
    }

    [Fact]
    public void Meta_reporting_no_permission_ends_the_permission_we_believed_in()
    {
        var scenario = new ConsentScenario().RequestSent(T0).ApprovedPermanently(H(1));

        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(5), MetaPermissionStatus.NoPermission, null));

        Assert.NotNull(result.Correction);
        Assert.Equal(CallPermissionStatus.Permanent, result.Correction.OurStatus);
        Assert.Equal(CallPermissionStatus.None, CallPermission.Of(result.State, H(6), scenario.Rules).Status);
        new CallingEligibility(scenario.Rules).Evaluate(result.State, H(6)).Reasons.HasReason(ConsentReasonCode.NoPermission);
    }

    [Fact]
    public void A_different_expiry_from_Meta_replaces_ours()
    {
        var scenario = new ConsentScenario().RequestSent(T0).ApprovedTemporarily(H(1));

        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(2), MetaPermissionStatus.Temporary, H(120)));

        Assert.NotNull(result.Correction);
        Assert.Equal(H(120), CallPermission.Of(result.State, H(3), scenario.Rules).ExpiresAt);
    }

    [Fact]
    public void Agreement_with_Meta_within_the_tolerance_records_no_correction()
    {
        var scenario = new ConsentScenario().RequestSent(T0).ApprovedTemporarily(H(1));

        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(2), MetaPermissionStatus.Temporary, H(169).AddSeconds(30)));

        Assert.Null(result.Correction);
        Assert.Equal(scenario.State.Decision, result.State.Decision);
    }

    [Fact]
    public void Meta_reporting_no_permission_for_an_expired_one_is_agreement()
    {
        var scenario = new ConsentScenario().RequestSent(T0).ApprovedTemporarily(H(1));

        var result = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(200), MetaPermissionStatus.NoPermission, null));

        Assert.Null(result.Correction);
    }

    [Fact]
    public void A_webhook_newer_than_the_correction_still_wins()
    {
        var scenario = new ConsentScenario().RequestSent(T0).ApprovedPermanently(H(1));
        var corrected = scenario.Machine.Reconcile(
            scenario.State, new MetaPermissionSnapshot(H(5), MetaPermissionStatus.NoPermission, null)).State;

        var regranted = scenario.Machine.Apply(corrected, new PermissionReplyReceived(
            "wamid.later", H(6), PermissionResponse.Accept, true, null, ReplySource.UserAction, null));

        Assert.Equal(CallPermissionStatus.Permanent, CallPermission.Of(regranted, H(7), scenario.Rules).Status);
    }

    [Theory]
    [InlineData("temporary", true, MetaPermissionStatus.Temporary)]
    [InlineData("permanent", false, MetaPermissionStatus.Permanent)]
    [InlineData("no_permission", false, MetaPermissionStatus.NoPermission)]
    [InlineData("granted", true, MetaPermissionStatus.Temporary)]
    [InlineData("granted", false, MetaPermissionStatus.Permanent)]
    [InlineData("PENDING", false, MetaPermissionStatus.NoPermission)]
    [InlineData("denied", false, MetaPermissionStatus.NoPermission)]
    [InlineData("expired", true, MetaPermissionStatus.NoPermission)]
    public void Both_documented_status_schemas_are_understood(string status, bool hasExpiry, MetaPermissionStatus expected) =>
        Assert.Equal(expected, MetaPermissionSnapshot.ParseStatus(status, hasExpiry));

    [Fact]
    public void An_unknown_status_string_is_not_guessed() =>
        Assert.Null(MetaPermissionSnapshot.ParseStatus("maybe", false));
}
