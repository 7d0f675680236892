using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.FunctionApp.Calls.Relay.RelayWire;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// <see cref="IMediaRelay"/> over the relay control API (docs/RELAY-API.md). Every route is a PUT or DELETE on a
/// resource named by the call id and leg id, so an attempt that timed out can be repeated without creating a
/// second session or leg; that is what makes the bounded retries here safe.
/// </summary>
public sealed partial class HttpMediaRelay(
    HttpClient http,
    IOptions<RelayOptions> options,
    TimeProvider time,
    ILogger<HttpMediaRelay> logger) : IMediaRelay
{
    private static readonly TimeSpan FirstBackoff = TimeSpan.FromMilliseconds(200);
    private static readonly TimeSpan LongestRetryAfter = TimeSpan.FromSeconds(2);

    public async Task<MetaLegSdp> CreateUserInitiatedSessionAsync(
        CallId callId, string metaOfferSdp, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metaOfferSdp);
        ArgumentNullException.ThrowIfNull(settings);
        var body = new CreateSessionRequest(UserInitiated, settings.BusinessNumber.Value, settings.Recording, metaOfferSdp);
        var session = await SendAsync<SessionBody>(HttpMethod.Put, SessionPath(callId), body, cancellationToken).ConfigureAwait(false);
        return new MetaLegSdp(session.MetaLeg.LegId, session.MetaLeg.Sdp);
    }

    public async Task<MetaLegSdp> CreateBusinessInitiatedSessionAsync(CallId callId, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var body = new CreateSessionRequest(BusinessInitiated, settings.BusinessNumber.Value, settings.Recording, MetaOffer: null);
        var session = await SendAsync<SessionBody>(HttpMethod.Put, SessionPath(callId), body, cancellationToken).ConfigureAwait(false);
        return new MetaLegSdp(session.MetaLeg.LegId, session.MetaLeg.Sdp);
    }

    public async Task ApplyMetaAnswerAsync(CallId callId, string metaAnswerSdp, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(metaAnswerSdp);
        await SendAsync<SessionBody>(HttpMethod.Put, SessionPath(callId) + "/meta-answer", new MetaAnswerRequest(metaAnswerSdp), cancellationToken)
            .ConfigureAwait(false);
    }

    public async Task<AgentLegSdp> AddAgentLegAsync(CallId callId, AgentLegRequest leg, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(leg);
        ArgumentException.ThrowIfNullOrWhiteSpace(leg.BrowserOfferSdp);
        var path = LegPath(callId, leg.LegId);
        var body = await SendAsync<AgentLegBody>(HttpMethod.Put, path, new AddAgentLegRequest(leg.Agent.Value, leg.BrowserOfferSdp, leg.Active), cancellationToken)
            .ConfigureAwait(false);
        return new AgentLegSdp(body.LegId, body.SdpAnswer, body.Active);
    }

    public async Task<ActiveLegSwitch> SwitchActiveLegAsync(CallId callId, string legId, CancellationToken cancellationToken)
    {
        CheckLegId(legId);
        var body = await SendAsync<ActiveLegBody>(HttpMethod.Put, SessionPath(callId) + "/active-leg", new ActiveLegRequest(legId), cancellationToken)
            .ConfigureAwait(false);
        return new ActiveLegSwitch(body.ActiveLegId, body.PreviousLegId);
    }

    public Task SetMutedAsync(CallId callId, string legId, bool muted, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Put, LegPath(callId, legId) + "/mute", new MuteRequest(muted), cancellationToken);

    public Task RemoveAgentLegAsync(CallId callId, string legId, CancellationToken cancellationToken) =>
        SendAsync<JsonElement>(HttpMethod.Delete, LegPath(callId, legId), body: null, cancellationToken);

    public Task EndSessionAsync(CallId callId, string reason, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(reason);
        return SendAsync<JsonElement>(HttpMethod.Delete, $"{SessionPath(callId)}?reason={Uri.EscapeDataString(reason)}", body: null, cancellationToken);
    }

    // Call ids are opaque and may hold '/', '+' or '=' (Base64): always one escaped path segment.
    private static string SessionPath(CallId callId)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId.Value, nameof(callId));
        return "v1/sessions/" + Uri.EscapeDataString(callId.Value);
    }

    private static string LegPath(CallId callId, string legId)
    {
        CheckLegId(legId);
        return $"{SessionPath(callId)}/legs/{legId}";
    }

    private static void CheckLegId(string legId)
    {
        if (!RelayLegIds.IsValidAgentLegId(legId))
        {
            throw new ArgumentException($"'{legId}' is not an agent leg id (1-64 of A-Z a-z 0-9 . _ -, not 'meta').", nameof(legId));
        }
    }

    private async Task<T> SendAsync<T>(HttpMethod method, string path, object? body, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.IsConfigured)
        {
            throw new MediaRelayException(null, MediaRelayException.Unavailable, "No media relay is configured (Relay__BaseUrl).");
        }

        var url = new Uri(new Uri(settings.BaseUrl!.TrimEnd('/') + "/"), path);
        for (var attempt = 1; ; attempt++)
        {
            using var request = new HttpRequestMessage(method, url);
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", settings.ApiKey);
            if (body is not null)
            {
                request.Content = JsonContent.Create(body, body.GetType(), options: Json);
            }

            using var attemptTimeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            attemptTimeout.CancelAfter(TimeSpan.FromSeconds(settings.RequestTimeoutSeconds));
            TimeSpan? retryAfter = null;
            string failure;
            try
            {
                using var response = await http.SendAsync(request, attemptTimeout.Token).ConfigureAwait(false);
                if (response.IsSuccessStatusCode)
                {
                    return response.StatusCode == HttpStatusCode.NoContent || response.Content.Headers.ContentLength == 0
                        ? default!
                        : (await response.Content.ReadFromJsonAsync<T>(Json, attemptTimeout.Token).ConfigureAwait(false))!;
                }

                if (response.StatusCode is not (HttpStatusCode.BadGateway or HttpStatusCode.ServiceUnavailable or HttpStatusCode.GatewayTimeout) ||
                    attempt >= settings.MaxAttempts)
                {
                    throw await ProblemAsync(response, cancellationToken).ConfigureAwait(false);
                }

                retryAfter = response.Headers.RetryAfter?.Delta;
                failure = $"HTTP {(int)response.StatusCode}";
            }
            catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException && !cancellationToken.IsCancellationRequested)
            {
                failure = ex is OperationCanceledException ? "timeout" : "transport error";
                if (attempt >= settings.MaxAttempts)
                {
                    throw new MediaRelayException(null, MediaRelayException.Unavailable,
                        $"The media relay did not answer {method} {url.AbsolutePath} after {attempt} attempt(s) ({failure}).");
                }
            }

            var delay = retryAfter is { } wait && wait <= LongestRetryAfter ? wait : FirstBackoff * Math.Pow(2, attempt - 1);
            LogRetry(logger, method.Method, url.AbsolutePath, attempt, failure);
            await Task.Delay(delay, time, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Reads the relay's RFC 9457 body: <c>code</c> and, for 400, <c>field</c> (docs/RELAY-API.md, "Errors").</summary>
    private static async Task<MediaRelayException> ProblemAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        string code = "http_" + (int)response.StatusCode, detail = $"The media relay answered {(int)response.StatusCode}.";
        string? field = null;
        try
        {
            var problem = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
            if (problem.ValueKind == JsonValueKind.Object)
            {
                code = problem.TryGetProperty("code", out var c) && c.GetString() is { Length: > 0 } cs ? cs : code;
                detail = problem.TryGetProperty("detail", out var d) && d.GetString() is { Length: > 0 } ds ? ds : detail;
                field = problem.TryGetProperty("field", out var f) ? f.GetString() : null;
            }
        }
        catch (JsonException)
        {
            // A proxy's HTML error page: the status alone has to do.
        }

        return new MediaRelayException(response.StatusCode, code, detail, field);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Media relay {Method} {Path} failed on attempt {Attempt} ({Failure}); retrying")]
    private static partial void LogRetry(ILogger logger, string method, string path, int attempt, string failure);
}
