using System.Security.Claims;
using Microsoft.Extensions.Options;
using WhatsAppCalling.FunctionApp.Auth;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// The body of <c>POST /api/negotiate</c>. The browser's <c>@microsoft/signalr</c> client treats a reply with
/// <c>url</c> as a redirect and negotiates again there with <c>accessToken</c> (azure-protocols.md §6.4), so one
/// console works against both the local hub and SignalR Service.
/// </summary>
public sealed record NegotiateResponse(string Url, string AccessToken);

/// <summary>Chooses where a signed-in agent's console connects and with which token.</summary>
public interface IAgentNegotiator
{
    Task<NegotiateResponse> NegotiateAsync(HttpContext http, string agentId, CancellationToken cancellationToken);
}

/// <summary>
/// Local runs: the in-process hub's absolute URL and the caller's own bearer token, which the hub accepts because
/// it is guarded by the same JWT validation (read from <c>access_token</c> for WebSockets).
/// </summary>
public sealed class LocalHubNegotiator : IAgentNegotiator
{
    public Task<NegotiateResponse> NegotiateAsync(HttpContext http, string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        var request = http.Request;
        var url = $"{request.Scheme}://{request.Host}{request.PathBase}{AgentHub.LocalPath}";
        var header = request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header["Bearer ".Length..].Trim() : string.Empty;
        return Task.FromResult(new NegotiateResponse(url, token));
    }
}

/// <summary>
/// Azure: the service's client URL and a client token whose <c>nameid</c> is the agent id (§6.3). Supervisors are
/// (re)added to the supervisors group here, because a serverless hub has no server code running on connect.
/// </summary>
public sealed class SignalRServiceNegotiator(
    SignalRServiceConnection connection,
    SignalRServiceTokens tokens,
    SignalRServiceNotifier service) : IAgentNegotiator
{
    public async Task<NegotiateResponse> NegotiateAsync(HttpContext http, string agentId, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(http);
        if (http.User.IsInRole(Roles.Supervisor))
        {
            await service.AddUserToGroupAsync(agentId, AgentHub.SupervisorsGroup, cancellationToken).ConfigureAwait(false);
        }

        var clientUrl = connection.ClientUrl(AgentHub.Name);
        var token = tokens.CanMintClientTokens
            ? tokens.ClientToken(agentId, clientUrl)
            : await service.GenerateClientTokenAsync(agentId, cancellationToken).ConfigureAwait(false);
        return new NegotiateResponse(clientUrl.AbsoluteUri, token);
    }
}

/// <summary><c>POST /api/negotiate</c> (docs/API.md, "Notifications (SignalR)").</summary>
public static class NegotiateEndpoint
{
    public static IEndpointRouteBuilder MapNegotiate(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/negotiate", NegotiateAsync)
            .RequireAuthorization(Policies.Agent).WithName("Negotiate").WithTags("notifications")
            .WithSummary("Where the agent console connects for SignalR notifications: {url, accessToken}");
        return endpoints;
    }

    private static async Task<IResult> NegotiateAsync(
        HttpContext http, IAgentNegotiator negotiator, IOptions<AuthOptions> auth, CancellationToken cancellationToken)
    {
        if (AgentIdOf(http.User, auth.Value) is not { } agentId)
        {
            return Results.Problem(statusCode: StatusCodes.Status403Forbidden, title: "No agent id",
                detail: $"The token carries no '{auth.Value.AgentIdClaim}' claim, so notifications could not be addressed to you.");
        }

        try
        {
            return Results.Ok(await negotiator.NegotiateAsync(http, agentId, cancellationToken));
        }
        catch (Exception ex) when (ex is SignalRServiceException or HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Notifications unavailable",
                detail: "SignalR Service did not answer; retry shortly.");
        }
    }

    private static string? AgentIdOf(ClaimsPrincipal user, AuthOptions options) =>
        user.AgentId(options) is { Length: > 0 } id ? id : null;
}
