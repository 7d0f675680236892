using MediaRelay.Sessions;

namespace MediaRelay.Api;

/// <summary>The control API of docs/RELAY-API.md, version 1. Every handler answers within the 2 s budget: no media work waits.</summary>
internal static class SessionRoutes
{
    private const int MaxSessionIdLength = 200;
    private const int MaxSdpLength = 64 * 1024;

    public static IEndpointRouteBuilder MapSessionRoutes(this IEndpointRouteBuilder endpoints)
    {
        var sessions = endpoints.MapGroup("/v1/sessions/{sessionId}").WithTags("sessions").AddEndpointFilter(async (context, next) =>
        {
            try
            {
                return await next(context);
            }
            catch (RelayApiException error)
            {
                return RelayProblems.From(error);
            }
            catch (NoCapacityException error)
            {
                context.HttpContext.Response.Headers.RetryAfter = "1";
                return RelayProblems.Create(503, "no_capacity", error.Message);
            }
            catch (BadHttpRequestException error) when (error.StatusCode == StatusCodes.Status413PayloadTooLarge)
            {
                return RelayProblems.Create(400, "invalid_request", "The body is too large.", "body");
            }
        });

        sessions.MapPut("", CreateSessionAsync).WithName("CreateSession").WithSummary("Create a session from Meta's offer (answer) or for a business-initiated call (offer)");
        sessions.MapPut("/meta-answer", ApplyMetaAnswerAsync).WithName("ApplyMetaAnswer").WithSummary("Apply Meta's answer to the relay's offer");
        sessions.MapPut("/legs/{legId}", AddAgentLegAsync).WithName("AddAgentLeg").WithSummary("Add an agent leg from the browser's offer");
        sessions.MapPut("/active-leg", SwitchActiveLegAsync).WithName("SwitchActiveLeg").WithSummary("Switch the active agent leg (transfer)");
        sessions.MapPut("/legs/{legId}/mute", SetMutedAsync).WithName("MuteLeg").WithSummary("Mute or unmute an agent leg toward the customer");
        sessions.MapDelete("/legs/{legId}", RemoveAgentLeg).WithName("RemoveAgentLeg").WithSummary("Remove a silent agent leg");
        sessions.MapDelete("", EndSession).WithName("EndSession").WithSummary("End the session and finish its recording");
        return endpoints;
    }

    private static async Task<IResult> CreateSessionAsync(string sessionId, HttpRequest request, SessionRegistry registry, CancellationToken ct)
    {
        string id = SessionId(sessionId);
        var body = await JsonBody.ReadObjectAsync(request, ct);
        string direction = JsonBody.RequiredString(body, "direction", 32);
        if (direction is not (CreateSessionRequest.UserInitiated or CreateSessionRequest.BusinessInitiated))
        {
            throw RelayApiException.Invalid("direction", "direction must be user_initiated or business_initiated.");
        }

        string businessNumberId = JsonBody.RequiredString(body, "businessNumberId", 64);
        bool recording = JsonBody.OptionalBool(body, "recording") ?? false;
        string? metaOffer = JsonBody.OptionalString(body, "metaOffer");
        if (direction == CreateSessionRequest.UserInitiated)
        {
            metaOffer = JsonBody.RequiredString(body, "metaOffer", MaxSdpLength);
        }
        else if (metaOffer is not null)
        {
            throw RelayApiException.Invalid("metaOffer", "metaOffer is only for user_initiated sessions; the relay makes the offer.");
        }

        var (session, created) = registry.Create(id, new CreateSessionRequest(direction, businessNumberId, recording, metaOffer));
        return Results.Json(session.View(), statusCode: created ? 201 : 200);
    }

    private static async Task<IResult> ApplyMetaAnswerAsync(string sessionId, HttpRequest request, SessionRegistry registry, CancellationToken ct)
    {
        var session = registry.Get(SessionId(sessionId));
        var body = await JsonBody.ReadObjectAsync(request, ct);
        string sdp = JsonBody.RequiredString(body, "sdp", MaxSdpLength);
        return Results.Json(session.ApplyMetaAnswer(sdp));
    }

    private static async Task<IResult> AddAgentLegAsync(string sessionId, string legId, HttpRequest request, SessionRegistry registry, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        CheckLegId(legId, "legId");
        var session = registry.Get(SessionId(sessionId));
        string agentId = JsonBody.RequiredString(body, "agentId", 128);
        string offer = JsonBody.RequiredString(body, "browserOffer", MaxSdpLength);
        bool active = JsonBody.OptionalBool(body, "active") ?? false;
        var (view, created) = session.AddAgentLeg(legId, new AddAgentLegRequest(agentId, offer, active));
        return Results.Json(view, statusCode: created ? 201 : 200);
    }

    private static async Task<IResult> SwitchActiveLegAsync(string sessionId, HttpRequest request, SessionRegistry registry, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        string legId = JsonBody.RequiredString(body, "legId", 64);
        CheckLegId(legId, "legId");
        return Results.Json(registry.Get(SessionId(sessionId)).SwitchActiveLeg(legId));
    }

    private static async Task<IResult> SetMutedAsync(string sessionId, string legId, HttpRequest request, SessionRegistry registry, CancellationToken ct)
    {
        var body = await JsonBody.ReadObjectAsync(request, ct);
        CheckLegId(legId, "legId");
        bool muted = JsonBody.OptionalBool(body, "muted") ?? throw RelayApiException.Invalid("muted", "muted (true or false) is required.");
        return Results.Json(registry.Get(SessionId(sessionId)).SetMuted(legId, muted));
    }

    private static IResult RemoveAgentLeg(string sessionId, string legId, SessionRegistry registry)
    {
        CheckLegId(legId, "legId");
        if (registry.TryGet(SessionId(sessionId), out var session))
        {
            session!.RemoveAgentLeg(legId);
        }

        return Results.NoContent();
    }

    private static IResult EndSession(string sessionId, string? reason, SessionRegistry registry)
    {
        if (reason is { Length: > 100 })
        {
            throw RelayApiException.Invalid("reason", "reason must be at most 100 characters.");
        }

        registry.End(SessionId(sessionId), reason);
        return Results.NoContent();
    }

    /// <summary>
    /// Call ids may contain '/', sent as %2F in one path segment; Kestrel decodes every escape except %2F (so the
    /// segment boundary survives), which is decoded here.
    /// </summary>
    private static string SessionId(string routeValue)
    {
        string id = routeValue.Replace("%2F", "/", StringComparison.OrdinalIgnoreCase);
        return id.Length is > 0 and <= MaxSessionIdLength
            ? id
            : throw RelayApiException.Invalid("sessionId", $"sessionId must be 1-{MaxSessionIdLength} characters.");
    }

    /// <summary>Agent leg ids: 1-64 of A-Z a-z 0-9 . _ -, and never the reserved <c>meta</c>.</summary>
    private static void CheckLegId(string legId, string field)
    {
        bool valid = legId is { Length: > 0 and <= 64 } && legId != RelaySession.MetaLegId &&
            legId.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');
        if (!valid)
        {
            throw RelayApiException.Invalid(field, $"{field} must be 1-64 characters of A-Z a-z 0-9 . _ - and not 'meta'.");
        }
    }
}
