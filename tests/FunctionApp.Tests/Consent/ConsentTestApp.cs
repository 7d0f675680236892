using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using CallDirection = WhatsAppCalling.Domain.Webhooks.CallDirection;
using FakeMeta.Webhooks;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>
/// The function app wired to a fake Meta that shares its hand-set clock and delivers signed webhooks to the app's
/// endpoint, plus builders for consent events that tests hand to the consent handler directly.
/// </summary>
internal sealed class ConsentTestApp : IAsyncDisposable
{
    public const string Customer = "447700900123";
    public const string CustomerBsuid = "ZZ.FAKE" + Customer;
    public static readonly BusinessNumberId Number = new(RunningFunctionApp.BusinessNumberId);
    public static readonly DateTimeOffset Start = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private ConsentTestApp(RunningFunctionApp app, FakeMetaServer meta, ConsentTestClock clock)
    {
        App = app;
        Meta = meta;
        Clock = clock;
    }

    public RunningFunctionApp App { get; }

    public FakeMetaServer Meta { get; }

    public ConsentTestClock Clock { get; }

    public FakeUser User { get; } = FakeUser.WithNumber(Customer);

    public ConsentStore Store => App.Services.GetRequiredService<ConsentStore>();

    public static async Task<ConsentTestApp> StartAsync(AzuriteFixture azurite, IDictionary<string, string?>? settings = null)
    {
        var clock = new ConsentTestClock(Start);
        var options = new FakeMetaOptions
        {
            AccessToken = RunningFunctionApp.GraphToken,
            AppSecret = RunningFunctionApp.AppSecret,
            Time = clock,
        };
        options.BusinessNumbers.Clear();
        options.BusinessNumbers.Add(new FakeBusinessNumber(RunningFunctionApp.BusinessNumberId, "442079460000", "GB"));
        var meta = await FakeMetaServer.StartAsync(options);
        var values = new Dictionary<string, string?>
        {
            ["WhatsApp:GraphBaseUrl"] = meta.BaseUrl.ToString().TrimEnd('/'),
            ["WhatsApp:PermissionRequestTemplate"] = "call_permission_request",
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        RunningFunctionApp app;
        try
        {
            app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, values, b => b.Services.AddSingleton<TimeProvider>(clock));
        }
        catch
        {
            await meta.DisposeAsync();
            throw;
        }

        // The app's port is known only now; the fake reads its callback at each send.
        options.CallbackUrl = new Uri(app.BaseAddress, "api/webhooks/whatsapp");
        return new ConsentTestApp(app, meta, clock);
    }

    /// <summary>Webhooks the fake sent to the app's signed endpoint; each must have been accepted.</summary>
    public static void AssertAccepted(IEnumerable<SentWebhook> webhooks) =>
        Assert.All(webhooks, w => Assert.Equal(200, w.ResponseStatus));

    /// <summary>The handler alone, as the event processor calls it, for events the fake cannot produce.</summary>
    public async Task DeliverAsync(WhatsAppEvent evt, bool stale = false)
    {
        using var scope = App.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IWhatsAppEventHandler>().OfType<ConsentEventHandler>().Single();
        var context = new EventContext($"{evt.GetType().Name}:{Guid.NewGuid():N}", Number, RunningFunctionApp.WabaId,
            Clock.GetUtcNow(), stale, "delivery-test");
        await handler.HandleAsync(evt, context, CancellationToken.None);
    }

    public static async Task<JsonElement> CallingAsync(HttpClient client, string contact = Customer)
    {
        using var response = await client.GetAsync(new Uri($"api/contacts/{Uri.EscapeDataString(contact)}/calling", UriKind.Relative));
        return await ExpectAsync(response, System.Net.HttpStatusCode.OK);
    }

    /// <summary>Asserts the status and returns the JSON body; on a mismatch the body is in the failure message.</summary>
    public static async Task<JsonElement> ExpectAsync(HttpResponseMessage response, System.Net.HttpStatusCode status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == status, $"Expected {(int)status}, got {(int)response.StatusCode}: {text}");
        return text.Length == 0 ? default : JsonDocument.Parse(text).RootElement.Clone();
    }

    public static Task<HttpResponseMessage> RequestPermissionAsync(HttpClient client, string contact = Customer, object? body = null) =>
        client.PostAsync(new Uri($"api/contacts/{Uri.EscapeDataString(contact)}/permission-requests", UriKind.Relative),
            body is null ? null : JsonContent.Create(body));

    public async ValueTask DisposeAsync()
    {
        await App.DisposeAsync();
        await Meta.DisposeAsync();
    }
}

/// <summary>Typed webhook events as the parser would produce them, for one customer on the test number.</summary>
internal static class ConsentEvents
{
    public static EventHeader Header(DateTimeOffset at, string? bsuid = ConsentTestApp.CustomerBsuid, string? phone = ConsentTestApp.Customer) => new(
        "messages", RunningFunctionApp.WabaId, ConsentTestApp.Number, "442079460000", at,
        new WebhookContact(bsuid, phone is null ? null : PhoneNumber.Parse(phone), phone, null, "Ana", null),
        [], 0, 0, 0);

    public static CallPermissionReply Reply(
        DateTimeOffset at, bool permanent, DateTimeOffset? expiresAt = null, string? contextId = "wamid.request",
        PermissionResponse response = PermissionResponse.Accept, string? bsuid = ConsentTestApp.CustomerBsuid, string? phone = ConsentTestApp.Customer) =>
        new(Header(at, bsuid, phone), $"wamid.reply.{at.ToUnixTimeMilliseconds()}", contextId, response,
            response == PermissionResponse.Accept ? "accept" : "reject", permanent, expiresAt, PermissionResponseSource.UserAction, "user_action");

    public static UserMessage Text(DateTimeOffset at, string? bsuid = ConsentTestApp.CustomerBsuid, string? phone = ConsentTestApp.Customer) =>
        new(Header(at, bsuid, phone), $"wamid.text.{at.ToUnixTimeMilliseconds()}", "text", null, "hello", null, default);

    public static CallTerminated BusinessCallEnded(string callId, DateTimeOffset at, bool pickedUp) => new(
        Header(at) with { Field = "calls" }, new CallId(callId), CallDirection.BusinessInitiated,
        pickedUp ? CallOutcome.Completed : CallOutcome.Failed, pickedUp ? "COMPLETED" : "FAILED",
        pickedUp ? at.AddMinutes(-2) : null, pickedUp ? at : null, pickedUp ? TimeSpan.FromMinutes(2) : null, [], null, null, null);

    public static CallStatusChanged BusinessCallStatus(string callId, DateTimeOffset at, CallStatus status) => new(
        Header(at) with { Field = "calls" }, new CallId(callId), status, status.ToString().ToUpperInvariant(), null);
}
