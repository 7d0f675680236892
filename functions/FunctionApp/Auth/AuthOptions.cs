using System.ComponentModel.DataAnnotations;

namespace WhatsAppCalling.FunctionApp.Auth;

/// <summary>Configuration section <c>Auth</c> (architecture.md, "Configuration keys").</summary>
public sealed class AuthOptions
{
    public const string Section = "Auth";

    /// <summary>HS256 key of the development sign-in (at least 32 bytes of UTF-8); empty in Azure.</summary>
    public string? DevSigningKey { get; set; }

    /// <summary>Development agents and roles: <c>agent-1:agent;supervisor-1:agent,supervisor;admin-1:agent,admin</c>.</summary>
    public string? DevAgents { get; set; }

    /// <summary>Microsoft Entra ID authority, e.g. <c>https://login.microsoftonline.com/{tenant}/v2.0</c>.</summary>
    public string? Authority { get; set; }

    public string? Audience { get; set; }

    /// <summary>
    /// The agent console's own Entra app registration (a single-page application whose redirect URI is the console's
    /// address); with it the console signs agents in with Microsoft (authorization code with PKCE).
    /// </summary>
    public string? ConsoleClientId { get; set; }

    /// <summary>Scopes the console asks for, space-separated; by default <c>{Audience}/.default</c>.</summary>
    public string? ConsoleScopes { get; set; }

    /// <summary>Fetch the authority's metadata over HTTPS only; only a local stand-in authority turns this off.</summary>
    public bool RequireHttpsMetadata { get; set; } = true;

    /// <summary>The claim holding the agent id (also the SignalR user id).</summary>
    [Required]
    public string AgentIdClaim { get; set; } = "oid";

    [Range(1, 24 * 60)]
    public int DevTokenLifetimeMinutes { get; set; } = 8 * 60;

    public bool UsesEntraId => !string.IsNullOrWhiteSpace(Authority);

    public IReadOnlyDictionary<string, IReadOnlyList<string>> ParseDevAgents()
    {
        var agents = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal);
        foreach (var entry in (DevAgents ?? string.Empty).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var parts = entry.Split(':', 2, StringSplitOptions.TrimEntries);
            var roles = parts.Length > 1
                ? parts[1].Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                : [Roles.Agent];
            var unknown = roles.Where(r => !Roles.All.Contains(r)).ToList();
            if (unknown.Count > 0)
            {
                throw new InvalidOperationException($"Auth__DevAgents: unknown role(s) {string.Join(", ", unknown)} for '{parts[0]}'.");
            }

            agents[parts[0]] = roles;
        }

        return agents;
    }
}

public static class Roles
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";

    /// <summary>The media relay calling back on <c>/api/relay/*</c>.</summary>
    public const string Relay = "relay";

    public static IReadOnlySet<string> All { get; } = new HashSet<string>(StringComparer.Ordinal) { Agent, Supervisor, Admin };
}

/// <summary>Authorization policy names, one per role.</summary>
public static class Policies
{
    public const string Agent = "agent";
    public const string Supervisor = "supervisor";
    public const string Admin = "admin";
    public const string Relay = "relay";
}
