using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
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
/// Issue 8's transfer rule through the API: agent-1 on a call offers it to agent-2, who hears the offer over SignalR
/// and takes it (the relay switches legs); a teammate who became busy is refused at once and the initiator told; a
/// decline leaves the call with the initiator.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundTransferTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "transfer-test-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_teammate_who_accepts_gets_the_call_the_relay_switches_legs_and_both_agents_are_told()
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, consoleTwo) = agents;
        var callId = await StartAsync(_meta, _app, one, consoleOne, "447700900101");

        var targets = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/transfer-targets");
        var ids = targets.GetProperty("targets").EnumerateArray().Select(t => t.GetProperty("agentId").GetString()).ToArray();
        Assert.Contains("agent-2", ids);
        Assert.DoesNotContain("agent-1", ids);
        Assert.DoesNotContain("agent-3", ids); // offline
        using (var notYours = await two.GetAsync($"/api/calls/{callId}/transfer-targets"))
        {
            Assert.Equal(nameof(CallRefusal.NotTheAgentOnTheCall), (await ProblemAsync(notYours, HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        }

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2", note = "asks about billing" }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
            var call = await transfer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("Offered", call.GetProperty("transfer").GetProperty("phase").GetString());
        }

        var offered = await NextAsync(consoleTwo, "transferOffered");
        Assert.Equal(callId, offered.GetProperty("callId").GetString());
        Assert.Equal("agent-1", offered.GetProperty("fromAgentId").GetString());
        Assert.Equal("asks about billing", offered.GetProperty("note").GetString());

        using (var accept = await two.PostAsJsonAsync($"/api/calls/{callId}/transfer/accept", new { sdpOffer = BrowserOffer }))
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
            var accepted = await accept.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(RecordingMediaRelay.AgentAnswer, accepted.GetProperty("sdpAnswer").GetString());
            Assert.Equal("agent-2", accepted.GetProperty("call").GetProperty("agent").GetString());
        }

        Assert.Equal("agent-2", (await NextAsync(consoleOne, "transferAccepted")).GetProperty("toAgentId").GetString());
        Assert.Equal("agent-1", (await NextAsync(consoleTwo, "transferAccepted")).GetProperty("fromAgentId").GetString());

        // The teammate joined silent, then the customer's audio moved to them and the initiator's leg went, in that order.
        var relayOps = _relay.Operations.Where(o => o.Contains(callId, StringComparison.Ordinal)).ToList();
        var joined = relayOps.IndexOf($"leg {callId} agent-2 silent");
        var switched = relayOps.IndexOf($"switch {callId} a-agent-2");
        var removed = relayOps.IndexOf($"remove {callId} a-agent-1");
        Assert.True(joined >= 0 && joined < switched && switched < removed, string.Join(" | ", relayOps));

        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        Assert.Null((await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);
        Assert.Equal(new CallId(callId), (await directory.FindAsync(new AgentId("agent-2"), CancellationToken.None))!.Agent.ActiveCall);
        var read = await two.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("Accepted", read.GetProperty("transfer").GetProperty("phase").GetString());

        // The call is the teammate's now: the initiator can no longer end it, the teammate can.
        using (var endByOne = await one.PostAsync($"/api/calls/{callId}/end", null))
        {
            Assert.Equal(nameof(CallRefusal.NotTheAgentOnTheCall), (await ProblemAsync(endByOne, HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        }

        using var endByTwo = await two.PostAsync($"/api/calls/{callId}/end", null);
        Assert.Equal(HttpStatusCode.OK, endByTwo.StatusCode);
    }

    [Fact]
    public async Task A_teammate_who_took_another_call_is_refused_with_409_and_the_initiator_is_told_at_once()
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, _) = agents;
        var callId = await StartAsync(_meta, _app, one, consoleOne, "447700900102");
        var targets = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/transfer-targets");
        Assert.Contains(targets.GetProperty("targets").EnumerateArray(), t => t.GetProperty("agentId").GetString() == "agent-2");

        // Between drawing the list and choosing, agent-2 is assigned another call.
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        await directory.SetActiveCallAsync(new AgentId("agent-2"), new CallId("wacid.other-call"), new CallId("wacid.other-call"), CancellationToken.None);

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2" }))
        {
            var problem = await ProblemAsync(transfer, HttpStatusCode.Conflict);
            Assert.Equal(nameof(CallRefusal.AgentOnAnotherCall), problem.GetProperty("reason").GetString());
            Assert.Equal(CallRefusals.Describe(CallRefusal.AgentOnAnotherCall), problem.GetProperty("detail").GetString());
        }

        var failed = await NextAsync(consoleOne, "transferFailed");
        Assert.Equal(callId, failed.GetProperty("callId").GetString());
        Assert.Equal("agent-2", failed.GetProperty("toAgentId").GetString());
        Assert.Equal(nameof(CallRefusal.AgentOnAnotherCall), failed.GetProperty("code").GetString());
        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("agent-1", read.GetProperty("agent").GetString());
        Assert.Equal(JsonValueKind.Null, read.GetProperty("transfer").ValueKind);
        targets = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}/transfer-targets");
        Assert.DoesNotContain(targets.GetProperty("targets").EnumerateArray(), t => t.GetProperty("agentId").GetString() == "agent-2");
    }

    [Fact]
    public async Task A_declined_transfer_stays_with_the_initiator_and_bad_input_is_a_400_naming_the_field()
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, _) = agents;
        var callId = await StartAsync(_meta, _app, one, consoleOne, "447700900103");

        using (var missing = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { note = "x" }))
        {
            Assert.Equal("targetAgentId", (await ProblemAsync(missing, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        }

        using (var noSdp = await two.PostAsJsonAsync($"/api/calls/{callId}/transfer/accept", new { sdpOffer = "hello" }))
        {
            Assert.Equal("sdpOffer", (await ProblemAsync(noSdp, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        }

        using (var nothingPending = await two.PostAsync($"/api/calls/{callId}/transfer/decline", null))
        {
            Assert.Equal(nameof(CallRefusal.NoTransferPending), (await ProblemAsync(nothingPending, HttpStatusCode.Conflict)).GetProperty("reason").GetString());
        }

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2" }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        }

        using (var decline = await two.PostAsync($"/api/calls/{callId}/transfer/decline", null))
        {
            Assert.Equal(HttpStatusCode.OK, decline.StatusCode);
        }

        var reverted = await NextAsync(consoleOne, "transferReverted");
        Assert.Equal("declined", reverted.GetProperty("reason").GetString());
        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("agent-1", read.GetProperty("agent").GetString());
        Assert.Equal("Declined", read.GetProperty("transfer").GetProperty("phase").GetString());
        Assert.DoesNotContain(_relay.Operations, o => o.StartsWith($"switch {callId}", StringComparison.Ordinal));
    }
}
