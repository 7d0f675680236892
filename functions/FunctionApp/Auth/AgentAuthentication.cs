using System.Security.Claims;
using System.Text;
using Microsoft.AspNetCore.Authentication.JwtBearer;
using Microsoft.AspNetCore.Authorization;
using Microsoft.IdentityModel.Tokens;

namespace WhatsAppCalling.FunctionApp.Auth;

/// <summary>
/// Bearer authentication for every <c>/api</c> route: Entra ID tokens in Azure (<c>Auth__Authority</c>,
/// <c>Auth__Audience</c>), or locally tokens from the development sign-in signed with <c>Auth__DevSigningKey</c>.
/// Roles come from the <c>roles</c> claim; the agent id from <c>Auth__AgentIdClaim</c> (default <c>oid</c>).
/// </summary>
public static class AgentAuthentication
{
    public const string DevIssuer = "whatsapp-calling-dev";
    public const string DevAudience = "whatsapp-calling-api";
    public const string RoleClaim = "roles";

    /// <summary>The self-hosted SignalR hub's path prefix (local runs only; see Calls/Notifications).</summary>
    public const string SignalRPathPrefix = "/api/signalr";

    public static IServiceCollection AddAgentAuthentication(this IServiceCollection services, IConfiguration configuration)
    {
        var options = configuration.GetSection(AuthOptions.Section).Get<AuthOptions>() ?? new AuthOptions();
        services.AddOptions<AuthOptions>().Bind(configuration.GetSection(AuthOptions.Section)).ValidateDataAnnotations().ValidateOnStart();

        services.AddAuthentication(JwtBearerDefaults.AuthenticationScheme)
            .AddJwtBearer(jwt =>
            {
                jwt.MapInboundClaims = false;
                jwt.TokenValidationParameters = new TokenValidationParameters
                {
                    NameClaimType = options.AgentIdClaim,
                    RoleClaimType = RoleClaim,
                    ClockSkew = TimeSpan.FromMinutes(1),
                };
                if (options.UsesEntraId)
                {
                    jwt.Authority = options.Authority;
                    jwt.Audience = options.Audience;
                    jwt.RequireHttpsMetadata = options.RequireHttpsMetadata;
                }
                else
                {
                    jwt.TokenValidationParameters.ValidIssuer = DevIssuer;
                    jwt.TokenValidationParameters.ValidAudience = DevAudience;
                    jwt.TokenValidationParameters.IssuerSigningKey = DevKey(options);
                }

                jwt.Events = new JwtBearerEvents
                {
                    // Browsers cannot set headers on WebSockets or SSE, so the SignalR client sends the token as
                    // access_token in the query; honoured on the hub's path only, so no other route takes tokens from URLs.
                    OnMessageReceived = context =>
                    {
                        if (context.Request.Path.StartsWithSegments(SignalRPathPrefix, StringComparison.OrdinalIgnoreCase) &&
                            context.Request.Query["access_token"].ToString() is { Length: > 0 } token)
                        {
                            context.Token = token;
                        }

                        return Task.CompletedTask;
                    },
                    OnChallenge = async context =>
                    {
                        context.HandleResponse();
                        await ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status401Unauthorized, "Authentication required",
                            "Send a bearer access token (Microsoft Entra ID, or the development sign-in locally).");
                    },
                    OnForbidden = context => ProblemResponses.WriteAsync(context.HttpContext, StatusCodes.Status403Forbidden, "Forbidden",
                        "Your roles do not allow this operation."),
                };
            })
            .AddScheme<Microsoft.AspNetCore.Authentication.AuthenticationSchemeOptions, RelayApiKeyHandler>(RelayApiKeyHandler.SchemeName, null);

        services.AddAuthorizationBuilder()
            .SetFallbackPolicy(new AuthorizationPolicyBuilder(JwtBearerDefaults.AuthenticationScheme).RequireAuthenticatedUser().Build())
            .AddPolicy(Policies.Agent, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Agent))
            .AddPolicy(Policies.Supervisor, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Supervisor))
            .AddPolicy(Policies.Admin, p => p.AddAuthenticationSchemes(JwtBearerDefaults.AuthenticationScheme).RequireRole(Roles.Admin))
            .AddPolicy(Policies.Relay, p => p.AddAuthenticationSchemes(RelayApiKeyHandler.SchemeName).RequireRole(Roles.Relay));
        return services;
    }

    /// <summary>The signed-in agent's id, from the configured claim (falls back to <c>sub</c>).</summary>
    public static string? AgentId(this ClaimsPrincipal user, AuthOptions options)
    {
        ArgumentNullException.ThrowIfNull(user);
        ArgumentNullException.ThrowIfNull(options);
        return user.FindFirst(options.AgentIdClaim)?.Value ?? user.FindFirst("sub")?.Value;
    }

    internal static SymmetricSecurityKey DevKey(AuthOptions options)
    {
        var bytes = Encoding.UTF8.GetBytes(options.DevSigningKey ?? string.Empty);
        // An empty key means no development sign-in; tokens then simply fail validation. A short key is a mistake.
        if (bytes.Length is > 0 and < 32)
        {
            throw new InvalidOperationException("Auth__DevSigningKey must be at least 32 bytes for HS256.");
        }

        return new SymmetricSecurityKey(bytes.Length == 0 ? new byte[32] : bytes) { KeyId = "dev" };
    }
}
