using WhatsAppCalling.Domain.Consent;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>The state stays small enough for one table entity however long a customer relationship runs.</summary>
public sealed class ConsentStateTests
{
    [Fact]
    public void Facts_older_than_every_window_are_forgotten()
    {
        var scenario = new ConsentScenario().ApprovedFromBusinessProfile(T0);
        for (var hour = 0; hour < 60 * 24; hour += 3)
        {
            scenario.CustomerWrites(H(hour)).TemplateSent(H(hour + 1)).BusinessCallConnected(H(hour + 2));
        }

        var state = scenario.State;

        Assert.True(state.Activity.Length <= 64);
        Assert.True(state.TemplatesSent.Length <= 16);
        Assert.True(state.ConnectedBusinessCalls.Length <= scenario.Rules.MaxConnectedCalls);
        Assert.All(state.ConnectedBusinessCalls, c => Assert.True(c.At > state.LatestEventAt!.Value.AddHours(-24)));
    }

    [Fact]
    public void The_newest_request_is_kept_after_it_leaves_every_window()
    {
        var scenario = new ConsentScenario().RequestSent(T0).CustomerWrites(T0.AddDays(60));

        Assert.Equal(T0, scenario.State.LatestRequest!.SentAt);
        Assert.Equal(T0.ToUnixTimeMilliseconds(), scenario.State.Version);
    }

    [Fact]
    public void An_event_that_changes_nothing_returns_the_same_state()
    {
        var scenario = new ConsentScenario().CustomerWrites(H(5));
        var before = scenario.State;

        scenario.FreeFormSent(H(4));

        Assert.Same(before, scenario.State);
    }

    [Fact]
    public void States_with_the_same_facts_are_equal()
    {
        var a = new ConsentScenario().CustomerWrites(T0).RequestSent(H(1)).State;
        var b = new ConsentScenario().CustomerWrites(T0).RequestSent(H(1)).State;

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
    }
}
