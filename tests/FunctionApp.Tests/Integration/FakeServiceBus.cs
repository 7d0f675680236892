using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppCalling.FunctionApp.Integration;

namespace WhatsAppCalling.FunctionApp.Tests.Integration;

/// <summary>
/// A loopback stand-in for Service Bus's Send Message endpoint (the real service and its emulator cannot run here,
/// azure-protocols.md §5). It checks what the service checks before taking a message: the SAS token — policy name,
/// expiry in the future, a resource that covers the addressed topic, and the HMAC-SHA256 recomputed with the key
/// over the URL-encoded resource and expiry — then the BrokerProperties JSON and the content type. A good request
/// gets 201 unless <see cref="Script"/> says otherwise for that attempt; a bad signature gets 401.
/// </summary>
public sealed class FakeServiceBus : IAsyncDisposable
{
    public const string KeyName = "call-events-send";
    public const string Key = "c2VydmljZS1idXMta2V5LWZvci10ZXN0cy0wMTIzNDU2Nzg5QUJDREVGRw==";
    public const string Topic = "call-events";

    /// <summary>The Entra access token the stand-in accepts as <c>Bearer</c> (what Entra would have issued).</summary>
    public const string BearerToken = "entra-token-for-servicebus";

    private readonly WebApplication _app;

    private FakeServiceBus(WebApplication app, Uri endpoint)
    {
        _app = app;
        Endpoint = endpoint;
    }

    /// <summary>One request as seen: whether its signature held, and what it carried.</summary>
    public sealed record Received(string Path, int Status, string? AuthorizationFailure, string? MessageId, string? Label, string? ContentType,
        string? EventType, string Body);

    public Uri Endpoint { get; }

    public ConcurrentQueue<Received> Requests { get; } = new();

    /// <summary>Statuses to answer to the next valid requests, in order (e.g. 503, 429); then 201.</summary>
    public ConcurrentQueue<HttpStatusCode> Script { get; } = new();

    public IEnumerable<Received> Accepted => Requests.Where(r => r.Status == StatusCodes.Status201Created);

    public string ConnectionString(string key = Key) =>
        $"Endpoint=http://127.0.0.1:{Endpoint.Port}/;SharedAccessKeyName={KeyName};SharedAccessKey={key};EntityPath={Topic}";

    public static async Task<FakeServiceBus> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakeServiceBus? fake = null;
        app.MapPost("/{topic}/messages", async (string topic, HttpContext context) => await fake!.HandleAsync(topic, context));
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        fake = new FakeServiceBus(app, new Uri(address));
        return fake;
    }

    private async Task HandleAsync(string topic, HttpContext context)
    {
        using var reader = new StreamReader(context.Request.Body);
        var body = await reader.ReadToEndAsync();
        var headers = context.Request.Headers;
        var entity = new Uri($"http://127.0.0.1:{Endpoint.Port}/{topic}");
        var authFailure = CheckSas(headers.Authorization.ToString(), entity);
        string? messageId = null;
        string? label = null;
        var status = StatusCodes.Status201Created;
        if (authFailure is not null)
        {
            status = StatusCodes.Status401Unauthorized;
        }
        else if (topic != Topic)
        {
            status = StatusCodes.Status404NotFound;
        }
        else
        {
            try
            {
                using var broker = JsonDocument.Parse(headers["BrokerProperties"].ToString());
                messageId = broker.RootElement.GetProperty("MessageId").GetString();
                label = broker.RootElement.TryGetProperty("Label", out var l) ? l.GetString() : null;
            }
            catch (Exception ex) when (ex is JsonException or KeyNotFoundException)
            {
                status = StatusCodes.Status400BadRequest;
            }

            if (status == StatusCodes.Status201Created && Script.TryDequeue(out var scripted))
            {
                status = (int)scripted;
            }
        }

        Requests.Enqueue(new Received(context.Request.Path.Value!, status, authFailure, messageId, label, context.Request.ContentType,
            headers["EventType"].ToString() is { Length: > 0 } type ? JsonSerializer.Deserialize<string>(type) : null, body));
        context.Response.StatusCode = status;
    }

    /// <summary>Null when the token is good for <paramref name="entity"/>; else why not.</summary>
    private static string? CheckSas(string authorization, Uri entity)
    {
        const string prefix = ServiceBusSas.Scheme + " ";
        if (authorization == "Bearer " + BearerToken)
        {
            return null;
        }

        if (!authorization.StartsWith(prefix, StringComparison.Ordinal))
        {
            return "not a SharedAccessSignature";
        }

        var fields = authorization[prefix.Length..].Split('&').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1]);
        if (!fields.TryGetValue("sr", out var sr) || !fields.TryGetValue("sig", out var sig) || !fields.TryGetValue("se", out var se) ||
            !fields.TryGetValue("skn", out var skn))
        {
            return "missing sr, sig, se or skn";
        }

        if (Uri.UnescapeDataString(skn) != KeyName)
        {
            return "unknown policy";
        }

        if (!long.TryParse(se, out var expiry) || DateTimeOffset.FromUnixTimeSeconds(expiry) <= DateTimeOffset.UtcNow)
        {
            return "expired";
        }

        // The token's resource must cover the entity addressed (the namespace or the entity itself).
        var resource = Uri.UnescapeDataString(sr).TrimEnd('/');
        if (!entity.AbsoluteUri.StartsWith(resource, StringComparison.OrdinalIgnoreCase))
        {
            return "resource does not cover the topic";
        }

        // Recomputed independently of the publisher's helper: HMAC-SHA256(UTF-8 key, sr as sent + "\n" + se).
        using var hmac = new System.Security.Cryptography.HMACSHA256(System.Text.Encoding.UTF8.GetBytes(Key));
        var expected = Convert.ToBase64String(hmac.ComputeHash(System.Text.Encoding.UTF8.GetBytes(sr + "\n" + se)));
        return Uri.UnescapeDataString(sig) == expected ? null : "signature mismatch";
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
