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
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using WhatsAppCalling.Storage.Tables;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// The call shells' durable outbox: a transition is stored with the effects it owes, so a relay that fails after the
/// state was written loses nothing. What failed runs again from the pending row, on the retried command, the
/// redelivered webhook or the sweep timer (<c>Calling:EffectLeaseSeconds</c> shortened to 1 s, so it fires after 2 s).
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class PendingEffectsTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(
            azurite.ConnectionString, _relay, new Dictionary<string, string?> { ["Calling:EffectLeaseSeconds"] = "1" });
        await CallsTestEnvironment.TopUpAsync(_app, "pending-effects-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_relay_failure_at_hang_up_still_frees_the_agent_and_tells_the_console()
    {
        using var one = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(one);
        await using var console = await SignalRJsonClient.ConnectAsync(one);
        var callId = await StartAsync(_meta, _app, one, console, "447700900351");

        // The customer hangs up while the relay is unreachable: the call's end is stored, its effects are not all done.
        _relay.FailNextEnd = true;
        await _meta.Users.HangUpAsync(callId);

        var ended = await NextAsync(console, "callEnded");
        Assert.Equal(callId, ended.GetProperty("callId").GetString());
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        await Eventually.UntilAsync(
            () => directory.FindAsync(new AgentId("agent-1"), CancellationToken.None), a => a!.Agent.ActiveCall is null, Wait, "agent-1 to be released");
        Assert.True(_relay.Operations.Count(o => o == $"end {callId}") >= 2, "the relay session's end was tried again");
        await Eventually.UntilAsync(() => PendingRowsAsync(callId), rows => rows == 0, Wait, "the pending effects to be done");
    }

    [Fact]
    public async Task An_agent_hanging_up_a_placed_call_while_the_relay_fails_gets_502_and_the_sweep_finishes_the_job()
    {
        using var two = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(two);
        await using var console = await SignalRJsonClient.ConnectAsync(two);
        await PlacedCall.GrantPermissionAsync(_meta, _app, FakeUser.WithNumber("447700900352"));
        var (callId, session) = await PlacedCall.DialAsync(_app, two, "+447700900352");
        await _meta.Users.AnswerAsync(callId);
        await PlacedCall.PhaseAsync(_app, callId, OutboundCallPhase.Connected);

        _relay.FailNextEnd = true;
        using (var end = await two.PostAsync($"/api/calls/{callId}/end", null))
        {
            Assert.Equal(HttpStatusCode.BadGateway, end.StatusCode);
        }

        // Nobody retries: the sweep timer set before the effects ran does.
        Assert.True((await NextAsync(console, "callEnded")).GetProperty("dispositionRequired").GetBoolean());
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        await Eventually.UntilAsync(
            () => directory.FindAsync(new AgentId("agent-2"), CancellationToken.None), a => a!.Agent.ActiveCall is null, Wait, "agent-2 to be released");
        Assert.Equal(2, _relay.Operations.Count(o => o == $"end {session}"));
        Assert.Single(_meta.Requests.All, r => (string?)r.Json?["action"] == "terminate" && (string?)r.Json?["call_id"] == callId);
        await Eventually.UntilAsync(() => PendingRowsAsync(callId), rows => rows == 0, Wait, "the pending effects to be done");
    }

    [Fact]
    public async Task An_accept_retried_after_the_relay_failed_sends_Metas_accept_exactly_once()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using (var order = await admin.PutAsJsonAsync($"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-3" } }))
        {
            order.EnsureSuccessStatusCode();
        }

        using var three = await _app.ClientForAsync("agent-3");
        await GoAvailableAsync(three);
        await using var console = await SignalRJsonClient.ConnectAsync(three);
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900353"), SdpRules.MetaOffer());
        await NextAsync(console, "incomingCall");

        _relay.FailNextLeg = true;
        using (var first = await three.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = BrowserOffer }))
        {
            Assert.Equal(HttpStatusCode.BadGateway, first.StatusCode);
        }

        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "accept" && (string?)r.Json?["call_id"] == call.CallId);
        using var retry = await three.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = BrowserOffer });

        Assert.Equal(HttpStatusCode.OK, retry.StatusCode);
        Assert.Equal(RecordingMediaRelay.AgentAnswer, (await retry.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sdpAnswer").GetString());
        Assert.Single(_meta.Requests.All, r => (string?)r.Json?["action"] == "accept" && (string?)r.Json?["call_id"] == call.CallId);
        Assert.Equal(0, await PendingRowsAsync(call.CallId));
    }

    private async Task<int> PendingRowsAsync(string callId)
    {
        var table = await _app.Services.GetRequiredService<AppStorage>().TableAsync(AppTables.Calls, CancellationToken.None);
        var rows = 0;
        await foreach (var _ in table.QueryAsync(TableFilter.PartitionKeyEquals(callId).And(TableFilter.RowKeyStartsWith("effects|")), CancellationToken.None))
        {
            rows++;
        }

        return rows;
    }
}
