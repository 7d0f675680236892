using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// Sends through Azure SignalR Service in serverless mode over REST API v1 (azure-protocols.md §6.2):
/// <c>POST /api/v1/hubs/agents/users/{user}</c> with <c>{"target", "arguments"}</c>, answered 202.
/// No retries here: callers run in queue functions whose redelivery is the retry, and a duplicate banner is
/// harmless while a slow one is not.
/// </summary>
public sealed partial class SignalRServiceNotifier(
    HttpClient http,
    SignalRServiceConnection connection,
    SignalRServiceTokens tokens,
    ILogger<SignalRServiceNotifier> logger) : IAgentNotifier
{
    public const string HttpClientName = "signalr-service";

    public Task NotifyAgentAsync(AgentId agent, AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return SendAsync(connection.UserUrl(AgentHub.Name, agent.Value), notification, cancellationToken);
    }

    public Task NotifyAgentsAsync(IReadOnlyCollection<AgentId> agents, AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(agents);
        ArgumentNullException.ThrowIfNull(notification);
        // API v1 has no multi-user send; ring steps address a handful of agents, so one request each in parallel.
        return Task.WhenAll(agents.Select(a => a.Value).Distinct(StringComparer.Ordinal)
            .Select(user => SendAsync(connection.UserUrl(AgentHub.Name, user), notification, cancellationToken)));
    }

    public Task NotifySupervisorsAsync(AgentNotification notification, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return SendAsync(connection.GroupUrl(AgentHub.Name, AgentHub.SupervisorsGroup), notification, cancellationToken);
    }

    /// <summary>
    /// Puts a user in a group (<c>PUT …/groups/{group}/users/{user}</c>); the service applies it to the user's
    /// current and later connections, which is why negotiate can do it before the browser connects.
    /// </summary>
    public async Task AddUserToGroupAsync(string userId, string group, CancellationToken cancellationToken)
    {
        var url = connection.GroupUserUrl(AgentHub.Name, group, userId);
        using var request = new HttpRequestMessage(HttpMethod.Put, url);
        await SendRequestAsync(request, url, "group add", cancellationToken).ConfigureAwait(false);
    }

    /// <summary>With <c>AuthType=azure</c> the app holds no key, so the service mints the client token (API 2022-11-01).</summary>
    public async Task<string> GenerateClientTokenAsync(string userId, CancellationToken cancellationToken)
    {
        var minutes = (int)SignalRServiceTokens.ClientTokenLifetime.TotalMinutes;
        var url = connection.GenerateTokenUrl(AgentHub.Name, userId, minutes);
        using var request = new HttpRequestMessage(HttpMethod.Post, url);
        using var response = await SendRequestAsync(request, url, "generate token", cancellationToken).ConfigureAwait(false);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>(cancellationToken).ConfigureAwait(false);
        return body.TryGetProperty("token", out var token) && token.GetString() is { Length: > 0 } text
            ? text
            : throw new SignalRServiceException(response.StatusCode, "SignalR Service returned no token.");
    }

    private async Task SendAsync(Uri url, AgentNotification notification, CancellationToken cancellationToken)
    {
        var body = new SignalRServiceMessage(notification.Target, [AgentNotificationJson.Payload(notification)]);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body, options: AgentNotificationJson.Options) };
        using var response = await SendRequestAsync(request, url, notification.Target, cancellationToken).ConfigureAwait(false);
    }

    private async Task<HttpResponseMessage> SendRequestAsync(HttpRequestMessage request, Uri url, string what, CancellationToken cancellationToken)
    {
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", await tokens.ServerTokenAsync(url, cancellationToken).ConfigureAwait(false));
        var response = await http.SendAsync(request, cancellationToken).ConfigureAwait(false);
        if (response.IsSuccessStatusCode)
        {
            return response;
        }

        var status = response.StatusCode;
        response.Dispose();
        // The path names the hub and user, never the key; the token stays in the header we do not log.
        LogRejected(logger, what, url.AbsolutePath, (int)status);
        throw new SignalRServiceException(status, $"SignalR Service answered {(int)status} to {what}.");
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "SignalR Service refused {What} at {Path}: HTTP {Status}")]
    private static partial void LogRejected(ILogger logger, string what, string path, int status);

    private sealed record SignalRServiceMessage(string Target, IReadOnlyList<JsonElement> Arguments);
}

/// <summary>SignalR Service answered with an error status.</summary>
public sealed class SignalRServiceException(HttpStatusCode status, string message) : Exception(message)
{
    public HttpStatusCode Status { get; } = status;
}
