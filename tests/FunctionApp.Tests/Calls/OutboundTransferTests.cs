using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Calls an agent placed follow the same transfer rule as incoming ones (issue 8, Transfer): the teammate list, the
/// offer with its note over SignalR, the teammate's accept swapping the agent leg inside the dial's relay session,
/// the initiator released, mute on the agent's own leg, and a decline handing the call back at once.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboundTransferTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "outbound-transfer-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_teammate_takes_over_a_placed_call_in_the_same_relay_session_and_owes_its_disposition()
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, consoleTwo) = agents;
        var (callId, session) = await ConnectedCallAsync(one, "447700900331");

        var targets = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/transfer-targets");
        Assert.Contains(targets.GetProperty("targets").EnumerateArray(), t => t.GetProperty("agentId").GetString() == "agent-2");
        Assert.DoesNotContain(targets.GetProperty("targets").EnumerateArray(), t => t.GetProperty("agentId").GetString() == "agent-1");

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2", note = "wants a refund" }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
            Assert.Equal("Offered", (await transfer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("transfer").GetProperty("phase").GetString());
        }

        var offered = await NextAsync(consoleTwo, "transferOffered");
        Assert.Equal(callId, offered.GetProperty("callId").GetString());
        Assert.Equal("wants a refund", offered.GetProperty("note").GetString());
        Assert.Equal("agent-1", offered.GetProperty("fromAgentId").GetString());

        using (var accept = await two.PostAsJsonAsync($"/api/calls/{callId}/transfer/accept", new { sdpOffer = BrowserOffer }))
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
            var body = await accept.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(RecordingMediaRelay.AgentAnswer, body.GetProperty("sdpAnswer").GetString());
            Assert.Equal("agent-2", body.GetProperty("call").GetProperty("agent").GetString());
        }

        // The teammate's leg joined the dial's session silent, the customer's audio switched to it, agent-1's leg went.
        var operations = _relay.Operations.ToList();
        var joined = operations.IndexOf($"leg {session} agent-2 silent");
        var switched = operations.IndexOf($"switch {session} a-agent-2");
        var removed = operations.IndexOf($"remove {session} a-agent-1");
        Assert.True(joined >= 0 && switched > joined && removed > switched, string.Join(" | ", operations));
        Assert.Equal("agent-1", (await NextAsync(consoleOne, "transferAccepted")).GetProperty("fromAgentId").GetString());
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        Assert.Null((await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);
        Assert.Equal(new CallId(callId), (await directory.FindAsync(new AgentId("agent-2"), CancellationToken.None))!.Agent.ActiveCall);

        // The call is agent-2's now: agent-1 can neither end nor mute it; agent-2 mutes their own leg in the session.
        using (var end = await one.PostAsync($"/api/calls/{callId}/end", null))
        {
            Assert.Equal(nameof(CallRefusal.NotTheAgentOnTheCall), (await ProblemAsync(end, HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        }

        using (var mute = await two.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = true }))
        {
            Assert.Equal(HttpStatusCode.OK, mute.StatusCode);
            Assert.True((await mute.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("muted").GetBoolean());
        }

        Assert.Contains($"mute {session} a-agent-2 True", _relay.Operations);
        var read = await two.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.True(read.GetProperty("muted").GetBoolean());
        Assert.Equal("Accepted", read.GetProperty("transfer").GetProperty("phase").GetString());

        await _meta.Users.HangUpAsync(callId);
        var ended = await NextAsync(consoleTwo, "callEnded");
        Assert.True(ended.GetProperty("dispositionRequired").GetBoolean());
        await PlacedCall.PhaseAsync(_app, callId, OutboundCallPhase.Ended);
        using (var byOne = await one.PostAsJsonAsync($"/api/calls/{callId}/disposition", new { code = "resolved" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, byOne.StatusCode);
        }

        using (var byTwo = await two.PostAsJsonAsync($"/api/calls/{callId}/disposition", new { code = "resolved", note = "refund issued" }))
        {
            Assert.Equal(HttpStatusCode.OK, byTwo.StatusCode);
        }

        Assert.Null((await directory.FindAsync(new AgentId("agent-2"), CancellationToken.None))!.Agent.ActiveCall);
    }

    [Fact]
    public async Task A_declined_transfer_leaves_the_placed_call_with_the_initiator_and_a_busy_teammate_is_refused_at_once()
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, consoleTwo) = agents;
        var (callId, session) = await ConnectedCallAsync(one, "447700900332");

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2" }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        }

        await NextAsync(consoleTwo, "transferOffered");
        using (var decline = await two.PostAsync($"/api/calls/{callId}/transfer/decline", null))
        {
            Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        }

        Assert.Equal("declined", (await NextAsync(consoleOne, "transferReverted")).GetProperty("reason").GetString());
        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("agent-1", read.GetProperty("agent").GetString());
        Assert.Equal("Declined", read.GetProperty("transfer").GetProperty("phase").GetString());
        Assert.DoesNotContain(_relay.Operations, o => o.StartsWith($"switch {session}", StringComparison.Ordinal));

        // agent-2 is now on a call of their own (marked directly): a second offer fails at once, with the reason.
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        await directory.SetActiveCallAsync(new AgentId("agent-2"), new CallId("wacid.other-call"), new CallId("wacid.other-call"), CancellationToken.None);
        using var again = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2" });
        var problem = await ProblemAsync(again, HttpStatusCode.Conflict);
        Assert.Equal(nameof(CallRefusal.AgentOnAnotherCall), problem.GetProperty("reason").GetString());
        Assert.Equal(nameof(CallRefusal.AgentOnAnotherCall), (await NextAsync(consoleOne, "transferFailed")).GetProperty("code").GetString());
    }

    private async Task<(string CallId, CallId Session)> ConnectedCallAsync(HttpClient agent, string phone)
    {
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber(phone));
        var (callId, session) = await PlacedCall.DialAsync(_app, agent, "+" + phone);
        await _meta.Users.AnswerAsync(callId);
        await PlacedCall.PhaseAsync(_app, callId, OutboundCallPhase.Connected);
        return (callId, session);
    }
}
