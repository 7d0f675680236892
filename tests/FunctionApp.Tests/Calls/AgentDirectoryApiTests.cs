using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

[Collection(AzuriteCollection.Name)]
public sealed class AgentDirectoryApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Number = RunningFunctionApp.BusinessNumberId;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_agent_goes_available_and_the_roster_shows_it()
    {
        using var agent = await _app.ClientForAsync("agent-2");

        using var response = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" });

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("available", body.GetProperty("presence").GetString());
        var roster = await _app.Services.GetRequiredService<AgentDirectory>().RosterAsync(CancellationToken.None);
        Assert.True(roster.Find(new AgentId("agent-2"))!.IsAvailable);
        Assert.False(roster.Find(new AgentId("agent-1"))!.IsAvailable);
    }

    [Fact]
    public async Task An_unknown_presence_is_a_problem_naming_the_field()
    {
        using var agent = await _app.ClientForAsync("agent-1");

        using var response = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "busy" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("presence", body.GetProperty("field").GetString());
    }

    [Fact]
    public async Task The_default_ring_order_is_every_agent_in_name_order_and_an_admin_may_replace_it()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        var path = $"/api/admin/numbers/{Number}/ring-order";

        var initial = await admin.GetFromJsonAsync<JsonElement>(path);
        Assert.Equal(
            ["admin-1", "agent-1", "agent-2", "agent-3", "supervisor-1"],
            initial.GetProperty("agents").EnumerateArray().Select(a => a.GetString()!).ToArray());

        using var put = await admin.PutAsJsonAsync(path, new { agents = new[] { "agent-3", "agent-1" }, ringAllRemaining = true, stepSeconds = 10 });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var order = await _app.Services.GetRequiredService<RingOrderStore>().GetAsync(new BusinessNumberId(Number), CancellationToken.None);
        Assert.Equal([new AgentId("agent-3"), new AgentId("agent-1")], order.Agents.ToArray());
        Assert.True(order.RingAllRemaining);
        Assert.Equal(TimeSpan.FromSeconds(10), order.StepDuration);

        using var unknown = await admin.PutAsJsonAsync(path, new { agents = new[] { "nobody" } });
        Assert.Equal(HttpStatusCode.BadRequest, unknown.StatusCode);
        Assert.Equal("agents", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());

        using var agent = await _app.ClientForAsync("agent-1");
        using var forbidden = await agent.PutAsJsonAsync(path, new { agents = new[] { "agent-1" } });
        Assert.Equal(HttpStatusCode.Forbidden, forbidden.StatusCode);
    }

    [Fact]
    public async Task The_call_store_round_trips_a_ringing_call()
    {
        var store = _app.Services.GetRequiredService<CallStore>();
        var callId = new CallId("wacid.store-" + Guid.NewGuid().ToString("N"));
        var machine = new InboundCallMachine(CallingRules.Default);
        var now = DateTimeOffset.UtcNow;
        var roster = AgentRoster.Of(new Agent(new AgentId("agent-1"), AgentPresence.Available, AgentCapabilities.Full));
        var offer = new InboundOffer(callId, new BusinessNumberId(Number), null, now, CallAdmission.Admitted);

        var change = await store.ApplyAsync(callId, (state, _) =>
            ValueTask.FromResult(machine.Offer(state, offer, RingOrder.Of(new BusinessNumberId(Number), new AgentId("agent-1")), roster, now)), CancellationToken.None);

        Assert.True(change.Written);
        var stored = await store.GetAsync(callId, CancellationToken.None);
        Assert.Equal(InboundCallPhase.Ringing, stored!.Phase);
        Assert.Equal([new AgentId("agent-1")], stored.Ring!.Ringing.ToArray());
        Assert.Equal(change.State.Version, stored.Version);
    }
}
