using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>Posts events the way the relay does (<c>POST /api/relay/events</c> with the relay's key, docs/RELAY-API.md).</summary>
internal sealed class RelayEventsClient : IDisposable
{
    private readonly HttpClient _http;
    private int _events;

    public RelayEventsClient(RunningFunctionApp app)
    {
        _http = new HttpClient { BaseAddress = app.BaseAddress };
        _http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-relay-key");
    }

    public async Task<HttpStatusCode> PostAsync(string sessionId, string type, object data, string? eventId = null, string? legId = "meta")
    {
        var body = new Dictionary<string, object?>
        {
            ["eventId"] = eventId ?? $"ev-{Interlocked.Increment(ref _events)}-{Guid.NewGuid():N}",
            ["type"] = type,
            ["sessionId"] = sessionId,
            ["at"] = DateTimeOffset.UtcNow.ToString("O"),
            ["data"] = data,
        };
        if (legId is not null)
        {
            body["legId"] = legId;
        }

        using var response = await _http.PostAsJsonAsync("/api/relay/events", body);
        return response.StatusCode;
    }

    public void Dispose() => _http.Dispose();
}
