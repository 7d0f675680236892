using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

public sealed class ConsentRulesTests
{
    [Fact]
    public void The_default_rules_are_Metas_current_limits()
    {
        var rules = ConsentRules.Default;

        Assert.Equal((1, TimeSpan.FromHours(24)), (rules.MaxRequestsPerDay, rules.RequestDayWindow));
        Assert.Equal((2, TimeSpan.FromDays(7)), (rules.MaxRequestsPerWeek, rules.RequestWeekWindow));
        Assert.Equal(TimeSpan.FromHours(168), rules.TemporaryPermissionLifetime);
        Assert.Equal(TimeSpan.FromDays(7), rules.RequestLifetime);
        Assert.Equal((100, TimeSpan.FromHours(24)), (rules.MaxConnectedCalls, rules.ConnectedCallWindow));
        Assert.Equal((2, 4), (rules.NudgeAfterUnanswered, rules.RevokeAfterUnanswered));
        Assert.Equal(TimeSpan.FromHours(24), rules.CustomerServiceWindow);
        Assert.Equal(TimeSpan.FromHours(24), rules.WaitAfterDecline);
        Assert.Null(rules.MaxAttemptsAfterPermanentGrant);
        Assert.Empty(rules.Validate());
    }

    [Fact]
    public void The_sandbox_rules_are_valid_and_relaxed()
    {
        Assert.Empty(ConsentRules.Sandbox.Validate());
        Assert.Equal((25, 100, 5, 10), (ConsentRules.Sandbox.MaxRequestsPerDay, ConsentRules.Sandbox.MaxRequestsPerWeek,
            ConsentRules.Sandbox.NudgeAfterUnanswered, ConsentRules.Sandbox.RevokeAfterUnanswered));
    }

    [Fact]
    public void Unusable_rules_are_reported_by_name()
    {
        var rules = ConsentRules.Default with
        {
            MaxConnectedCalls = 0,
            TemporaryPermissionLifetime = TimeSpan.Zero,
            MaxAttemptsAfterPermanentGrant = 0,
            RevokeAfterUnanswered = ConsentState.MaxUnansweredKept + 1,
        };

        var problems = rules.Validate();

        Assert.Equal(4, problems.Count);
        Assert.Contains(problems, p => p.Contains(nameof(ConsentRules.MaxConnectedCalls), StringComparison.Ordinal));
        Assert.Contains(problems, p => p.Contains(nameof(ConsentRules.TemporaryPermissionLifetime), StringComparison.Ordinal));
    }

    [Fact]
    public void Revocation_follows_a_configured_threshold()
    {
        var scenario = new ConsentScenario(ConsentRules.Sandbox).ApprovedFromBusinessProfile(T0);
        for (var i = 1; i <= 9; i++)
        {
            scenario.BusinessCallUnanswered(H(i));
        }

        Assert.True(scenario.Call(H(10)).Allowed);
        Assert.False(scenario.BusinessCallUnanswered(H(10)).Call(H(11)).Allowed);
    }
}
