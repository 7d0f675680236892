using System.Net.Http.Headers;
using System.Net.Http.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using WhatsAppCalling.FunctionApp;

namespace WhatsAppCalling.FunctionApp.Tests.Infrastructure;

/// <summary>
/// The real function app on Kestrel (a free loopback port), wired to real Azurite, with the local trigger host
/// running: the same process shape as <c>./run.sh</c>.
/// </summary>
public sealed class RunningFunctionApp : IAsyncDisposable
{
    public const string DevSigningKey = "test-signing-key-0123456789abcdef-0123456789";
    public const string AppSecret = "test-app-secret";
    public const string VerifyToken = "test-verify-token";
    public const string GraphToken = "test-graph-token";
    public const string WabaId = "100000000000001";
    public const string BusinessNumberId = "200000000000001";
    public const string DevAgents = "agent-1:agent;agent-2:agent;agent-3:agent;supervisor-1:agent,supervisor;admin-1:agent,admin";

    private RunningFunctionApp(WebApplication app, Uri baseAddress)
    {
        App = app;
        BaseAddress = baseAddress;
        Client = new HttpClient { BaseAddress = baseAddress };
    }

    public WebApplication App { get; }

    public Uri BaseAddress { get; }

    /// <summary>An anonymous client; use <see cref="ClientForAsync"/> for a signed-in agent.</summary>
    public HttpClient Client { get; }

    public IServiceProvider Services => App.Services;

    public static async Task<RunningFunctionApp> StartAsync(
        string storageConnectionString,
        IDictionary<string, string?>? settings = null,
        Action<WebApplicationBuilder>? configure = null,
        Action<WebApplication>? map = null)
    {
        var values = new Dictionary<string, string?>
        {
            ["AzureWebJobsStorage"] = storageConnectionString,
            ["Auth:DevSigningKey"] = DevSigningKey,
            ["Auth:DevAgents"] = DevAgents,
            ["Relay:ApiKey"] = "test-relay-key",
            ["WhatsApp:AppSecret"] = AppSecret,
            ["WhatsApp:VerifyToken"] = VerifyToken,
            ["WhatsApp:AccessToken"] = GraphToken,
            ["WhatsApp:GraphBaseUrl"] = "http://127.0.0.1:9",
            ["WhatsApp:WabaId"] = WabaId,
            ["BusinessNumbers:0:PhoneNumberId"] = BusinessNumberId,
            ["BusinessNumbers:0:DisplayNumber"] = "+442079460000",
            ["BusinessNumbers:0:Country"] = "GB",
            // Short hops so a test clock can jump days while the queue waits a second.
            ["Timers:MaxHopSeconds"] = "1",
            // Each app instance gets its own queues and tables: tests share one Azurite and run in parallel.
            ["Storage:NamePrefix"] = "t" + Guid.NewGuid().ToString("N")[..10],
        };
        foreach (var (key, value) in settings ?? new Dictionary<string, string?>())
        {
            values[key] = value;
        }

        // Settings go in as command-line arguments: registrations read them while the app is composed.
        string[] args = ["--environment=Development", .. values.Where(v => v.Value is not null).Select(v => $"--{v.Key}={v.Value}")];
        var app = FunctionAppHost.Build(args, builder =>
        {
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            configure?.Invoke(builder);
        });
        map?.Invoke(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningFunctionApp(app, new Uri(address));
    }

    public async Task<HttpClient> ClientForAsync(string agentId)
    {
        using var response = await Client.PostAsJsonAsync("/api/auth/dev-token", new { agentId });
        response.EnsureSuccessStatusCode();
        var token = await response.Content.ReadFromJsonAsync<TokenBody>();
        var client = new HttpClient { BaseAddress = BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token!.AccessToken);
        return client;
    }

    public async ValueTask DisposeAsync()
    {
        Client.Dispose();
        await App.StopAsync();
        await App.DisposeAsync();
    }

    private sealed record TokenBody(string AccessToken);
}
