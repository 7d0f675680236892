using Microsoft.Extensions.Options;

namespace WhatsAppCalling.FunctionApp.Auth;

/// <summary>
/// <c>GET /api/auth/config</c> (anonymous): how the agent console signs people in here, so the same page works
/// locally and in Azure. <c>entra</c>: sign in with Microsoft at <c>authority</c> as <c>clientId</c>, asking for
/// <c>scopes</c>; <c>development</c>: pick a development agent; <c>token</c>: only a pasted access token works (Entra
/// is configured for the API but no console app registration is, which <c>reason</c> says).
/// </summary>
public static class SignInConfig
{
    public sealed record SignInConfigResponse(string Mode, string? Authority, string? ClientId, IReadOnlyList<string> Scopes, string? Reason);

    public static void MapSignInConfig(this IEndpointRouteBuilder endpoints, bool devSignIn)
    {
        endpoints.MapGet("/api/auth/config", (IOptions<AuthOptions> options) => Results.Ok(For(options.Value, devSignIn)))
            .AllowAnonymous()
            .WithName("SignInConfig")
            .WithTags("auth")
            .WithSummary("How the agent console signs in on this server");
    }

    public static SignInConfigResponse For(AuthOptions options, bool devSignIn)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.UsesEntraId)
        {
            return devSignIn
                ? new("development", null, null, [], null)
                : new("token", null, null, [], "No sign-in is configured on this server; paste an access token.");
        }

        if (string.IsNullOrWhiteSpace(options.ConsoleClientId))
        {
            return new("token", options.Authority, null, [], "Sign-in with Microsoft needs the console's app registration (Auth__ConsoleClientId); paste an access token meanwhile.");
        }

        var scopes = (options.ConsoleScopes ?? $"{options.Audience}/.default")
            .Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new("entra", options.Authority!.TrimEnd('/'), options.ConsoleClientId, [.. scopes, "openid", "profile", "offline_access"], null);
    }
}
