using System.Net;
using System.Text.Json;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Mvc;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// Maps <c>POST /{FunctionName}</c> for every queue and timer function: the custom-handler invocation contract
/// (azure-protocols.md §1.4–§1.5). A 2xx reply completes the invocation; any other status fails it, so the host
/// retries the message and finally moves it to the poison queue.
/// </summary>
public static partial class FunctionInvocationEndpoints
{
    private const int MaxEnvelopeBytes = 1024 * 1024;

    public static IEndpointRouteBuilder MapFunctionInvocations(this IEndpointRouteBuilder endpoints, FunctionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        foreach (var function in catalog.QueueFunctions)
        {
            endpoints.MapPost("/" + function.Name, (HttpContext http, CancellationToken ct) => InvokeQueueAsync(http, function, ct))
                .AllowAnonymous()
                .ExcludeFromDescription()
                .WithMetadata(new InvocationEndpointMetadata());
        }

        foreach (var function in catalog.TimerFunctions)
        {
            endpoints.MapPost("/" + function.Name, (HttpContext http, CancellationToken ct) => InvokeTimerAsync(http, function, ct))
                .AllowAnonymous()
                .ExcludeFromDescription()
                .WithMetadata(new InvocationEndpointMetadata());
        }

        return endpoints;
    }

    private static async Task<IResult> InvokeQueueAsync(HttpContext http, QueueFunctionDefinition function, CancellationToken ct)
    {
        var (envelope, problem) = await ReadEnvelopeAsync(http, ct);
        if (envelope is null)
        {
            return problem!;
        }

        var text = envelope.DataText(QueueFunctionDefinition.BindingName);
        if (text is null)
        {
            return BadInvocation($"'Data.{QueueFunctionDefinition.BindingName}' (the queue message) is missing.");
        }

        var invocation = new QueueInvocation(
            function.Name,
            text,
            envelope.MetadataText("Id"),
            envelope.MetadataInt64("DequeueCount") ?? 1,
            envelope.MetadataTime("InsertionTime"),
            InvocationId(http));

        var handler = (IQueueFunction)http.RequestServices.GetRequiredService(function.HandlerType);
        return await RunAsync(http, function.Name, invocation.InvocationId, () => handler.RunAsync(invocation, ct));
    }

    private static async Task<IResult> InvokeTimerAsync(HttpContext http, TimerFunctionDefinition function, CancellationToken ct)
    {
        var (envelope, problem) = await ReadEnvelopeAsync(http, ct);
        if (envelope is null)
        {
            return problem!;
        }

        var timerInfo = envelope.DataText(TimerFunctionDefinition.BindingName);
        var isPastDue = false;
        DateTimeOffset? next = null;
        if (timerInfo is not null && timerInfo.StartsWith('{'))
        {
            using var info = JsonDocument.Parse(timerInfo);
            isPastDue = info.RootElement.TryGetProperty("IsPastDue", out var due) && due.ValueKind == JsonValueKind.True;
            if (info.RootElement.TryGetProperty("ScheduleStatus", out var status) && status.ValueKind == JsonValueKind.Object &&
                status.TryGetProperty("Next", out var n) && n.TryGetDateTimeOffset(out var nextTime))
            {
                next = nextTime;
            }
        }

        var handler = (ITimerFunction)http.RequestServices.GetRequiredService(function.HandlerType);
        var invocation = new TimerInvocation(function.Name, isPastDue, next);
        return await RunAsync(http, function.Name, InvocationId(http), () => handler.RunAsync(invocation, ct));
    }

    private static async Task<IResult> RunAsync(HttpContext http, string functionName, string? invocationId, Func<Task> run)
    {
        var logger = http.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("Functions." + functionName);
        using var scope = logger.BeginScope(new Dictionary<string, object?>
        {
            ["FunctionName"] = functionName,
            ["InvocationId"] = invocationId,
        });
        try
        {
            await run();
            return Results.Json(new InvocationResult([], [$"{functionName} completed"], null));
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !http.RequestAborted.IsCancellationRequested)
        {
            LogInvocationFailed(logger, functionName, invocationId, ex);

            // Not the caller's fault: a 500 tells the host to retry; the body carries no stack trace.
            return Results.Problem(
                title: "Function invocation failed",
                detail: $"{functionName} failed ({ex.GetType().Name}); the host will retry the invocation.",
                statusCode: StatusCodes.Status500InternalServerError);
        }
    }

    private static async Task<(InvocationEnvelope? Envelope, IResult? Problem)> ReadEnvelopeAsync(HttpContext http, CancellationToken ct)
    {
        if (!IsLoopback(http.Connection.RemoteIpAddress))
        {
            // Only the Functions host (or the local trigger host) on this machine may invoke functions.
            return (null, Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "Invocations are accepted from the local host only"));
        }

        if (http.Request.ContentLength > MaxEnvelopeBytes)
        {
            return (null, Results.Problem(statusCode: StatusCodes.Status413PayloadTooLarge, title: "Invocation body too large"));
        }

        JsonDocument document;
        try
        {
            document = await JsonDocument.ParseAsync(http.Request.Body, default, ct);
        }
        catch (JsonException ex)
        {
            return (null, BadInvocation($"The body is not valid JSON ({ex.Message})."));
        }

        if (!InvocationEnvelope.TryParse(document, out var envelope, out var error))
        {
            document.Dispose();
            return (null, BadInvocation(error));
        }

        http.Response.RegisterForDispose(envelope);
        return (envelope, null);
    }

    private static ProblemHttpResult BadInvocation(string detail) =>
        TypedResults.Problem(new ProblemDetails
        {
            Status = StatusCodes.Status400BadRequest,
            Title = "Invalid invocation payload",
            Detail = detail,
        });

    private static string? InvocationId(HttpContext http) =>
        http.Request.Headers.TryGetValue("X-Azure-Functions-InvocationId", out var id) ? id.ToString() : null;

    private static bool IsLoopback(IPAddress? address) => address is null || IPAddress.IsLoopback(address);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "Function {FunctionName} invocation {InvocationId} failed")]
    private static partial void LogInvocationFailed(ILogger logger, string functionName, string? invocationId, Exception exception);
}

/// <summary>Marks the internal invocation endpoints (not part of the public API or the HTTP function list).</summary>
public sealed class InvocationEndpointMetadata;
