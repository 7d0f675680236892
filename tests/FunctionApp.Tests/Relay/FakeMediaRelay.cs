using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace WhatsAppCalling.FunctionApp.Tests.Relay;

/// <summary>
/// The contract fake of the relay control API (docs/RELAY-API.md) on a loopback Kestrel port: the documented
/// routes with in-memory sessions and legs, the bearer key, request shapes checked field by field, idempotent
/// repeats and conflicts, and RFC 9457 errors with <c>code</c> and <c>field</c>. No media: SDP is canned.
/// Faults can be scripted to test the client's timeouts and retries.
/// </summary>
public sealed class FakeMediaRelay : IAsyncDisposable
{
    public const string ApiKey = "fake-relay-key-0123456789";
    public const string RelayAnswer = "v=0\r\no=relay 1 1 IN IP4 127.0.0.1\r\ns=-\r\na=setup:active\r\n";
    public const string RelayOffer = "v=0\r\no=relay 2 1 IN IP4 127.0.0.1\r\ns=-\r\na=setup:actpass\r\n";
    public const string BrowserAnswer = "v=0\r\no=relay 3 1 IN IP4 127.0.0.1\r\ns=-\r\na=ice-lite\r\na=setup:passive\r\n";

    private readonly WebApplication _app;
    private readonly ConcurrentDictionary<string, Session> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentQueue<(int Status, TimeSpan Delay)> _faults = new();
    private readonly Lock _gate = new();

    private FakeMediaRelay(WebApplication app) => _app = app;

    public sealed record Recorded(string Method, string Path, string Body);

    public Uri BaseAddress { get; private set; } = null!;

    public ConcurrentQueue<Recorded> Requests { get; } = new();

    public IReadOnlyDictionary<string, Session> Sessions => _sessions;

    public sealed class Session(string id, string direction, string businessNumberId, bool recording, string? metaOffer)
    {
        public string Id { get; } = id;
        public string Direction { get; } = direction;
        public string BusinessNumberId { get; } = businessNumberId;
        public bool Recording { get; } = recording;
        public string? MetaOffer { get; } = metaOffer;
        public string? MetaAnswer { get; set; }
        public Dictionary<string, Leg> Legs { get; } = new(StringComparer.Ordinal);
        public string? ActiveLegId { get; set; }
        public string? EndReason { get; set; }
    }

    public sealed record Leg(string LegId, string AgentId, string BrowserOffer)
    {
        public bool Muted { get; set; }
    }

    /// <summary>The next request answers <paramref name="status"/> (0 = normal) after <paramref name="delay"/>.</summary>
    public void ScriptFault(int status, TimeSpan delay = default) => _faults.Enqueue((status, delay));

    public static async Task<FakeMediaRelay> StartAsync()
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        var fake = new FakeMediaRelay(app);
        fake.Map(app);
        await app.StartAsync();
        fake.BaseAddress = new Uri(app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First());
        return fake;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            var body = await new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true).ReadToEndAsync();
            context.Request.Body.Position = 0;
            Requests.Enqueue(new Recorded(context.Request.Method, context.Request.Path.Value + context.Request.QueryString, body));
            if (_faults.TryDequeue(out var fault))
            {
                await Task.Delay(fault.Delay, context.RequestAborted);
                if (fault.Status != 0)
                {
                    await Problem(fault.Status, "injected", "Scripted fault.").ExecuteAsync(context);
                    return;
                }
            }

            if (context.Request.Path != "/health" && !KeyMatches(context.Request.Headers.Authorization.ToString()))
            {
                await Problem(401, "unauthorized", "Send the relay key as a bearer token.").ExecuteAsync(context);
                return;
            }

            await next(context);
        });

        app.MapGet("/health", () => Results.Ok(new { status = "ok" }));
        app.MapPut("/v1/sessions/{sessionId}", (string sessionId, HttpRequest request) => WithBody(request, body => CreateSession(Decode(sessionId), body)));
        app.MapPut("/v1/sessions/{sessionId}/meta-answer", (string sessionId, HttpRequest request) => WithBody(request, body => ApplyAnswer(Decode(sessionId), body)));
        app.MapPut("/v1/sessions/{sessionId}/legs/{legId}", (string sessionId, string legId, HttpRequest request) =>
            WithBody(request, body => AddLeg(Decode(sessionId), legId, body)));
        app.MapPut("/v1/sessions/{sessionId}/active-leg", (string sessionId, HttpRequest request) => WithBody(request, body => Switch(Decode(sessionId), body)));
        app.MapPut("/v1/sessions/{sessionId}/legs/{legId}/mute", (string sessionId, string legId, HttpRequest request) =>
            WithBody(request, body => Mute(Decode(sessionId), legId, body)));
        app.MapDelete("/v1/sessions/{sessionId}/legs/{legId}", (string sessionId, string legId) => RemoveLeg(Decode(sessionId), legId));
        app.MapDelete("/v1/sessions/{sessionId}", (string sessionId, string? reason) => End(Decode(sessionId), reason));
    }

    private IResult CreateSession(string id, JsonElement body)
    {
        var direction = Text(body, "direction");
        if (direction is not ("user_initiated" or "business_initiated"))
        {
            return Invalid("direction", "direction must be user_initiated or business_initiated.");
        }

        if (Text(body, "businessNumberId") is not { Length: > 0 } number)
        {
            return Invalid("businessNumberId", "businessNumberId is required.");
        }

        if (!body.TryGetProperty("recording", out var recording) || recording.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Invalid("recording", "recording must be true or false.");
        }

        var offer = Text(body, "metaOffer");
        if (direction == "user_initiated" && offer is null)
        {
            return Invalid("metaOffer", "metaOffer is required for user_initiated.");
        }

        if (direction == "business_initiated" && offer is not null)
        {
            return Invalid("metaOffer", "metaOffer must be absent for business_initiated.");
        }

        if (offer is not null && !offer.StartsWith("v=0", StringComparison.Ordinal))
        {
            return Problem(422, "sdp_rejected", "metaOffer is not an SDP session description.");
        }

        lock (_gate)
        {
            var created = new Session(id, direction, number, recording.GetBoolean(), offer);
            var session = _sessions.GetOrAdd(id, created);
            if (session.Direction != direction || session.BusinessNumberId != number || session.MetaOffer != offer || session.Recording != created.Recording)
            {
                return Problem(409, "conflict", "The session exists with a different request.");
            }

            var view = SessionView(session);
            return ReferenceEquals(session, created) ? Results.Json(view, statusCode: 201) : Results.Ok(view);
        }
    }

    private IResult ApplyAnswer(string id, JsonElement body)
    {
        if (Text(body, "sdp") is not { Length: > 0 } sdp)
        {
            return Invalid("sdp", "sdp is required.");
        }

        lock (_gate)
        {
            if (Find(id) is not { } session)
            {
                return Problem(404, "session_not_found", "No such session.");
            }

            if (session.Direction != "business_initiated" || (session.MetaAnswer is not null && session.MetaAnswer != sdp))
            {
                return Problem(409, "conflict", "Only a business-initiated session takes Meta's answer, once.");
            }

            session.MetaAnswer = sdp;
            return Results.Ok(SessionView(session));
        }
    }

    private IResult AddLeg(string id, string legId, JsonElement body)
    {
        if (!ValidLegId(legId))
        {
            return Invalid("legId", "legId must be 1-64 of A-Z a-z 0-9 . _ - and not 'meta'.");
        }

        if (Text(body, "agentId") is not { Length: > 0 } agentId)
        {
            return Invalid("agentId", "agentId is required.");
        }

        if (Text(body, "browserOffer") is not { Length: > 0 } offer)
        {
            return Invalid("browserOffer", "browserOffer is required.");
        }

        if (!body.TryGetProperty("active", out var activeElement) || activeElement.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Invalid("active", "active must be true or false.");
        }

        lock (_gate)
        {
            if (Find(id) is not { } session)
            {
                return Problem(404, "session_not_found", "No such session.");
            }

            var status = 201;
            if (session.Legs.TryGetValue(legId, out var existing))
            {
                if (existing.AgentId != agentId || existing.BrowserOffer != offer)
                {
                    return Problem(409, "conflict", "The leg exists with another agent or offer.");
                }

                status = 200;
            }
            else
            {
                session.Legs[legId] = new Leg(legId, agentId, offer);
            }

            if (activeElement.GetBoolean())
            {
                session.ActiveLegId = legId;
            }

            return Results.Json(new { legId, agentId, sdpAnswer = BrowserAnswer, active = session.ActiveLegId == legId }, statusCode: status);
        }
    }

    private IResult Switch(string id, JsonElement body)
    {
        if (Text(body, "legId") is not { } legId || !ValidLegId(legId))
        {
            return Invalid("legId", "legId is required.");
        }

        lock (_gate)
        {
            if (Find(id) is not { } session)
            {
                return Problem(404, "session_not_found", "No such session.");
            }

            if (!session.Legs.ContainsKey(legId))
            {
                return Problem(404, "leg_not_found", "No such leg.");
            }

            var previous = session.ActiveLegId;
            session.ActiveLegId = legId;
            return Results.Ok(new { activeLegId = legId, previousLegId = previous });
        }
    }

    private IResult Mute(string id, string legId, JsonElement body)
    {
        if (!body.TryGetProperty("muted", out var muted) || muted.ValueKind is not (JsonValueKind.True or JsonValueKind.False))
        {
            return Invalid("muted", "muted must be true or false.");
        }

        lock (_gate)
        {
            if (Find(id) is not { } session || !session.Legs.TryGetValue(legId, out var leg))
            {
                return Problem(404, "leg_not_found", "No such leg.");
            }

            leg.Muted = muted.GetBoolean();
            return Results.Ok(new { legId, muted = leg.Muted });
        }
    }

    private IResult RemoveLeg(string id, string legId)
    {
        lock (_gate)
        {
            if (Find(id) is { } session)
            {
                if (session.ActiveLegId == legId)
                {
                    return Problem(409, "active_leg", "Switch to another leg before removing the active one.");
                }

                session.Legs.Remove(legId);
            }

            return Results.NoContent();
        }
    }

    private IResult End(string id, string? reason)
    {
        if (reason is { Length: > 100 })
        {
            return Invalid("reason", "reason is at most 100 characters.");
        }

        lock (_gate)
        {
            if (Find(id) is { } session)
            {
                session.EndReason = reason ?? "unspecified";
            }

            return Results.NoContent();
        }
    }

    private Session? Find(string id) => _sessions.TryGetValue(id, out var session) && session.EndReason is null ? session : null;

    private static object SessionView(Session session)
    {
        var user = session.Direction == "user_initiated";
        var state = user || session.MetaAnswer is not null ? "awaiting_agent" : "awaiting_meta_answer";
        return new
        {
            sessionId = session.Id,
            direction = session.Direction,
            state,
            metaLeg = new { legId = "meta", sdpType = user ? "answer" : "offer", sdp = user ? RelayAnswer : RelayOffer, dtlsRole = user ? "client" : "server" },
        };
    }

    private static async Task<IResult> WithBody(HttpRequest request, Func<JsonElement, IResult> handle)
    {
        if (request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Invalid("body", "Content-Type must be application/json.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body);
            return document.RootElement.ValueKind == JsonValueKind.Object ? handle(document.RootElement.Clone()) : Invalid("body", "The body must be an object.");
        }
        catch (JsonException)
        {
            return Invalid("body", "The body must be JSON.");
        }
    }

    // Kestrel leaves %2F encoded in the path, so the route value still needs one decoding (RELAY-API.md, "Identifiers").
    private static string Decode(string segment) => Uri.UnescapeDataString(segment);

    private static bool ValidLegId(string legId) =>
        legId.Length is > 0 and <= 64 && legId != "meta" && legId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    private static bool KeyMatches(string header) =>
        header.StartsWith("Bearer ", StringComparison.Ordinal) &&
        CryptographicOperations.FixedTimeEquals(Encoding.UTF8.GetBytes(header["Bearer ".Length..]), Encoding.UTF8.GetBytes(ApiKey));

    private static IResult Invalid(string field, string detail) =>
        Results.Problem(statusCode: 400, title: "Invalid request", detail: detail,
            extensions: new Dictionary<string, object?> { ["code"] = "invalid_request", ["field"] = field });

    private static IResult Problem(int status, string code, string detail) =>
        Results.Problem(statusCode: status, title: code, detail: detail, extensions: new Dictionary<string, object?> { ["code"] = code });
}
