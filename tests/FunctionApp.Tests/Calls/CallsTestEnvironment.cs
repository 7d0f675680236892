using System.Net.Http.Json;
using FakeMeta;
using Microsoft.Extensions.DependencyInjection;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>The call tests' world: a fake Meta serving the app's business number, and the app using a recording relay.</summary>
internal static class CallsTestEnvironment
{
    public static async Task<(FakeMetaServer Meta, RunningFunctionApp App)> StartAsync(
        string storageConnectionString, IMediaRelay relay, IDictionary<string, string?>? settings = null, Action<IServiceCollection>? services = null)
    {
        var options = new FakeMetaOptions { AccessToken = RunningFunctionApp.GraphToken, AppSecret = RunningFunctionApp.AppSecret };
        options.BusinessNumbers.Clear();
        options.BusinessNumbers.Add(new FakeBusinessNumber(RunningFunctionApp.BusinessNumberId, "442079460000", "GB"));
        var meta = await FakeMetaServer.StartAsync(options);
        var values = new Dictionary<string, string?>(settings ?? new Dictionary<string, string?>())
        {
            ["WhatsApp:GraphBaseUrl"] = meta.BaseUrl.ToString().TrimEnd('/'),
        };
        var app = await RunningFunctionApp.StartAsync(storageConnectionString, values, b =>
        {
            b.Services.AddSingleton(relay);
            services?.Invoke(b.Services);
        });
        options.CallbackUrl = new Uri(app.BaseAddress, "api/webhooks/whatsapp");
        return (meta, app);
    }

    /// <summary>Puts the business above the $10 minimum so calls are admitted.</summary>
    public static async Task TopUpAsync(RunningFunctionApp app, string idempotencyKey)
    {
        using var admin = await app.ClientForAsync("admin-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups") { Content = JsonContent.Create(new { amountUsd = 50 }) };
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        using var topUp = await admin.SendAsync(request);
        topUp.EnsureSuccessStatusCode();
    }
}
