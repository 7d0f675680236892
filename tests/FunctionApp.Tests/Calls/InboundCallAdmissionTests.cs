using System.Net.Http.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Admission and the ring budget: a call under the $10 minimum is rejected through Graph and rings nobody; an
/// unanswered call is missed when its (shortened, 5 s) budget timer fires through the real durable-timer queue.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundCallAdmissionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(
            azurite.ConnectionString, _relay, new Dictionary<string, string?> { ["Calling:RingBudgetSeconds"] = "5" });
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_call_under_the_minimum_balance_is_rejected_via_Graph_without_a_relay_session()
    {
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900999"), SdpRules.MetaOffer());
        var store = _app.Services.GetRequiredService<CallStore>();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        InboundCall? stored;
        while ((stored = await store.GetAsync(new CallId(call.CallId), CancellationToken.None))?.Phase != InboundCallPhase.Rejected)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The call was never rejected.");
            await Task.Delay(100);
        }

        Assert.Equal(CallAdmission.BalanceBelowMinimum, stored!.RejectedFor);
        deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!_meta.Requests.All.Any(r => r.Path.EndsWith("/calls", StringComparison.Ordinal) && (string?)r.Json?["action"] == "reject"))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "Graph reject was never sent.");
            await Task.Delay(100);
        }

        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "pre_accept");
        Assert.Empty(_relay.Operations);
    }

    [Fact]
    public async Task An_unanswered_call_is_missed_when_the_budget_timer_fires_and_Meta_gets_a_reject()
    {
        await CallsTestEnvironment.TopUpAsync(_app, "calls-budget-top-up");
        using var agent = await _app.ClientForAsync("agent-1");
        (await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" })).EnsureSuccessStatusCode();

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900444"), SdpRules.MetaOffer());
        var store = _app.Services.GetRequiredService<CallStore>();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(30);
        InboundCall? stored;
        while ((stored = await store.GetAsync(new CallId(call.CallId), CancellationToken.None))?.Phase != InboundCallPhase.Missed)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, $"The call was not missed in time (phase {stored?.Phase}).");
            await Task.Delay(200);
        }

        Assert.Equal(MissReason.RingBudgetSpent, stored!.Missed);
        Assert.Contains(_meta.Requests.All, r => (string?)r.Json?["action"] == "pre_accept");
        // The state is written before its effects run: wait for them rather than race them.
        await TestSupport.Eventually.UntilAsync(
            () => Task.FromResult(_meta.Requests.All.Any(r => (string?)r.Json?["action"] == "reject") && _relay.Operations.Contains($"end {call.CallId}")),
            done => done, TimeSpan.FromSeconds(30), "the Graph reject and the relay session end");
    }
}
