using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Polly;
using Polly.Retry;
using Polly.Timeout;
using WhatsAppCalling.WhatsApp.Configuration;
using WhatsAppCalling.WhatsApp.Errors;

namespace WhatsAppCalling.WhatsApp;

/// <summary>Whether a Graph request may be sent again after a 5xx/429/timeout without a second side effect.</summary>
internal enum Repeatability
{
    /// <summary>Sent once: connect/pre_accept/accept and message sends could place a second call or message.</summary>
    Once,

    /// <summary>GETs, settings POST (a full replace), reject and terminate (ending an ended call changes nothing).</summary>
    Idempotent,
}

/// <summary>
/// Sends one Graph request: bearer token, per-attempt and total timeouts, retries with exponential backoff and
/// jitter for idempotent requests only, and Meta's error body turned into a <see cref="GraphError"/>.
/// </summary>
internal sealed partial class GraphTransport
{
    private readonly HttpClient http;
    private readonly WhatsAppOptions options;
    private readonly ILogger logger;
    private readonly ResiliencePipeline<HttpResponseMessage> once;
    private readonly ResiliencePipeline<HttpResponseMessage> retrying;

    public GraphTransport(HttpClient http, WhatsAppOptions options, ILogger logger, TimeProvider time)
    {
        this.http = http;
        this.options = options;
        this.logger = logger;
        once = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(options.RequestTimeout)
            .Build();
        retrying = new ResiliencePipelineBuilder<HttpResponseMessage> { TimeProvider = time }
            .AddTimeout(options.TotalTimeout)
            .AddRetry(RetryOptions())
            .AddTimeout(options.RequestTimeout)
            .Build();
    }

    /// <summary>Sends the request; a 2xx body comes back parsed, anything else as an error.</summary>
    public async Task<(JsonDocument? Body, GraphError? Error)> SendAsync(
        string operation, HttpMethod method, string relativePath, JsonNode? body, Repeatability repeatability,
        CancellationToken cancellationToken)
    {
        var payload = body?.ToJsonString();
        var pipeline = repeatability == Repeatability.Idempotent ? retrying : once;
        var path = relativePath.Split('?')[0];
        HttpResponseMessage response;
        try
        {
            response = await pipeline.ExecuteAsync(
                async ct => await http.SendAsync(CreateRequest(method, relativePath, payload), ct),
                cancellationToken);
        }
        catch (TimeoutRejectedException)
        {
            LogTransportFailure(operation, method.Method, path, "timeout");
            return (null, GraphError.Timeout(operation));
        }
        catch (HttpRequestException ex)
        {
            LogTransportFailure(operation, method.Method, path, ex.HttpRequestError.ToString());
            return (null, GraphError.Unreachable(operation, ex.HttpRequestError.ToString()));
        }

        using (response)
        {
            var text = await response.Content.ReadAsStringAsync(cancellationToken);
            var status = (int)response.StatusCode;
            if (response.IsSuccessStatusCode)
            {
                LogSucceeded(operation, method.Method, path, status);
                try
                {
                    return (JsonDocument.Parse(string.IsNullOrWhiteSpace(text) ? "{}" : text), null);
                }
                catch (JsonException)
                {
                    return (null, new GraphError(status, 0, null, "Graph answered with a body that is not JSON.", null, null, null));
                }
            }

            var error = GraphError.FromResponse(status, text);
            LogFailed(operation, method.Method, path, status, error.Code, error.Subcode, error.FbTraceId, error.Reason);
            return (null, error);
        }
    }

    private HttpRequestMessage CreateRequest(HttpMethod method, string relativePath, string? payload)
    {
        var request = new HttpRequestMessage(method, relativePath);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", options.AccessToken);
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
        if (payload is not null)
        {
            request.Content = new StringContent(payload, Encoding.UTF8, "application/json");
        }

        return request;
    }

    private RetryStrategyOptions<HttpResponseMessage> RetryOptions() => new()
    {
        MaxRetryAttempts = Math.Max(options.MaxRetries, 1),
        ShouldHandle = args => ValueTask.FromResult(options.MaxRetries > 0 && args.Outcome switch
        {
            { Exception: HttpRequestException or TimeoutRejectedException } => true,
            { Result: { } result } => IsTransient(result.StatusCode),
            _ => false,
        }),
        BackoffType = DelayBackoffType.Exponential,
        UseJitter = true,
        Delay = options.RetryBaseDelay,
        MaxDelay = options.RetryMaxDelay,
        // Honour the server's Retry-After on 429/503, within the configured cap.
        DelayGenerator = args => ValueTask.FromResult(
            args.Outcome.Result?.Headers.RetryAfter?.Delta is { } delta
                ? (TimeSpan?)TimeSpan.FromTicks(Math.Min(delta.Ticks, options.RetryMaxDelay.Ticks))
                : null),
        OnRetry = args =>
        {
            LogRetrying(args.AttemptNumber + 1, (int?)args.Outcome.Result?.StatusCode, args.RetryDelay);
            return ValueTask.CompletedTask;
        },
    };

    private static bool IsTransient(HttpStatusCode status) =>
        status == HttpStatusCode.TooManyRequests || (int)status >= 500;

    [LoggerMessage(Level = LogLevel.Debug, Message = "Graph {Operation} {Method} {Path} answered {Status}")]
    private partial void LogSucceeded(string operation, string method, string path, int status);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Graph {Operation} {Method} {Path} failed with {Status}: code {Code} subcode {Subcode} fbtrace_id {FbTraceId} ({Reason})")]
    private partial void LogFailed(string operation, string method, string path, int status, int code, int? subcode,
        string? fbTraceId, CallingFailureReason reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Graph {Operation} {Method} {Path} failed in transport: {Failure}")]
    private partial void LogTransportFailure(string operation, string method, string path, string failure);

    [LoggerMessage(Level = LogLevel.Information, Message = "Graph retry {Attempt} after status {Status}, waiting {Delay}")]
    private partial void LogRetrying(int attempt, int? status, TimeSpan delay);
}
