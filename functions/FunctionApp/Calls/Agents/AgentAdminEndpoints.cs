using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Problems;

namespace WhatsAppCalling.FunctionApp.Calls.Agents;

/// <summary>
/// Agent administration for admins (docs/API.md, "Agents"): who may receive calls, who may make them, who is
/// restricted. A change re-plans calls that are ringing, so a restricted agent stops ringing at once.
/// </summary>
public static class AgentAdminEndpoints
{
    public const int MaxNameLength = 100;

    public sealed record AgentProfileRequest(string? Name, bool? MayReceiveCalls, bool? MayMakeCalls, bool? Restricted);

    public sealed record AgentProfileResponse(
        string AgentId, string Name, string[] Roles, string Presence, bool OnCall, string? ActiveCall,
        bool MayReceiveCalls, bool MayMakeCalls, bool Restricted)
    {
        public static AgentProfileResponse From(DirectoryAgent a) => new(
            a.Agent.Id.Value, a.Name, [.. a.Roles], a.Agent.Presence.ToString().ToLowerInvariant(), a.Agent.IsOnCall, a.Agent.ActiveCall?.Value,
            a.Agent.Capabilities.MayReceiveCalls, a.Agent.Capabilities.MayMakeCalls, a.Agent.Capabilities.Restricted);
    }

    public static IEndpointRouteBuilder MapAgentAdminEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/admin/agents", ListAsync)
            .RequireAuthorization(Policies.Admin).WithName("ListAgents").WithTags("agents")
            .WithSummary("Every agent with presence, call and capabilities");
        endpoints.MapPut("/api/admin/agents/{agentId}", SetAsync)
            .RequireAuthorization(Policies.Admin).WithName("SetAgentProfile").WithTags("agents")
            .WithSummary("Set an agent's name and capabilities (may receive calls, may make calls, restricted)");
        return endpoints;
    }

    private static async Task<IResult> ListAsync(AgentDirectory directory, CancellationToken ct) =>
        Results.Ok((await directory.ListAsync(ct)).OrderBy(a => a.Agent.Id.Value, StringComparer.Ordinal).Select(AgentProfileResponse.From).ToArray());

    private static async Task<IResult> SetAsync(
        string agentId, HttpContext http, AgentDirectory directory, Inbound.InboundCalls calls, CancellationToken ct)
    {
        if (string.IsNullOrWhiteSpace(agentId) || agentId.Length > 128 || agentId.Any(char.IsControl))
        {
            return ApiProblems.Field("agentId", "agentId must be 1–128 printable characters.");
        }

        var body = await AgentEndpoints.ReadAsync<AgentProfileRequest>(http, ct);
        if (body is null)
        {
            return ApiProblems.Field("body", "The body must be a JSON object with mayReceiveCalls, mayMakeCalls and restricted.");
        }

        foreach (var (field, value) in new[] { ("mayReceiveCalls", body.MayReceiveCalls), ("mayMakeCalls", body.MayMakeCalls), ("restricted", body.Restricted) })
        {
            if (value is null)
            {
                return ApiProblems.Field(field, $"{field} must be true or false.");
            }
        }

        if (body.Name is { } name && (string.IsNullOrWhiteSpace(name) || name.Length > MaxNameLength))
        {
            return ApiProblems.Field("name", $"name must be 1–{MaxNameLength} characters when given.");
        }

        var capabilities = new AgentCapabilities(body.MayReceiveCalls!.Value, body.MayMakeCalls!.Value, body.Restricted!.Value);
        var agent = await directory.SetProfileAsync(new AgentId(agentId), body.Name?.Trim(), capabilities, ct);
        await calls.RosterChangedAsync(ct);
        return Results.Ok(AgentProfileResponse.From(agent));
    }
}
