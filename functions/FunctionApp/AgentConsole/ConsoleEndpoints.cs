using WhatsAppCalling.Domain.Calls;
using System.Security.Claims;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Inbound;

namespace WhatsAppCalling.FunctionApp.AgentConsole;

/// <summary>
/// The two reads the console needs at sign-in and after every SignalR reconnect (docs/API.md, "Agent console"):
/// the agent's own presence and call, because notifications missed while disconnected are not replayed; and the
/// disposition codes the form offers, because they are configurable.
/// </summary>
public static class ConsoleEndpoints
{
    public sealed record MeResponse(
        string AgentId, string Name, string Presence, bool OnCall, string? ActiveCall, IReadOnlyList<string> Roles, CapabilitiesView Capabilities);

    /// <summary>What an admin allows the agent (docs/API.md, agent administration), so the console can explain a disabled button up front.</summary>
    public sealed record CapabilitiesView(bool MayReceiveCalls, bool MayMakeCalls, bool Restricted)
    {
        public static CapabilitiesView From(AgentCapabilities c) => new(c.MayReceiveCalls, c.MayMakeCalls, c.Restricted);
    }

    public sealed record DispositionOption(string Code, string Label);

    public sealed record DispositionCodesResponse(IReadOnlyList<DispositionOption> Codes, int MaxNoteLength);

    public static IEndpointRouteBuilder MapConsole(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapConsoleFiles();
        endpoints.MapGet("/api/agents/me", GetMeAsync)
            .RequireAuthorization(Policies.Agent).WithName("GetMe").WithTags("console")
            .WithSummary("The signed-in agent: presence, whether on a call and which, roles");
        endpoints.MapGet("/api/calls/disposition-codes", GetDispositionCodes)
            .RequireAuthorization(Policies.Agent).WithName("GetDispositionCodes").WithTags("console")
            .WithSummary("The disposition codes an agent may record after a call, and the note's length limit");
        return endpoints;
    }

    private static async Task<IResult> GetMeAsync(HttpContext http, AgentDirectory directory, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } id)
        {
            return Results.Forbid();
        }

        var roles = http.User.FindAll(AgentAuthentication.RoleClaim).Select(c => c.Value)
            .Concat(http.User.FindAll(ClaimTypes.Role).Select(c => c.Value)).Distinct(StringComparer.Ordinal).ToList();
        var name = http.User.FindFirst("name")?.Value ?? id;

        // An agent who never set a presence has no row yet: they are offline and not on a call.
        return await directory.FindAsync(new AgentId(id), ct) is { } found
            ? Results.Ok(new MeResponse(id, found.Name, found.Agent.Presence.ToString().ToLowerInvariant(), found.Agent.IsOnCall, found.Agent.ActiveCall?.Value, roles,
                CapabilitiesView.From(found.Agent.Capabilities)))
            : Results.Ok(new MeResponse(id, name, "offline", false, null, roles, CapabilitiesView.From(AgentCapabilities.Full)));
    }

    private static IResult GetDispositionCodes(InboundCalls calls)
    {
        var catalog = calls.Machine.Rules.Dispositions;
        return Results.Ok(new DispositionCodesResponse([.. catalog.Codes.Select(c => new DispositionOption(c.Value, Label(c.Value)))], catalog.MaxNoteLength));
    }

    /// <summary>"follow-up-required" → "Follow up required": codes are stable identifiers, labels are for people.</summary>
    internal static string Label(string code)
    {
        var text = code.Replace('-', ' ').Replace('_', ' ').Trim();
        return text.Length == 0 ? code : char.ToUpperInvariant(text[0]) + text[1..];
    }
}
