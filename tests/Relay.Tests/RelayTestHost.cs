using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text.Json;
using RelayEvent = MediaRelay.Events.RelayEvent;
using MediaRelay.Sessions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace MediaRelay.Tests;

/// <summary>
/// The real relay on Kestrel (free loopback port, browser UDP port picked by the OS) plus a stand-in for the
/// function app's <c>POST /api/relay/events</c> that checks the bearer key and validates every body with the
/// function app's own <see cref="RelayEventReader"/>, so an event the real endpoint would refuse fails the test.
/// </summary>
internal sealed class RelayTestHost : IAsyncDisposable
{
    public const string ApiKey = "relay-test-key-0123456789";

    private readonly WebApplication _relay;
    private readonly WebApplication _functionApp;
    private readonly ConcurrentQueue<RelayEvent> _events;
    private readonly ConcurrentQueue<string> _refused;

    private RelayTestHost(WebApplication relay, WebApplication functionApp, HttpClient client, ConcurrentQueue<RelayEvent> events, ConcurrentQueue<string> refused)
    {
        _events = events;
        _refused = refused;
        _relay = relay;
        _functionApp = functionApp;
        Client = client;
    }

    /// <summary>An HTTP client on the relay with the right bearer key.</summary>
    public HttpClient Client { get; }

    public Uri BaseAddress => Client.BaseAddress!;

    public SessionRegistry Sessions => _relay.Services.GetRequiredService<SessionRegistry>();

    /// <summary>What all sessions share: the browser port and its counters.</summary>
    public RelayMedia Media => _relay.Services.GetRequiredService<RelayMedia>();

    public IReadOnlyCollection<RelayEvent> Events => _events;

    /// <summary>Bodies the function app's reader refused (must stay empty).</summary>
    public IReadOnlyCollection<string> RefusedEvents => _refused;

    public static async Task<RelayTestHost> StartAsync(string? recordingConnectionString = null)
    {
        var functionApp = WebApplication.CreateSlimBuilder();
        functionApp.WebHost.UseUrls("http://127.0.0.1:0");
        functionApp.Logging.ClearProviders();
        var fake = functionApp.Build();
        var events = new ConcurrentQueue<RelayEvent>();
        var refused = new ConcurrentQueue<string>();
        fake.MapPost("/api/relay/events", async (HttpRequest request) =>
        {
            if (request.Headers.Authorization.ToString() != "Bearer " + ApiKey)
            {
                return Results.Unauthorized();
            }

            using var document = await JsonDocument.ParseAsync(request.Body);
            var read = RelayEventReader.Read(document.RootElement);
            if (read.Error is { } error)
            {
                refused.Enqueue($"{error.Field}: {error.Message} in {document.RootElement}");
                return Results.BadRequest();
            }

            var e = read.Event!;
            var data = document.RootElement.TryGetProperty("data", out var d) ? d.Clone() : default;
            events.Enqueue(new RelayEvent(e.EventId, document.RootElement.GetProperty("type").GetString()!, e.SessionId.Value, e.LegId, e.At,
                data.ValueKind == JsonValueKind.Object ? data.EnumerateObject().ToDictionary(p => p.Name, p => (object)p.Value.ToString()) : []));
            return Results.Accepted();
        });
        await fake.StartAsync();
        string functionAppUrl = Address(fake);

        var relay = RelayApp.Build([], builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            builder.Logging.AddSimpleConsole().SetMinimumLevel(LogLevel.Warning);
            builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["Relay:ApiKey"] = ApiKey,
                ["Relay:PublicIp"] = "127.0.0.1",
                ["Relay:BindAddress"] = "127.0.0.1",
                ["Relay:BrowserUdpPort"] = "0",
                ["Relay:FunctionAppUrl"] = functionAppUrl,
                ["Relay:RecordingStorageConnectionString"] = recordingConnectionString,
                ["Relay:RecordingContainer"] = "relay-test-recordings",
            });
        });
        await relay.StartAsync();
        var client = new HttpClient { BaseAddress = new Uri(Address(relay) + "/") };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        return new RelayTestHost(relay, fake, client, events, refused);
    }

    /// <summary>The first event of <paramref name="type"/> for <paramref name="legId"/> (null = any leg), polled with a hang guard.</summary>
    public Task<RelayEvent> WaitForEventAsync(string type, string? legId, TimeSpan timeout) =>
        TestSupport.Eventually.UntilAsync(
            () => Task.FromResult(_events.FirstOrDefault(e => e.Type == type && (legId is null || e.LegId == legId))),
            e => e is not null, timeout, $"relay event {type} for leg {legId}")!;

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await _relay.StopAsync();
        await _relay.DisposeAsync();
        await _functionApp.StopAsync();
        await _functionApp.DisposeAsync();
    }

    private static string Address(WebApplication app) =>
        app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
}
