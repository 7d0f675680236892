using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Timelines;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Issue 8's missed-call and callback rules end to end: the fake Meta calls the app's number, nobody answers, and the
/// follow-up item, the contact timeline and the call timeline show it; Meta's automatic permission grant turns the
/// item into a callback request; agents race to claim it; an answered call's timeline names who took it.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class FollowUpFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private static readonly string Number = RunningFunctionApp.BusinessNumberId;
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        await CallsTestEnvironment.TopUpAsync(_app, "follow-up-test-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_call_Meta_ends_while_it_rings_becomes_an_open_follow_up_on_both_timelines_and_supervisors_hear_of_it()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        using var supervisor = await _app.ClientForAsync("supervisor-1");
        await PresenceAsync(agent, "available");
        await PresenceAsync(await _app.ClientForAsync("agent-2"), "away");
        await using var agentConsole = await ConsoleAsync(agent);
        await using var supervisorConsole = await ConsoleAsync(supervisor);

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900101"), SdpRules.MetaOffer());
        Assert.Equal(call.CallId, (await NextAsync(agentConsole, "incomingCall")).GetProperty("callId").GetString());
        await _meta.Users.HangUpAsync(call.CallId);

        var followUp = await NextAsync(agentConsole, "followUp", m => m.GetProperty("followUpId").GetString() == call.CallId);
        Assert.Equal("missedCall", followUp.GetProperty("kind").GetString());
        var missed = await NextAsync(supervisorConsole, "missedCall", m => m.GetProperty("callId").GetString() == call.CallId);
        Assert.Equal("EndedWhileRinging", missed.GetProperty("reason").GetString());

        var open = await agent.GetFromJsonAsync<JsonElement>($"/api/follow-ups?status=open&businessNumberId={Number}");
        var item = Assert.Single(open.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == call.CallId);
        Assert.Equal(("open", "missedCall", call.CallId, "ZZ.FAKE447700900101"),
            (item.GetProperty("status").GetString(), item.GetProperty("kind").GetString(), item.GetProperty("missedCallId").GetString(),
                item.GetProperty("customer").GetProperty("contactKey").GetString()));

        var contact = await Eventually.UntilAsync(() => ContactTimelineAsync(agent, "447700900101"),
            t => t.Any(e => e.GetProperty("kind").GetString() == "call.missed"), Wait, "the missed call on the contact timeline");
        Assert.Contains(contact, e => e.GetProperty("kind").GetString() == "call.missed" && e.GetProperty("callId").GetString() == call.CallId);

        // In the order the call lived it, even though Meta's whole-second times may put the miss a little before the ring.
        var timeline = await CallTimelineAsync(agent, call.CallId, "Missed");
        Assert.Equal(["Offered", "Ringing", "Missed"], timeline.Select(e => e.GetProperty("what").GetString()!).ToArray());
        Assert.Equal("Customer", Line(timeline, "Offered").GetProperty("who").GetString());
        Assert.Equal(("System", "agent-1"), (Line(timeline, "Ringing").GetProperty("who").GetString(), Line(timeline, "Ringing").GetProperty("detail").GetString()));
        Assert.Equal(("Meta", "EndedWhileRinging"), (Line(timeline, "Missed").GetProperty("who").GetString(), Line(timeline, "Missed").GetProperty("detail").GetString()));
        var times = timeline.Select(e => e.GetProperty("at").GetDateTimeOffset()).ToArray();
        Assert.All(times, t => Assert.True(t > DateTimeOffset.UtcNow.AddMinutes(-5)));
    }

    [Fact]
    public async Task The_automatic_permission_grant_after_a_missed_call_makes_it_a_callback_request_once()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        await PresenceAsync(agent, "away");
        await PresenceAsync(await _app.ClientForAsync("agent-2"), "away");
        await using var console = await ConsoleAsync(agent);
        _meta.Simulator.SetCallbackPermission(Number, enabled: true);
        var user = FakeUser.WithNumber("447700900202");

        // Nobody can be rung, so the call is missed at once; Meta sends its automatic grant right after the connect,
        // so the two facts reach the app in either order.
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, user, SdpRules.MetaOffer());

        var notified = await NextAsync(console, "followUp", m => m.GetProperty("followUpId").GetString() == call.CallId && m.GetProperty("kind").GetString() == "callbackRequested");
        Assert.Equal(call.CallId, notified.GetProperty("missedCallId").GetString());
        var item = await Eventually.UntilAsync(() => ItemsForAsync(agent, "ZZ.FAKE447700900202"),
            items => items.Count == 1 && items[0].GetProperty("kind").GetString() == "callbackRequested" && items[0].GetProperty("missReason").ValueKind == JsonValueKind.String,
            Wait, "one callback request on the missed call");
        Assert.Equal(call.CallId, item[0].GetProperty("missedCallId").GetString());
        Assert.Equal("NoAgentAvailable", item[0].GetProperty("missReason").GetString());
        Assert.Equal(JsonValueKind.String, item[0].GetProperty("callbackExpiresAt").ValueKind);
        var requestedAt = item[0].GetProperty("callbackRequestedAt").GetDateTimeOffset();

        // The same grant again (Meta's retry of the scenario): the item stays one, with its first request time.
        await _meta.Users.ReplyToPermissionAsync(user, PermissionReplyScenario.AutomaticCallback, call.CallId);
        var permission = await NextAsync(console, "permissionChanged", m => m.GetProperty("customer").GetProperty("contactKey").GetString() == "ZZ.FAKE447700900202");
        Assert.Equal("Temporary", permission.GetProperty("status").GetString());
        var again = await Eventually.UntilAsync(() => ItemsForAsync(agent, "ZZ.FAKE447700900202"), items => items.Count > 0, Wait, "the item after the repeat");
        var only = Assert.Single(again);
        Assert.Equal(requestedAt, only.GetProperty("callbackRequestedAt").GetDateTimeOffset());
    }

    [Fact]
    public async Task Two_agents_claiming_at_once_leave_one_owner_who_alone_may_complete_it()
    {
        using var one = await _app.ClientForAsync("agent-1");
        using var two = await _app.ClientForAsync("agent-2");
        await PresenceAsync(one, "away");
        await PresenceAsync(two, "away");
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900303"), SdpRules.MetaOffer());
        await Eventually.UntilAsync(() => ItemsForAsync(one, "ZZ.FAKE447700900303"), items => items.Count == 1, Wait, "the missed call's follow-up");

        var claims = await Task.WhenAll(one.PostAsync($"/api/follow-ups/{call.CallId}/claim", null), two.PostAsync($"/api/follow-ups/{call.CallId}/claim", null));
        var winner = Assert.Single(claims, r => r.StatusCode == HttpStatusCode.OK);
        var loser = Assert.Single(claims, r => r.StatusCode == HttpStatusCode.Conflict);
        var owner = (await winner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("claimedBy").GetString()!;
        var refusal = await loser.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(nameof(CallbackRefusal.ClaimedByAnotherAgent), refusal.GetProperty("reason").GetString());
        Assert.Equal(owner, refusal.GetProperty("claimedBy").GetString());
        Assert.Contains(owner, refusal.GetProperty("detail").GetString(), StringComparison.Ordinal);
        foreach (var response in claims)
        {
            response.Dispose();
        }

        var (mine, theirs) = owner == "agent-1" ? (one, two) : (two, one);
        using (var notOwner = await theirs.PostAsJsonAsync($"/api/follow-ups/{call.CallId}/complete", new { note = "me too" }))
        {
            Assert.Equal(HttpStatusCode.Conflict, notOwner.StatusCode);
            Assert.Equal(nameof(CallbackRefusal.NotClaimedByAgent), (await notOwner.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        using (var badNote = await mine.PostAsJsonAsync($"/api/follow-ups/{call.CallId}/complete", new { note = new string('x', 1001) }))
        {
            Assert.Equal(HttpStatusCode.BadRequest, badNote.StatusCode);
            Assert.Equal("note", (await badNote.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var notJson = await mine.PostAsync($"/api/follow-ups/{call.CallId}/complete", new StringContent("[1]", System.Text.Encoding.UTF8, "application/json")))
        {
            Assert.Equal(HttpStatusCode.BadRequest, notJson.StatusCode);
            Assert.Equal("body", (await notJson.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var complete = await mine.PostAsJsonAsync($"/api/follow-ups/{call.CallId}/complete", new { note = "called back, booked a visit" }))
        {
            Assert.Equal(HttpStatusCode.OK, complete.StatusCode);
            var done = await complete.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(("completed", "called back, booked a visit"), (done.GetProperty("status").GetString(), done.GetProperty("note").GetString()));
        }

        using (var twice = await mine.PostAsync($"/api/follow-ups/{call.CallId}/complete", null))
        {
            Assert.Equal(HttpStatusCode.Conflict, twice.StatusCode);
            Assert.Equal(nameof(CallbackRefusal.AlreadyCompleted), (await twice.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
        }

        var completed = await one.GetFromJsonAsync<JsonElement>("/api/follow-ups?status=completed");
        Assert.Contains(completed.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == call.CallId);
        var open = await one.GetFromJsonAsync<JsonElement>("/api/follow-ups?status=open");
        Assert.DoesNotContain(open.GetProperty("items").EnumerateArray(), i => i.GetProperty("id").GetString() == call.CallId);
        var contact = await ContactTimelineAsync(one, "447700900303");
        Assert.Contains(contact, e => e.GetProperty("kind").GetString() == "followup.completed"
            && e.GetProperty("summary").GetString() == $"Follow-up completed by {owner}: called back, booked a visit");
    }

    [Fact]
    public async Task Unknown_items_and_bad_filters_are_problems_not_errors()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        using (var unknown = await agent.PostAsync("/api/follow-ups/wacid.nothing/claim", null))
        {
            Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
            Assert.Equal("id", (await unknown.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var status = await agent.GetAsync("/api/follow-ups?status=pending"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, status.StatusCode);
            Assert.Equal("status", (await status.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var number = await agent.GetAsync("/api/follow-ups?businessNumberId=999"))
        {
            Assert.Equal(HttpStatusCode.BadRequest, number.StatusCode);
            Assert.Equal("businessNumberId", (await number.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
        }

        using (var timeline = await agent.GetAsync("/api/calls/wacid.nothing/timeline"))
        {
            Assert.Equal(HttpStatusCode.NotFound, timeline.StatusCode);
        }

        using var anonymous = await _app.Client.GetAsync("/api/follow-ups");
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
    }

    [Fact]
    public async Task An_answered_calls_timeline_names_the_agent_who_took_it_and_Metas_hang_up()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        await PresenceAsync(agent, "available");
        await PresenceAsync(await _app.ClientForAsync("agent-2"), "away");
        await using var console = await ConsoleAsync(agent);
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900404"), SdpRules.MetaOffer());
        await NextAsync(console, "incomingCall", m => m.GetProperty("callId").GetString() == call.CallId);
        using (var accept = await agent.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" }))
        {
            Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        }

        await _meta.Users.HangUpAsync(call.CallId);

        var timeline = await CallTimelineAsync(agent, call.CallId, "Ended");
        var accepted = Assert.Single(timeline, e => e.GetProperty("what").GetString() == "Accepted");
        Assert.Equal(("agent:agent-1", "agent-1"), (accepted.GetProperty("who").GetString(), accepted.GetProperty("agentId").GetString()));
        var ended = Assert.Single(timeline, e => e.GetProperty("what").GetString() == "Ended");
        Assert.Equal("Meta", ended.GetProperty("who").GetString());
        var order = timeline.Select(e => e.GetProperty("what").GetString()).ToList();
        Assert.True(order.IndexOf("Offered") < order.IndexOf("Accepted") && order.IndexOf("Accepted") < order.IndexOf("Ended"), string.Join(",", order));

        var contact = await Eventually.UntilAsync(() => ContactTimelineAsync(agent, "447700900404"),
            t => t.Any(e => e.GetProperty("kind").GetString() == "call.ended"), Wait, "the ended call on the contact timeline");
        Assert.Contains(contact, e => e.GetProperty("kind").GetString() == "call.answered" && e.GetProperty("summary").GetString() == "Call answered by agent-1");
        Assert.DoesNotContain(contact, e => e.GetProperty("kind").GetString() == "call.missed");

        // A repeated effect (at-least-once delivery) lands on the rows it wrote before.
        var journal = _app.Services.GetRequiredService<CallJournal>();
        var store = _app.Services.GetRequiredService<CallTimelineStore>();
        var callId = new CallId(call.CallId);
        var before = await store.ReadAsync(callId, CancellationToken.None);
        var entry = new CallTimelineEntry(callId, accepted.GetProperty("at").GetDateTimeOffset(), CallActor.Of(new AgentId("agent-1")), CallTimelineKind.Accepted);
        await journal.TimelineAsync(new JournalCall(callId, JournalCallDirection.Inbound, new BusinessNumberId(Number), ContactKey.ForBsuid("ZZ.FAKE447700900404"), new AgentId("agent-1"), accepted.GetProperty("version").GetInt64()), entry, CancellationToken.None);
        Assert.Equal(before, await store.ReadAsync(callId, CancellationToken.None));
        var again = await ContactTimelineAsync(agent, "447700900404");
        Assert.Single(again, e => e.GetProperty("kind").GetString() == "call.answered");
    }

    private static JsonElement Line(List<JsonElement> timeline, string what) => Assert.Single(timeline, e => e.GetProperty("what").GetString() == what);

    private static async Task PresenceAsync(HttpClient agent, string presence)
    {
        using var response = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence });
        response.EnsureSuccessStatusCode();
    }

    private static async Task<List<JsonElement>> ItemsForAsync(HttpClient agent, string contactKey)
    {
        var all = await agent.GetFromJsonAsync<JsonElement>($"/api/follow-ups?businessNumberId={Number}");
        return [.. all.GetProperty("items").EnumerateArray().Where(i => i.GetProperty("customer").GetProperty("contactKey").GetString() == contactKey)];
    }

    private static async Task<List<JsonElement>> ContactTimelineAsync(HttpClient agent, string phone)
    {
        var timeline = await agent.GetFromJsonAsync<JsonElement>($"/api/contacts/{phone}/timeline?phoneNumberId={Number}");
        return [.. timeline.GetProperty("entries").EnumerateArray()];
    }

    /// <summary>The call's timeline once it holds <paramref name="last"/> (effects run after the state is stored).</summary>
    private static async Task<List<JsonElement>> CallTimelineAsync(HttpClient agent, string callId, string last) =>
        await Eventually.UntilAsync(async () =>
        {
            using var response = await agent.GetAsync($"/api/calls/{callId}/timeline");
            return response.StatusCode == HttpStatusCode.OK
                ? [.. (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("entries").EnumerateArray()]
                : new List<JsonElement>();
        }, entries => entries.Any(e => e.GetProperty("what").GetString() == last), Wait, $"{last} on the call timeline of {callId}");

    private static Task<JsonElement> NextAsync(AgentConsole console, string target, Func<JsonElement, bool>? match = null) => console.WaitForAsync(target, match);

    private static async Task<AgentConsole> ConsoleAsync(HttpClient agent) => new(await SignalRJsonClient.ConnectAsync(agent));

    /// <summary>A console that keeps every message, so waiting for one kind never loses another that came first.</summary>
    private sealed class AgentConsole(SignalRJsonClient client) : IAsyncDisposable
    {
        private readonly List<SignalRJsonClient.Invocation> _seen = [];

        public async Task<JsonElement> WaitForAsync(string target, Func<JsonElement, bool>? match)
        {
            bool Fits(SignalRJsonClient.Invocation m) => m.Target == target && (match?.Invoke(m.Arguments[0]) ?? true);
            var deadline = DateTimeOffset.UtcNow + Wait;
            while (true)
            {
                if (_seen.FirstOrDefault(Fits) is { } found)
                {
                    _seen.Remove(found);
                    return found.Arguments[0];
                }

                if (DateTimeOffset.UtcNow >= deadline || await client.NextAsync(deadline - DateTimeOffset.UtcNow) is not { } next)
                {
                    throw new TimeoutException($"No {target} within {Wait}; saw {string.Join(", ", _seen.Select(m => m.Target))}.");
                }

                _seen.Add(next);
            }
        }

        public ValueTask DisposeAsync() => client.DisposeAsync();
    }
}
