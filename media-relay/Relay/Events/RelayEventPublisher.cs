using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;

namespace MediaRelay.Events;

/// <summary>
/// Posts events to <c>{FunctionAppUrl}/api/relay/events</c> with the relay key, at least once: a transport error,
/// 5xx or 429 is retried with doubling backoff (capped at 30 s) for <see cref="RelayServiceOptions.EventRetryWindow"/>
/// under the same <c>eventId</c>; 4xx other than 429 is logged and dropped, because repeating it cannot help.
/// Publishing never blocks the media threads: each event is delivered on its own task, at most
/// <see cref="MaxConcurrentDeliveries"/> at a time, so one slow event does not hold back the others.
/// </summary>
public sealed partial class RelayEventPublisher(
    HttpClient http, IOptions<RelayServiceOptions> options, TimeProvider time, ILogger<RelayEventPublisher> logger)
    : IRelayEventPublisher, IAsyncDisposable
{
    private const int MaxConcurrentDeliveries = 8;
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(250);
    private static readonly TimeSpan LongestBackoff = TimeSpan.FromSeconds(30);
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private readonly SemaphoreSlim _slots = new(MaxConcurrentDeliveries);
    private readonly CancellationTokenSource _stopping = new();
    private readonly HashSet<Task> _inFlight = [];
    private long _delivered;
    private long _dropped;
    private int _disposed;

    /// <summary>Events the function app accepted (2xx).</summary>
    public long Delivered => Interlocked.Read(ref _delivered);

    /// <summary>Events given up on (refused with 4xx or retry window exhausted).</summary>
    public long Dropped => Interlocked.Read(ref _dropped);

    public void Publish(RelayEvent relayEvent)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        if (string.IsNullOrWhiteSpace(options.Value.FunctionAppUrl))
        {
            LogNotConfigured(logger, relayEvent.Type, relayEvent.SessionId, relayEvent.LegId);
            return;
        }

        var task = DeliverAsync(relayEvent, _stopping.Token);
        lock (_inFlight)
        {
            _inFlight.Add(task);
        }

        _ = task.ContinueWith(t =>
        {
            lock (_inFlight)
            {
                _inFlight.Remove(t);
            }
        }, TaskScheduler.Default);
    }

    /// <summary>Waits for every delivery still running (tests and orderly shutdown).</summary>
    public Task DrainAsync()
    {
        lock (_inFlight)
        {
            return Task.WhenAll(_inFlight.ToArray());
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        await _stopping.CancelAsync();
        try
        {
            await DrainAsync();
        }
        catch (OperationCanceledException)
        {
            // Shutting down: undelivered events are lost with the process (docs/ARCHITECTURE.md, relay).
        }

        _stopping.Dispose();
        _slots.Dispose();
    }

    private async Task DeliverAsync(RelayEvent relayEvent, CancellationToken cancellationToken)
    {
        await Task.Yield();
        var settings = options.Value;
        var url = new Uri(settings.FunctionAppUrl!.TrimEnd('/') + "/api/relay/events");
        var giveUpAt = time.GetUtcNow() + settings.EventRetryWindow;
        var body = new Dictionary<string, object?>
        {
            ["eventId"] = relayEvent.EventId, ["type"] = relayEvent.Type, ["sessionId"] = relayEvent.SessionId,
            ["legId"] = relayEvent.LegId, ["at"] = relayEvent.At.ToString("yyyy-MM-dd'T'HH:mm:ss.fffK"), ["data"] = relayEvent.Data,
        };
        if (relayEvent.LegId is null)
        {
            body.Remove("legId");
        }

        var backoff = FirstBackoff;
        for (var attempt = 1; ; attempt++)
        {
            string failure;
            await _slots.WaitAsync(cancellationToken);
            try
            {
                using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: Json) };
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
                using var response = await http.SendAsync(request, cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    Interlocked.Increment(ref _delivered);
                    LogDelivered(logger, relayEvent.Type, relayEvent.SessionId, relayEvent.LegId, attempt);
                    return;
                }

                if (response.StatusCode != HttpStatusCode.TooManyRequests && (int)response.StatusCode < 500)
                {
                    Interlocked.Increment(ref _dropped);
                    LogRefused(logger, relayEvent.Type, relayEvent.SessionId, (int)response.StatusCode);
                    return;
                }

                failure = "HTTP " + (int)response.StatusCode;
            }
            catch (HttpRequestException ex)
            {
                failure = ex.Message;
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                failure = "timeout";
            }
            finally
            {
                _slots.Release();
            }

            if (time.GetUtcNow() + backoff > giveUpAt)
            {
                Interlocked.Increment(ref _dropped);
                LogGaveUp(logger, relayEvent.Type, relayEvent.SessionId, attempt, failure);
                return;
            }

            LogRetry(logger, relayEvent.Type, relayEvent.SessionId, attempt, failure);
            await Task.Delay(backoff, time, cancellationToken);
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, LongestBackoff.Ticks));
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Relay event {Type} for call {CallId} leg {LegId} not sent: Relay__FunctionAppUrl is not set")]
    private static partial void LogNotConfigured(ILogger logger, string type, string callId, string? legId);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Relay event {Type} for call {CallId} leg {LegId} delivered on attempt {Attempt}")]
    private static partial void LogDelivered(ILogger logger, string type, string callId, string? legId, int attempt);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay event {Type} for call {CallId} refused with HTTP {Status}; dropped")]
    private static partial void LogRefused(ILogger logger, string type, string callId, int status);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Relay event {Type} for call {CallId} failed on attempt {Attempt} ({Failure}); retrying")]
    private static partial void LogRetry(ILogger logger, string type, string callId, int attempt, string failure);

    [LoggerMessage(Level = LogLevel.Error, Message = "Relay event {Type} for call {CallId} given up after {Attempt} attempts ({Failure})")]
    private static partial void LogGaveUp(ILogger logger, string type, string callId, int attempt, string failure);
}
