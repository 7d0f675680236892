using System.Collections.Concurrent;
using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Recording;
using FakeMeta.Simulation;
using FakeMeta.Webhooks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace CallSetup.Bench;

/// <summary>One agent at a console: an authenticated API client and a SignalR WebSocket, ringing on one number.</summary>
internal sealed record Seat(string AgentId, string NumberId, HttpClient Http, SignalRJsonClient Console);

/// <summary>Measured instants of one call, all from the same wall clock (fake Meta, app and bench share a process).</summary>
internal sealed record CallTiming(
    DateTimeOffset ConnectSent, DateTimeOffset ConnectAcked, DateTimeOffset ConnectInvoked, DateTimeOffset SessionCreated, DateTimeOffset PreAcceptAtMeta, DateTimeOffset Rang,
    DateTimeOffset AcceptPosted, DateTimeOffset LegAdded, DateTimeOffset AcceptAtMeta, DateTimeOffset AcceptAnswered,
    DateTimeOffset TerminateSent, DateTimeOffset TerminateAcked, DateTimeOffset TerminateInvoked, DateTimeOffset SessionEnded, DateTimeOffset Ended);

/// <summary>
/// The world of one scenario: the fake Meta with one business number per seat, the real function app in process on
/// Azurite with <see cref="TimedRelay"/> as its relay, and every agent available with a console open. Seat k is alone
/// in the ring order of number k, so n customers calling n numbers at once ring n agents at once.
/// </summary>
internal sealed class Rig : IAsyncDisposable
{
    public const string BrowserOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";

    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);

    private readonly ConcurrentQueue<DateTimeOffset> _invocations;

    private Rig(FakeMetaServer meta, RunningFunctionApp app, TimedRelay relay, HostJsonSettings queues, ConcurrentQueue<DateTimeOffset> invocations)
    {
        _invocations = invocations;
        Meta = meta;
        App = app;
        Relay = relay;
        Queues = queues;
    }

    public FakeMetaServer Meta { get; }

    public RunningFunctionApp App { get; }

    public TimedRelay Relay { get; }

    /// <summary>The queue-trigger settings the app's local trigger host is running with.</summary>
    public HostJsonSettings Queues { get; }

    public List<Seat> Seats { get; } = [];

    private WebhookTarget Target => new(Meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret);

    public static async Task<Rig> StartAsync(string storage, int seats, TimeSpan? maxPollingInterval)
    {
        var options = new FakeMetaOptions
        {
            AccessToken = RunningFunctionApp.GraphToken, AppSecret = RunningFunctionApp.AppSecret, WabaId = RunningFunctionApp.WabaId,
        };
        options.BusinessNumbers.Clear();
        var agents = Enumerable.Range(1, seats).Select(i => $"agent-{i}").ToArray();
        var settings = new Dictionary<string, string?>
        {
            ["Auth:DevAgents"] = string.Join(';', agents.Select(a => a + ":agent")) + ";admin-1:agent,admin",
            // Production's hop (host.json sample): timers wait in the queue instead of re-queuing every second.
            ["Timers:MaxHopSeconds"] = "518400",
            ["Logging:LogLevel:Default"] = "Warning",
        };
        for (var k = 0; k < seats; k++)
        {
            var id = (200000000000001L + k).ToString(CultureInfo.InvariantCulture);
            var display = "4420794600" + k.ToString("D2", CultureInfo.InvariantCulture);
            options.BusinessNumbers.Add(new FakeBusinessNumber(id, display, "GB"));
            settings[$"BusinessNumbers:{k}:PhoneNumberId"] = id;
            settings[$"BusinessNumbers:{k}:DisplayNumber"] = "+" + display;
            settings[$"BusinessNumbers:{k}:Country"] = "GB";
        }

        var meta = await FakeMetaServer.StartAsync(options);
        settings["WhatsApp:GraphBaseUrl"] = meta.BaseUrl.ToString().TrimEnd('/');
        var relay = new TimedRelay();
        var queues = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        if (maxPollingInterval is { } poll)
        {
            queues = queues with { MaxPollingInterval = poll };
        }

        var invocations = new ConcurrentQueue<DateTimeOffset>();
        var app = await RunningFunctionApp.StartAsync(storage, settings, b =>
        {
            b.Services.AddSingleton<IMediaRelay>(relay);
            b.Services.AddSingleton(queues);
        }, a => a.Use(async (context, next) =>
        {
            // When the local trigger host hands a webhook change from the queue to its function.
            if (context.Request.Path == "/" + ProcessWebhookChangeFunction.Name)
            {
                invocations.Enqueue(DateTimeOffset.UtcNow);
            }

            await next(context);
        }));
        options.CallbackUrl = new Uri(app.BaseAddress, "api/webhooks/whatsapp");
        var rig = new Rig(meta, app, relay, app.Services.GetRequiredService<HostJsonSettings>(), invocations);

        using var admin = await app.ClientForAsync("admin-1");
        using (var topUp = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups") { Content = JsonContent.Create(new { amountUsd = 500 }) })
        {
            topUp.Headers.Add("Idempotency-Key", "bench-top-up");
            using var response = await admin.SendAsync(topUp);
            response.EnsureSuccessStatusCode();
        }

        for (var k = 0; k < seats; k++)
        {
            var http = await app.ClientForAsync(agents[k]);
            using (var presence = await http.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" }))
            {
                presence.EnsureSuccessStatusCode();
            }

            var number = options.BusinessNumbers[k].PhoneNumberId;
            using (var order = await admin.PutAsJsonAsync($"/api/admin/numbers/{number}/ring-order", new { agents = new[] { agents[k] } }))
            {
                order.EnsureSuccessStatusCode();
            }

            rig.Seats.Add(new Seat(agents[k], number, http, await SignalRJsonClient.ConnectAsync(http)));
        }

        return rig;
    }

    /// <summary>
    /// One whole call on a seat: the customer calls, the agent hears it and accepts, they talk for
    /// <paramref name="talk"/>, the customer hangs up and the agent's console hears the end.
    /// </summary>
    public async Task<CallTiming> CallAsync(Seat seat, string customerPhone, TimeSpan talk)
    {
        // Listen before sending so a notification that beats the webhook's acknowledgement is still timed.
        var ringing = NextAsync(seat.Console, "incomingCall");
        var connectSent = DateTimeOffset.UtcNow;
        var call = await Meta.SendUserInitiatedConnectAsync(Target.CallbackUrl, Target.AppSecret, FakeUser.WithNumber(customerPhone),
            SdpRules.MetaOffer(), seat.NumberId);
        var connectAcked = DateTimeOffset.UtcNow;
        if (call.Connect.ResponseStatus != 200)
        {
            throw new InvalidOperationException($"The connect webhook was answered {call.Connect.ResponseStatus}.");
        }

        var (incoming, rang) = await ringing;
        var callId = call.CallId;
        Expect(incoming.GetProperty("callId").GetString() == callId, $"incomingCall for {callId}");

        var acceptPosted = DateTimeOffset.UtcNow;
        using (var accept = await seat.Http.PostAsJsonAsync($"/api/calls/{Uri.EscapeDataString(callId)}/accept", new { sdpOffer = BrowserOffer }))
        {
            var answered = DateTimeOffset.UtcNow;
            accept.EnsureSuccessStatusCode();
            var body = await accept.Content.ReadFromJsonAsync<JsonElement>();
            Expect(body.GetProperty("sdpAnswer").GetString() == TimedRelay.AgentAnswer, "the relay's SDP answer in the accept response");

            await Task.Delay(talk);
            var ending = NextAsync(seat.Console, "callEnded");
            var terminateSent = DateTimeOffset.UtcNow;
            await Meta.Users.HangUpAsync(callId, Target);
            var terminateAcked = DateTimeOffset.UtcNow;
            var (endedMessage, ended) = await ending;
            Expect(endedMessage.GetProperty("callId").GetString() == callId, $"callEnded for {callId}");

            return new CallTiming(
                connectSent, connectAcked, FirstInvocationAfter(connectSent), Relay.SessionCreated[callId], await GraphActionAsync(callId, "pre_accept"), rang,
                acceptPosted, Relay.LegAdded[callId], await GraphActionAsync(callId, "accept"), answered,
                terminateSent, terminateAcked, FirstInvocationAfter(terminateSent), await EndedAsync(callId), ended);
        }
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var seat in Seats)
        {
            await seat.Console.DisposeAsync();
            seat.Http.Dispose();
        }

        await App.DisposeAsync();
        await Meta.DisposeAsync();
    }

    private static void Expect(bool condition, string what)
    {
        if (!condition)
        {
            throw new InvalidOperationException("Expected " + what + ".");
        }
    }

    /// <summary>The next message for <paramref name="target"/> and when it arrived, skipping others.</summary>
    private static async Task<(JsonElement Argument, DateTimeOffset At)> NextAsync(SignalRJsonClient console, string target)
    {
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await console.NextAsync(deadline - DateTimeOffset.UtcNow) is { } message && message.Target == target)
            {
                return (message.Arguments[0], DateTimeOffset.UtcNow);
            }
        }

        throw new TimeoutException($"No {target} within {Wait}.");
    }

    /// <summary>When the fake Meta received the Graph call <paramref name="action"/> for the call.</summary>
    private async Task<DateTimeOffset> GraphActionAsync(string callId, string action)
    {
        // The app sends pre_accept and accept before the notification and the accept response it precedes, so the
        // request is normally recorded already; a short wait covers a recording still in flight.
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (Meta.Requests.To("/calls", "POST").LastOrDefault(r => Is(r, callId, action)) is { } request)
            {
                return request.ReceivedAt;
            }

            await Task.Delay(5);
        }

        throw new TimeoutException($"Meta never received {action} for {callId}.");
    }

    private async Task<DateTimeOffset> EndedAsync(string callId)
    {
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (!Relay.SessionEnded.ContainsKey(callId) && DateTimeOffset.UtcNow < deadline)
        {
            await Task.Delay(5);
        }

        return Relay.SessionEnded[callId];
    }

    /// <summary>
    /// The first queue invocation after <paramref name="sent"/>: the call's own when calls run one at a time; in a
    /// burst, the first of the burst's (so per-call queue wait is only reported for sequential calls).
    /// </summary>
    private DateTimeOffset FirstInvocationAfter(DateTimeOffset sent) => _invocations.Where(t => t >= sent).DefaultIfEmpty(sent).Min();

    private static bool Is(RecordedRequest request, string callId, string action) =>
        request.Json is { } json && (string?)json["call_id"] == callId && (string?)json["action"] == action;
}
