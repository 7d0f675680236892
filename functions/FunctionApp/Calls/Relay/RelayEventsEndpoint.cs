using System.Text.Json;
using Microsoft.AspNetCore.Http.Features;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Problems;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary><c>POST /api/relay/events</c>: the relay's callbacks, bearer <c>Relay__ApiKey</c> (docs/RELAY-API.md, "Events").</summary>
public static class RelayEventsEndpoint
{
    /// <summary>Events are small; anything bigger is a mistake or an attack.</summary>
    public const int MaxBodyBytes = 64 * 1024;

    public static IEndpointRouteBuilder MapRelayEvents(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/relay/events", AcceptAsync)
            .RequireAuthorization(Policies.Relay).WithName("RelayEvents").WithTags("relay")
            .WithSummary("Media events from the relay: connected, lost, DTMF, quality, recording ready");
        return endpoints;
    }

    private static async Task<IResult> AcceptAsync(HttpRequest request, IRelayEventSink sink, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return Invalid("body", $"The body must be at most {MaxBodyBytes} bytes.");
        }

        // A chunked body has no length up front: Kestrel stops reading at the limit instead.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } limit)
        {
            limit.MaxRequestBodySize = MaxBodyBytes;
        }

        JsonElement body;
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            body = document.RootElement.Clone();
        }
        catch (JsonException)
        {
            return Invalid("body", "The body must be a JSON object.");
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return Invalid("body", $"The body must be at most {MaxBodyBytes} bytes.");
        }

        var read = RelayEventReader.Read(body);
        if (read.Error is { } error)
        {
            return Invalid(error.Field, error.Message);
        }

        await sink.AcceptAsync(read.Event!, cancellationToken);
        return Results.Accepted();
    }

    private static IResult Invalid(string field, string message) => ApiProblems.Field(field, message);
}
