using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhatsAppCalling.FunctionApp.Tests.Notifications;

/// <summary>
/// A loopback stand-in for SignalR Service's REST surface: records every request and answers with
/// <see cref="Status"/> (202 by default), or a token for <c>:generateToken</c>.
/// </summary>
public sealed class FakeSignalRService : IAsyncDisposable
{
    public const string AccessKey = "fake-signalr-access-key-0123456789ABCDEFGHIJ=";

    private readonly WebApplication _app;

    private FakeSignalRService(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    public sealed record Recorded(string Method, string Path, string Query, string? Authorization, string Body);

    public Uri Endpoint { get; }

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public int Status { get; set; } = StatusCodes.Status202Accepted;

    public string ConnectionString => $"Endpoint=http://127.0.0.1;Port={Endpoint.Port};AccessKey={AccessKey};Version=1.0;";

    public static async Task<FakeSignalRService> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeSignalRService? fake = null;
        app.Run(async context =>
        {
            using var reader = new StreamReader(context.Request.Body);
            var body = await reader.ReadToEndAsync();
            fake!.Requests.Enqueue(new Recorded(context.Request.Method, context.Request.Path.Value!, context.Request.QueryString.Value ?? string.Empty,
                context.Request.Headers.Authorization.ToString(), body));
            context.Response.StatusCode = fake.Status;
            if (context.Request.Path.Value!.EndsWith("/:generateToken", StringComparison.Ordinal) && fake.Status < 300)
            {
                context.Response.StatusCode = StatusCodes.Status200OK;
                await context.Response.WriteAsJsonAsync(new { token = "service-minted-token" });
            }
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeSignalRService(app, new Uri(address));
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
