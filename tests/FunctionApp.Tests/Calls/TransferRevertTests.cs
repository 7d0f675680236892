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
/// An unanswered transfer reverts through the real durable-timer queue (<c>Calling:TransferRevertSeconds</c>
/// shortened to 2 s), for an incoming call and for one an agent placed (the outbound timer kind): both agents are
/// told and the initiator keeps the call and the audio.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class TransferRevertTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(
            azurite.ConnectionString, _relay, new Dictionary<string, string?> { ["Calling:TransferRevertSeconds"] = "2" });
        await CallsTestEnvironment.TopUpAsync(_app, "transfer-revert-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public Task An_unanswered_transfer_reverts_when_its_timer_fires_and_both_agents_are_told() =>
        RevertsAsync(async (one, consoleOne) =>
        {
            var callId = await StartAsync(_meta, _app, one, consoleOne, "447700900104");
            return (callId, new CallId(callId));
        });

    [Fact]
    public Task An_unanswered_transfer_of_a_placed_call_reverts_on_its_timer_and_both_agents_are_told() =>
        RevertsAsync(async (one, _) =>
        {
            await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900333"));
            var (callId, session) = await PlacedCall.DialAsync(_app, one, "+447700900333");
            await _meta.Users.AnswerAsync(callId);
            await PlacedCall.PhaseAsync(_app, callId, OutboundCallPhase.Connected);
            return (callId, session);
        });

    /// <summary>agent-1 has a call from <paramref name="start"/> (its id and relay session) and offers it to agent-2, who never answers.</summary>
    private async Task RevertsAsync(Func<HttpClient, SignalRJsonClient, Task<(string CallId, CallId Session)>> start)
    {
        await using var agents = await TwoAgents.ConnectAsync(_app);
        var (one, two, consoleOne, consoleTwo) = agents;
        var (callId, session) = await start(one, consoleOne);

        using (var transfer = await one.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-2", note = "VIP" }))
        {
            Assert.Equal(HttpStatusCode.OK, transfer.StatusCode);
        }

        var offered = await NextAsync(consoleTwo, "transferOffered");
        var toOne = await NextAsync(consoleOne, "transferReverted");
        var toTwo = await NextAsync(consoleTwo, "transferReverted");
        Assert.All([toOne, toTwo], r => Assert.Equal("timeout", r.GetProperty("reason").GetString()));
        Assert.Equal(offered.GetProperty("transferId").GetString(), toTwo.GetProperty("transferId").GetString());

        var read = await one.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("agent-1", read.GetProperty("agent").GetString());
        Assert.Equal("RevertedUnanswered", read.GetProperty("transfer").GetProperty("phase").GetString());
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        Assert.Equal(new CallId(callId), (await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);
        Assert.Null((await directory.FindAsync(new AgentId("agent-2"), CancellationToken.None))!.Agent.ActiveCall);
        Assert.DoesNotContain(_relay.Operations, o => o.StartsWith($"switch {session}", StringComparison.Ordinal));

        // Too late: the teammate's accept after the revert is refused.
        using var late = await two.PostAsJsonAsync($"/api/calls/{callId}/transfer/accept", new { sdpOffer = BrowserOffer });
        Assert.Equal(nameof(CallRefusal.NoTransferPending), (await ProblemAsync(late, HttpStatusCode.Conflict)).GetProperty("reason").GetString());

        // The call is still agent-1's to end (which frees them for the class's other test).
        using var end = await one.PostAsync($"/api/calls/{callId}/end", null);
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
    }
}
