using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Notifications;

/// <summary>The self-hosted hub end to end: negotiate, a real WebSocket, the JSON hub protocol, user targeting.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class LocalHubNotificationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(10);
    private static readonly DateTimeOffset At = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private IAgentNotifier Notifier => _app.Services.GetRequiredService<IAgentNotifier>();

    private static IncomingCallNotification Incoming(string callId) => new(
        callId, RunningFunctionApp.BusinessNumberId, "+442079460000",
        new NotifiedCustomer("wa:447700900123", "+447700900123", "Ada"), CanAcceptNow: true, Reason: null, At.AddSeconds(15)) { At = At };

    private async Task<SignalRJsonClient> ConnectAsync(string agentId)
    {
        using var agent = await _app.ClientForAsync(agentId);
        return await SignalRJsonClient.ConnectAsync(agent);
    }

    [Fact]
    public async Task Negotiate_returns_the_hubs_absolute_url_and_a_token_the_hub_accepts()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        using var response = await agent.PostAsync("/api/negotiate", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(new Uri(_app.BaseAddress, "/api/signalr/agents").AbsoluteUri, body.GetProperty("url").GetString());
        Assert.Equal(agent.DefaultRequestHeaders.Authorization!.Parameter, body.GetProperty("accessToken").GetString());
    }

    [Fact]
    public async Task Negotiate_without_a_token_is_401_and_the_hub_refuses_anonymous_connections()
    {
        using var negotiate = await _app.Client.PostAsync("/api/negotiate", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, negotiate.StatusCode);
        Assert.Equal("application/problem+json", negotiate.Content.Headers.ContentType?.MediaType);

        using var hub = await _app.Client.PostAsync("/api/signalr/agents/negotiate?negotiateVersion=1", content: null);
        Assert.Equal(HttpStatusCode.Unauthorized, hub.StatusCode);
    }

    [Fact]
    public async Task An_event_for_agent_1_reaches_agent_1_and_not_agent_2()
    {
        await using var agent1 = await ConnectAsync("agent-1");
        await using var agent2 = await ConnectAsync("agent-2");

        await Notifier.NotifyAgentAsync(new AgentId("agent-1"), Incoming("wacid.one"), CancellationToken.None);
        // A later marker to agent-2: frames on one connection arrive in order, so if agent-2 had been sent the
        // first event it would come before the marker.
        await Notifier.NotifyAgentAsync(new AgentId("agent-2"), new CallTakenNotification("wacid.marker", "agent-3") { At = At }, CancellationToken.None);

        var received = await agent1.NextAsync(Patience);
        Assert.NotNull(received);
        Assert.Equal("incomingCall", received.Target);
        var payload = Assert.Single(received.Arguments);
        Assert.Equal("wacid.one", payload.GetProperty("callId").GetString());
        Assert.True(payload.GetProperty("canAcceptNow").GetBoolean());
        Assert.Equal("+447700900123", payload.GetProperty("customer").GetProperty("phoneNumber").GetString());
        Assert.Equal(At, payload.GetProperty("ringingUntil").GetDateTimeOffset().AddSeconds(-15));

        var other = await agent2.NextAsync(Patience);
        Assert.NotNull(other);
        Assert.Equal("callTaken", other.Target);
        Assert.Equal("wacid.marker", other.Arguments[0].GetProperty("callId").GetString());
        Assert.Null(await agent1.NextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public async Task Several_agents_receive_one_event_and_supervisors_get_theirs_by_group()
    {
        await using var agent1 = await ConnectAsync("agent-1");
        await using var agent3 = await ConnectAsync("agent-3");
        await using var supervisor = await ConnectAsync("supervisor-1");

        await Notifier.NotifyAgentsAsync([new AgentId("agent-1"), new AgentId("agent-3")], Incoming("wacid.all"), CancellationToken.None);
        await Notifier.NotifySupervisorsAsync(new MissedCallNotification("wacid.missed", RunningFunctionApp.BusinessNumberId,
            new NotifiedCustomer("wa:447700900123", "+447700900123", null), "ring_budget_spent") { At = At }, CancellationToken.None);

        Assert.Equal("wacid.all", (await agent1.NextAsync(Patience))!.Arguments[0].GetProperty("callId").GetString());
        Assert.Equal("wacid.all", (await agent3.NextAsync(Patience))!.Arguments[0].GetProperty("callId").GetString());
        var missed = await supervisor.NextAsync(Patience);
        Assert.Equal("missedCall", missed!.Target);
        Assert.Equal("ring_budget_spent", missed.Arguments[0].GetProperty("reason").GetString());
        Assert.Null(await agent1.NextAsync(TimeSpan.FromMilliseconds(300)));
    }

    [Fact]
    public void The_local_hub_is_not_emitted_as_a_function_but_negotiate_is()
    {
        var functions = FunctionAppLayout.HttpFunctions(((Microsoft.AspNetCore.Routing.IEndpointRouteBuilder)_app.App).DataSources);

        Assert.Contains(functions, f => f.Name == "Negotiate" && f.Route == "negotiate" && f.Methods.SequenceEqual(["POST"]));
        Assert.DoesNotContain(functions, f => f.Route.StartsWith("signalr", StringComparison.Ordinal));
    }
}
