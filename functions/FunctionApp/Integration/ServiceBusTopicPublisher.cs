using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Azure.Core;
using Microsoft.Extensions.Options;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>A send the service refused for good (401, 403, 404/410, 400, 413) or kept throttling past the last attempt.</summary>
public sealed class IntegrationEventPublishException(string eventId, int? status, string message) : Exception(message)
{
    public string EventId { get; } = eventId;

    public int? Status { get; } = status;
}

/// <summary>
/// Publishes call events to a Service Bus topic over its REST API (Send Message, azure-protocols.md §5): one
/// <c>POST {topic}/messages</c> per event, the CloudEvents JSON as the body, <c>BrokerProperties</c> with
/// <c>MessageId</c> = the event id (so a topic with duplicate detection drops repeats) and the short type as
/// <c>Label</c>, and <c>EventType</c>/<c>CallId</c>/<c>BusinessNumberId</c> as custom properties a subscription's
/// SQL filter can use. 201 is success; 429 and 5xx (and network failures) are retried with exponential back-off and
/// jitter, honouring <c>Retry-After</c>; other statuses fail at once. The Authorization header and the key never
/// reach a log line.
/// </summary>
public sealed class ServiceBusTopicPublisher : IIntegrationEventPublisher
{
    public const string HttpClientName = "integration-events";

    /// <summary>The Entra scope for Service Bus data-plane calls.</summary>
    public const string Scope = "https://servicebus.azure.net/.default";

    private static readonly TimeSpan SasLifetime = TimeSpan.FromHours(1);

    private readonly IHttpClientFactory _http;
    private readonly ServiceBusTarget _target;
    private readonly TokenCredential? _credential;
    private readonly IntegrationEventOptions _options;
    private readonly TimeProvider _time;
    private readonly ILogger<ServiceBusTopicPublisher> _logger;

    public ServiceBusTopicPublisher(
        IHttpClientFactory http,
        ServiceBusTarget target,
        IOptions<IntegrationEventOptions> options,
        TimeProvider time,
        ILogger<ServiceBusTopicPublisher> logger,
        TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(options);
        if (!target.UsesSas && credential is null)
        {
            throw new InvalidOperationException("IntegrationEvents: the Entra form needs a TokenCredential.");
        }

        _http = http;
        _target = target;
        _credential = credential;
        _options = options.Value;
        _time = time;
        _logger = logger;
    }

    public string Name => "service-bus:" + _target.EntityUri;

    public async Task PublishAsync(IntegrationEvent evt, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        var attempts = Math.Max(1, _options.MaxAttempts);
        for (var attempt = 1; ; attempt++)
        {
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var request = await RequestAsync(evt, ct);
                using var response = await _http.CreateClient(HttpClientName).SendAsync(request, ct);
                var status = (int)response.StatusCode;
                if (response.StatusCode == HttpStatusCode.Created)
                {
                    _logger.LogInformation("Call {CallId}: integration event {EventType} {EventId} sent to {Topic} (attempt {Attempt})",
                        evt.Subject, evt.Type, evt.Id, _target.EntityUri.AbsolutePath, attempt);
                    return;
                }

                if (!IsTransient(response.StatusCode))
                {
                    _logger.LogError("Call {CallId}: integration event {EventType} {EventId} refused by {Topic}: HTTP {Status}",
                        evt.Subject, evt.Type, evt.Id, _target.EntityUri.AbsolutePath, status);
                    throw new IntegrationEventPublishException(evt.Id, status, $"Service Bus refused event {evt.Id}: HTTP {status}.");
                }

                retryAfter = RetryAfterOf(response);
                failure = "HTTP " + status.ToString(CultureInfo.InvariantCulture);
            }
            catch (HttpRequestException ex)
            {
                failure = ex.HttpRequestError.ToString();
            }
            catch (TaskCanceledException) when (!ct.IsCancellationRequested)
            {
                failure = "timeout";
            }

            if (attempt >= attempts)
            {
                _logger.LogError("Call {CallId}: integration event {EventType} {EventId} not sent after {Attempts} attempts ({Failure})",
                    evt.Subject, evt.Type, evt.Id, attempt, failure);
                throw new IntegrationEventPublishException(evt.Id, null, $"Service Bus did not take event {evt.Id} after {attempt} attempts ({failure}).");
            }

            var delay = Backoff(attempt, retryAfter);
            _logger.LogWarning("Call {CallId}: integration event {EventId} attempt {Attempt} failed ({Failure}); retrying in {DelayMs} ms",
                evt.Subject, evt.Id, attempt, failure, (long)delay.TotalMilliseconds);
            await Task.Delay(delay, _time, ct);
        }
    }

    /// <summary>Throttling and the service's own trouble pass; anything else is our request's fault and would repeat.</summary>
    public static bool IsTransient(HttpStatusCode status) =>
        status is HttpStatusCode.TooManyRequests or HttpStatusCode.RequestTimeout || (int)status >= 500;

    private async Task<HttpRequestMessage> RequestAsync(IntegrationEvent evt, CancellationToken ct)
    {
        var request = new HttpRequestMessage(HttpMethod.Post, _target.MessagesUri)
        {
            Content = new ByteArrayContent(Encoding.UTF8.GetBytes(evt.ToJson())),
        };
        request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(IntegrationEvent.ContentType);
        request.Headers.TryAddWithoutValidation("Authorization", await AuthorizationAsync(ct));
        request.Headers.TryAddWithoutValidation("BrokerProperties", BrokerProperties(evt));
        // Custom properties: string values are sent JSON-quoted.
        request.Headers.TryAddWithoutValidation("EventType", JsonSerializer.Serialize(evt.Type));
        request.Headers.TryAddWithoutValidation("CallId", JsonSerializer.Serialize(evt.Data.CallId));
        if (evt.Data.BusinessNumberId is { } number)
        {
            request.Headers.TryAddWithoutValidation("BusinessNumberId", JsonSerializer.Serialize(number));
        }

        return request;
    }

    /// <summary>The broker properties: MessageId for duplicate detection, the short type as Label, the call as CorrelationId.</summary>
    public static string BrokerProperties(IntegrationEvent evt)
    {
        ArgumentNullException.ThrowIfNull(evt);
        return JsonSerializer.Serialize(new Dictionary<string, string>
        {
            ["MessageId"] = evt.Id,
            ["Label"] = "call." + IntegrationEventTypes.ShortName(evt.Type),
            ["CorrelationId"] = evt.Data.CallId,
        });
    }

    private async ValueTask<string> AuthorizationAsync(CancellationToken ct)
    {
        if (_target.UsesSas)
        {
            return ServiceBusSas.Token(_target.EntityUri, _target.KeyName!, _target.Key!, _time.GetUtcNow() + SasLifetime);
        }

        var token = await _credential!.GetTokenAsync(new TokenRequestContext([Scope]), ct);
        return "Bearer " + token.Token;
    }

    private TimeSpan Backoff(int attempt, TimeSpan? retryAfter)
    {
        var exponential = _options.RetryDelay * Math.Pow(2, attempt - 1);
        var jittered = exponential * (0.8 + (Random.Shared.NextDouble() * 0.4));
        var delay = retryAfter is { } asked && asked > jittered ? asked : jittered;
        return delay > _options.MaxRetryDelay ? _options.MaxRetryDelay : delay;
    }

    private static TimeSpan? RetryAfterOf(HttpResponseMessage response) =>
        response.Headers.RetryAfter switch
        {
            { Delta: { } delta } => delta,
            { Date: { } date } => date - DateTimeOffset.UtcNow,
            _ => null,
        };
}
