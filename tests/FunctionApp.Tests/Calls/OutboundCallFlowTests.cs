using System.Globalization;
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
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using WhatsAppCalling.Storage.Tables;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Issue 8's outbound path end to end: the customer grants permission through the fake Meta, the agent dials through
/// the API, the fake Meta receives <c>connect</c> with the relay's offer and answers with signed webhooks, the customer
/// hangs up, billing charges the call by the callee's market, and the agent records a disposition. Plus the refusals
/// the agent must see explained.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class OutboundCallFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string BrowserOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly RecordingMediaRelay _relay = new();
    private readonly FakeMeta.ManualTimeProvider _metaClock = new(DateTimeOffset.UtcNow);
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        // Meta's clock moves by hand so the call lasts exactly as long as the test says.
        _meta.Options.Time = _metaClock;
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task An_agent_calls_a_customer_who_answers_then_hangs_up_and_the_call_is_charged_in_pulses_and_dispositioned()
    {
        await TopUpAsync(50);
        var user = FakeUser.WithNumber("447700900321");
        await GrantPermissionAsync(user);
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);
        await using var console = await SignalRJsonClient.ConnectAsync(agent);

        using var numbers = await agent.GetAsync("/api/agents/me/business-numbers");
        var list = await numbers.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(RunningFunctionApp.BusinessNumberId, list.GetProperty("defaultPhoneNumberId").GetString());
        Assert.False(list.GetProperty("choiceRequired").GetBoolean());

        using var placed = await agent.PostAsJsonAsync("/api/calls", new { to = "+447700900321", sdpOffer = BrowserOffer });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var body = await placed.Content.ReadFromJsonAsync<JsonElement>();
        var callId = body.GetProperty("callId").GetString()!;
        Assert.Equal(RecordingMediaRelay.AgentAnswer, body.GetProperty("sdpAnswer").GetString());
        Assert.Equal("Connecting", body.GetProperty("call").GetProperty("phase").GetString());

        // Meta got connect with the relay's offer (not the browser's), for the customer's number (§2.1).
        var connect = Assert.Single(_meta.Requests.All, r => (string?)r.Json?["action"] == "connect").Json!;
        Assert.Equal(RecordingMediaRelay.MetaLegOffer, (string?)connect["session"]!["sdp"]);
        Assert.Equal("offer", (string?)connect["session"]!["sdp_type"]);
        Assert.Equal("447700900321", ((string?)connect["to"])!.TrimStart('+'));
        var session = _relay.Operations.First(o => o.StartsWith("create-bic ", StringComparison.Ordinal))["create-bic ".Length..];
        Assert.Contains($"leg {session} agent-1 active", _relay.Operations);
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        Assert.Equal(new CallId(callId), (await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);

        // The customer picks up: Meta's connect with its answer, RINGING, ACCEPTED (§1.6, §1.7).
        await _meta.Users.AnswerAsync(callId);
        var connected = await PhaseAsync(callId, OutboundCallPhase.Connected);
        Assert.True(connected.AnswerApplied);
        var metaAnswer = _meta.Simulator.FindCall(callId)!.MetaAnswerSdp;
        Assert.Equal(metaAnswer, _relay.MetaAnswers[new CallId(session)]);

        _metaClock.Advance(TimeSpan.FromSeconds(61));
        await _meta.Users.HangUpAsync(callId);
        var ended = await NextAsync(console, "callEnded");
        Assert.Equal(callId, ended.GetProperty("callId").GetString());
        Assert.True(ended.GetProperty("dispositionRequired").GetBoolean());
        // Meta's terminate does not say which side hung up.
        Assert.Equal("meta", ended.GetProperty("endedBy").GetString());
        var closed = await PhaseAsync(callId, OutboundCallPhase.Ended);
        Assert.Equal(TimeSpan.FromSeconds(61), closed.Duration);
        Assert.Contains($"end {session}", _relay.Operations);
        Assert.Null((await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);

        // Billing charged Meta's 61 s as 11 six-second pulses at the UK rate, once.
        var rate = await agent.GetFromJsonAsync<JsonElement>("/api/rates/+447700900321");
        var debit = await Eventually.UntilAsync(
            async () => (await agent.GetFromJsonAsync<JsonElement>("/api/ledger")).GetProperty("items").EnumerateArray()
                .FirstOrDefault(i => i.GetProperty("callId").GetString() == callId),
            i => i.ValueKind == JsonValueKind.Object, Wait, "the call's debit in the ledger");
        var charge = debit.GetProperty("charge");
        Assert.Equal(11, charge.GetProperty("pulses").GetInt64());
        Assert.Equal(1.1m, charge.GetProperty("billedMinutes").GetDecimal());
        Assert.Equal(rate.GetProperty("market").GetString(), charge.GetProperty("market").GetString());
        Assert.Equal(rate.GetProperty("perMinuteUsd").GetString(), charge.GetProperty("perMinuteUsd").GetString());
        var perMinute = decimal.Parse(rate.GetProperty("perMinuteUsd").GetString()!, CultureInfo.InvariantCulture);
        Assert.Equal(-perMinute * 1.1m, decimal.Parse(debit.GetProperty("amountUsd").GetString()!, CultureInfo.InvariantCulture));
        var ledger = await agent.GetFromJsonAsync<JsonElement>("/api/ledger");
        Assert.Single(ledger.GetProperty("items").EnumerateArray(), i => i.GetProperty("callId").GetString() == callId);

        using var disposition = await agent.PostAsJsonAsync($"/api/calls/{callId}/disposition", new { code = "resolved", note = "order confirmed" });
        Assert.Equal(HttpStatusCode.OK, disposition.StatusCode);
        var read = await agent.GetFromJsonAsync<JsonElement>($"/api/calls/{callId}");
        Assert.Equal("outbound", read.GetProperty("direction").GetString());
        Assert.Equal("Ended", read.GetProperty("phase").GetString());
        Assert.Equal(61, read.GetProperty("durationSeconds").GetInt32());
        Assert.Equal("resolved", read.GetProperty("dispositionCode").GetString());
    }

    [Fact]
    public async Task An_agent_who_hangs_up_while_it_rings_sends_terminate_and_owes_a_no_answer_disposition()
    {
        await TopUpAsync(50);
        var user = FakeUser.WithNumber("447700900322");
        await GrantPermissionAsync(user);
        using var agent = await _app.ClientForAsync("agent-2");
        await GoAvailableAsync(agent);
        using var placed = await agent.PostAsJsonAsync("/api/calls", new { to = "447700900322", sdpOffer = BrowserOffer });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
        await _meta.Users.RingAsync(callId);
        await PhaseAsync(callId, OutboundCallPhase.Ringing);

        // A placed call is not "declined": the console is told to end it instead, not "unknown call".
        using (var decline = await agent.PostAsync($"/api/calls/{callId}/decline", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, decline.StatusCode);
            var problem = await decline.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal("NotAvailableOnOutboundCalls", problem.GetProperty("reason").GetString());
            Assert.Contains("end it", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        }

        // Transfer and mute need the customer on the line: while it rings they are refused as not in progress.
        using (var transfer = await agent.PostAsJsonAsync($"/api/calls/{callId}/transfer", new { targetAgentId = "agent-1" }))
        using (var mute = await agent.PostAsJsonAsync($"/api/calls/{callId}/mute", new { muted = true }))
        {
            foreach (var response in new[] { transfer, mute })
            {
                Assert.Equal(HttpStatusCode.Conflict, response.StatusCode);
                Assert.Equal(nameof(CallRefusal.CallNotInProgress), (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
            }
        }

        using (var other = await _app.ClientForAsync("agent-1"))
        using (var notYours = await other.PostAsync($"/api/calls/{callId}/end", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, notYours.StatusCode);
            Assert.Equal(nameof(CallRefusal.NotTheAgentOnTheCall), (await notYours.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        using var end = await agent.PostAsync($"/api/calls/{callId}/end", null);
        Assert.Equal(HttpStatusCode.OK, end.StatusCode);
        var ended = await end.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(("Unanswered", "agent-2"), (ended.GetProperty("phase").GetString(), ended.GetProperty("endedBy").GetString()));
        Assert.Contains(_meta.Requests.All, r => (string?)r.Json?["action"] == "terminate" && (string?)r.Json?["call_id"] == callId);
        Assert.Equal(CallState.Ended, _meta.Simulator.FindCall(callId)!.State);

        using var disposition = await agent.PostAsJsonAsync($"/api/calls/{callId}/disposition", new { code = "no-answer" });
        Assert.Equal(HttpStatusCode.OK, disposition.StatusCode);
        using var again = await agent.PostAsJsonAsync($"/api/calls/{callId}/disposition", new { code = "resolved" });
        Assert.Equal(HttpStatusCode.Conflict, again.StatusCode);
        Assert.Equal(nameof(CallRefusal.DispositionAlreadyRecorded), (await again.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task A_customer_without_permission_is_refused_with_the_reason_and_nothing_reaches_Meta_or_the_relay()
    {
        await TopUpAsync(50);
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);

        var problem = await RefusedAsync(agent, "+447700900323", HttpStatusCode.UnprocessableEntity);

        Assert.Equal("noPermission", problem.GetProperty("reason").GetString());
        Assert.Contains("send a permission request", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal("consent", problem.GetProperty("reasons")[0].GetProperty("source").GetString());
        AssertNothingDialled();
    }

    [Fact]
    public async Task A_number_with_calling_turned_off_is_refused_saying_an_admin_can_turn_it_on()
    {
        await TopUpAsync(50);
        await GrantPermissionAsync(FakeUser.WithNumber("447700900325"));
        using var admin = await _app.ClientForAsync("admin-1");
        using (var off = await admin.PutAsJsonAsync($"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/settings", new
        {
            callingEnabled = false,
            callIconVisibility = "default",
            callbackPermission = false,
            recording = false,
            businessHours = new { enabled = false, timeZone = "UTC", weekly = Array.Empty<object>(), holidays = Array.Empty<object>() },
        }))
        {
            off.EnsureSuccessStatusCode();
        }

        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);

        var problem = await RefusedAsync(agent, "+447700900325", HttpStatusCode.UnprocessableEntity);

        Assert.Equal("callingDisabled", problem.GetProperty("reason").GetString());
        Assert.Contains("admin can turn it on", problem.GetProperty("detail").GetString()!, StringComparison.Ordinal);
        Assert.Equal("number", Assert.Single(problem.GetProperty("reasons").EnumerateArray()).GetProperty("source").GetString());
        AssertNothingDialled();
    }

    [Fact]
    public async Task A_balance_below_the_minimum_is_refused_naming_the_balance_and_the_minimum()
    {
        await TopUpAsync(4);
        await GrantPermissionAsync(FakeUser.WithNumber("447700900324"));
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);

        var problem = await RefusedAsync(agent, "+447700900324", HttpStatusCode.UnprocessableEntity);

        Assert.Equal("balanceBelowMinimum", problem.GetProperty("reason").GetString());
        var detail = problem.GetProperty("detail").GetString()!;
        Assert.Contains("$4", detail, StringComparison.Ordinal);
        Assert.Contains("$10", detail, StringComparison.Ordinal);
        Assert.Equal("billing", Assert.Single(problem.GetProperty("reasons").EnumerateArray()).GetProperty("source").GetString());
        AssertNothingDialled();
    }

    [Fact]
    public async Task An_agent_without_the_make_calls_capability_is_refused_with_409()
    {
        await TopUpAsync(50);
        await GrantPermissionAsync(FakeUser.WithNumber("447700900325"));
        using var agent = await _app.ClientForAsync("agent-3");
        await GoAvailableAsync(agent);
        var table = await _app.Services.GetRequiredService<AppStorage>().TableAsync(AppTables.Agents, CancellationToken.None);
        var row = (await table.GetEntityIfExistsAsync(AgentDirectory.Partition, "agent-3", ct: CancellationToken.None))!;
        row["MayMakeCalls"] = false;
        await table.UpdateEntityAsync(row, row.ETag!, TableUpdateMode.Replace, CancellationToken.None);

        var problem = await RefusedAsync(agent, "+447700900325", HttpStatusCode.Conflict);

        Assert.Equal("agentMayNotMakeCalls", problem.GetProperty("reason").GetString());
        Assert.Equal(CallRefusals.Describe(CallRefusal.AgentMayNotMakeCalls), problem.GetProperty("detail").GetString());
        AssertNothingDialled();
    }

    [Theory]
    [InlineData("{\"businessNumberId\": \"999\", \"to\": \"+447700900326\", \"sdpOffer\": \"v=0\\r\\n\"}", "businessNumberId")]
    [InlineData("{\"to\": \"not a number\", \"sdpOffer\": \"v=0\\r\\n\"}", "to")]
    [InlineData("{\"to\": \"+447700900326\"}", "sdpOffer")]
    [InlineData("[]", "body")]
    public async Task Bad_input_is_400_naming_the_field(string json, string field)
    {
        using var agent = await _app.ClientForAsync("agent-1");
        using var response = await agent.PostAsync("/api/calls", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        AssertNothingDialled();
    }

    [Fact]
    public async Task A_Graph_failure_on_connect_is_502_with_Metas_reason_and_the_relay_session_is_ended()
    {
        await TopUpAsync(50);
        await GrantPermissionAsync(FakeUser.WithNumber("447700900327"));
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);
        _meta.Faults.FailNext("/calls", 1, 503, method: "POST");

        using var response = await agent.PostAsJsonAsync("/api/calls", new { to = "+447700900327", sdpOffer = BrowserOffer });

        Assert.Equal(HttpStatusCode.BadGateway, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(string.IsNullOrEmpty(problem.GetProperty("reason").GetString()));
        var session = _relay.Operations.First(o => o.StartsWith("create-bic ", StringComparison.Ordinal))["create-bic ".Length..];
        Assert.Contains($"end {session}", _relay.Operations);
        var directory = _app.Services.GetRequiredService<AgentDirectory>();
        Assert.Null((await directory.FindAsync(new AgentId("agent-1"), CancellationToken.None))!.Agent.ActiveCall);
    }

    private static async Task<JsonElement> RefusedAsync(HttpClient agent, string to, HttpStatusCode expected)
    {
        using var response = await agent.PostAsJsonAsync("/api/calls", new { to, sdpOffer = BrowserOffer });
        Assert.Equal(expected, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private void AssertNothingDialled()
    {
        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "connect");
        Assert.Empty(_relay.Operations);
    }

    private Task GrantPermissionAsync(FakeUser user) => PlacedCall.GrantPermissionAsync(_meta, _app, user);

    private async Task TopUpAsync(decimal amountUsd)
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups") { Content = JsonContent.Create(new { amountUsd }) };
        request.Headers.Add("Idempotency-Key", "outbound-test-" + Guid.NewGuid().ToString("N"));
        using var topUp = await admin.SendAsync(request);
        topUp.EnsureSuccessStatusCode();
    }

    private Task<OutboundCall> PhaseAsync(string callId, OutboundCallPhase phase) => PlacedCall.PhaseAsync(_app, callId, phase);
}
