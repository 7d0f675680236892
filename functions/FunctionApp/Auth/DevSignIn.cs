using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using Microsoft.IdentityModel.Tokens;

namespace WhatsAppCalling.FunctionApp.Auth;

/// <summary>
/// Development sign-in: <c>POST /api/auth/dev-token</c> with <c>{"agentId": "agent-1"}</c> issues a token for an agent
/// listed in <c>Auth__DevAgents</c>. Mapped only in the Development environment with a signing key configured.
/// </summary>
public static class DevSignIn
{
    public sealed record DevTokenRequest(string? AgentId);

    public sealed record DevTokenResponse(string AccessToken, DateTimeOffset ExpiresAt, string AgentId, IReadOnlyList<string> Roles);

    public static void MapDevSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/auth/dev-token", Issue)
            .AllowAnonymous()
            .WithName("DevToken")
            .WithTags("auth")
            .WithSummary("Development sign-in (Development environment only)");
    }

    private static IResult Issue(DevTokenRequest? request, IOptions<AuthOptions> options)
    {
        if (request is null || string.IsNullOrWhiteSpace(request.AgentId))
        {
            return Results.ValidationProblem(new Dictionary<string, string[]> { ["agentId"] = ["agentId is required."] });
        }

        var agents = options.Value.ParseDevAgents();
        if (!agents.TryGetValue(request.AgentId, out var roles))
        {
            return Results.ValidationProblem(
                new Dictionary<string, string[]> { ["agentId"] = [$"'{request.AgentId}' is not a development agent (Auth__DevAgents)."] });
        }

        // Wall clock on purpose: the JWT library checks lifetimes against it, whatever the domain TimeProvider says.
        var now = TimeProvider.System.GetUtcNow();
        var expires = now.AddMinutes(options.Value.DevTokenLifetimeMinutes);
        var claims = new List<Claim> { new("sub", request.AgentId), new(options.Value.AgentIdClaim, request.AgentId), new("name", request.AgentId) };
        claims.AddRange(roles.Select(r => new Claim(AgentAuthentication.RoleClaim, r)));
        var token = new JwtSecurityToken(
            AgentAuthentication.DevIssuer,
            AgentAuthentication.DevAudience,
            claims,
            now.UtcDateTime,
            expires.UtcDateTime,
            new SigningCredentials(AgentAuthentication.DevKey(options.Value), SecurityAlgorithms.HmacSha256));
        return Results.Ok(new DevTokenResponse(new JwtSecurityTokenHandler().WriteToken(token), expires, request.AgentId, roles));
    }
}
