using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Outbox;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>What of a pending batch runs again later (<see cref="PendingReplay"/>).</summary>
public sealed class PendingReplayTests
{
    private static readonly CallId Call = new("wacid.replay");
    private static readonly AgentId Ana = new("ana");

    private static PendingBatch Batch(int done, params CallEffect[] effects) => new(Call, 4, "inbound", "{}", [.. effects], null, done);

    [Fact]
    public void An_old_batch_never_puts_an_agent_back_on_a_call_that_ended_but_still_releases_and_records()
    {
        var batch = Batch(0, new AssignAgent(Call, Ana), new SendAccept(Call, Ana), new ReleaseAgent(Call, Ana), new EndRelaySession(Call));

        var (effects, indices) = PendingReplay.Filter(batch, callIsLive: false, agentIsOnCall: _ => false);

        Assert.Equal<CallEffect>([new ReleaseAgent(Call, Ana), new EndRelaySession(Call)], effects);
        Assert.Equal<int>([2, 3], indices);
    }

    [Fact]
    public void A_live_call_replays_from_the_first_effect_not_done_and_assigns_only_the_agent_still_on_it()
    {
        var ben = new AgentId("ben");
        var batch = Batch(1, new SendTerminate(Call), new AssignAgent(Call, Ana), new AssignAgent(Call, ben), new NotifyCallEnded(Call, Ana));

        var (effects, indices) = PendingReplay.Filter(batch, callIsLive: true, agentIsOnCall: agent => agent == ben);

        Assert.Equal<CallEffect>([new AssignAgent(Call, ben), new NotifyCallEnded(Call, Ana)], effects);
        Assert.Equal<int>([2, 3], indices);
    }
}
