using System.Security.Claims;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Problems;

namespace WhatsAppCalling.FunctionApp.Calls.Agents;

/// <summary>An agent's own presence and an admin's ring order per business number (docs/API.md, "Calls").</summary>
public static class AgentEndpoints
{
    public const int MaxStepSeconds = 120;

    public sealed record PresenceRequest(string? Presence);

    public sealed record AgentResponse(string AgentId, string Name, string Presence, bool OnCall, string? ActiveCall)
    {
        public static AgentResponse From(DirectoryAgent a) =>
            new(a.Agent.Id.Value, a.Name, a.Agent.Presence.ToString().ToLowerInvariant(), a.Agent.IsOnCall, a.Agent.ActiveCall?.Value);
    }

    public sealed record RingOrderRequest(string[]? Agents, bool? RingAllRemaining, int? StepSeconds);

    public sealed record RingOrderResponse(string PhoneNumberId, string[] Agents, bool RingAllRemaining, int? StepSeconds)
    {
        public static RingOrderResponse From(RingOrder o) =>
            new(o.Business.Value, [.. o.Agents.Select(a => a.Value)], o.RingAllRemaining, o.StepDuration is { } s ? (int)s.TotalSeconds : null);
    }

    public static IEndpointRouteBuilder MapAgentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPut("/api/agents/me/presence", SetPresenceAsync)
            .RequireAuthorization(Policies.Agent).WithName("SetMyPresence").WithTags("calls")
            .WithSummary("Go available, away or offline");
        endpoints.MapPut("/api/admin/numbers/{phoneNumberId}/ring-order", SetRingOrderAsync)
            .RequireAuthorization(Policies.Admin).WithName("SetRingOrder").WithTags("calls")
            .WithSummary("Who rings for a business number, in order, and for how long each");
        endpoints.MapGet("/api/admin/numbers/{phoneNumberId}/ring-order", GetRingOrderAsync)
            .RequireAuthorization(Policies.Admin).WithName("GetRingOrder").WithTags("calls")
            .WithSummary("The number's ring order (default: every agent in name order)");
        return endpoints;
    }

    private static async Task<IResult> SetPresenceAsync(
        HttpContext http, AgentDirectory directory, Inbound.InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } id)
        {
            return Results.Forbid();
        }

        var body = await ReadAsync<PresenceRequest>(http, ct);
        if (body?.Presence is not { } text || !Enum.TryParse<AgentPresence>(text, ignoreCase: true, out var presence) || int.TryParse(text, out _))
        {
            return ApiProblems.Field("presence", "presence must be one of available, away, offline.");
        }

        var roles = http.User.FindAll(AgentAuthentication.RoleClaim).Select(c => c.Value).Concat(http.User.FindAll(ClaimTypes.Role).Select(c => c.Value)).Distinct().ToList();
        var agent = await directory.SetPresenceAsync(new AgentId(id), presence, roles, ct);
        await calls.RosterChangedAsync(ct);
        return Results.Ok(AgentResponse.From(agent));
    }

    private static async Task<IResult> GetRingOrderAsync(string phoneNumberId, BusinessNumbers numbers, RingOrderStore orders, CancellationToken ct)
    {
        if (numbers.Resolve(phoneNumberId, out var error) is not { } number)
        {
            return ApiProblems.Field("phoneNumberId", error ?? "Unknown business number.");
        }

        return Results.Ok(RingOrderResponse.From(await orders.GetAsync(number, ct)));
    }

    private static async Task<IResult> SetRingOrderAsync(
        string phoneNumberId, HttpContext http, BusinessNumbers numbers, AgentDirectory directory, RingOrderStore orders, CancellationToken ct)
    {
        if (numbers.Resolve(phoneNumberId, out var error) is not { } number)
        {
            return ApiProblems.Field("phoneNumberId", error ?? "Unknown business number.");
        }

        var body = await ReadAsync<RingOrderRequest>(http, ct);
        if (body?.Agents is not { Length: > 0 } ids || ids.Any(string.IsNullOrWhiteSpace))
        {
            return ApiProblems.Field("agents", "agents must list at least one agent id.");
        }

        if (body.StepSeconds is { } seconds && seconds is < 5 or > MaxStepSeconds)
        {
            return ApiProblems.Field("stepSeconds", $"stepSeconds must be from 5 to {MaxStepSeconds}.");
        }

        var known = (await directory.ListAsync(ct)).Select(a => a.Agent.Id.Value).ToHashSet(StringComparer.Ordinal);
        if (ids.FirstOrDefault(a => !known.Contains(a)) is { } unknown)
        {
            return ApiProblems.Field("agents", $"'{unknown}' is not a known agent.");
        }

        var order = new RingOrder(number, [.. ids.Distinct(StringComparer.Ordinal).Select(a => new AgentId(a))], body.RingAllRemaining ?? false,
            body.StepSeconds is { } s ? TimeSpan.FromSeconds(s) : null);
        await orders.SaveAsync(order, ct);
        return Results.Ok(RingOrderResponse.From(order));
    }

    internal static async Task<T?> ReadAsync<T>(HttpContext http, CancellationToken ct)
        where T : class
    {
        try
        {
            return await http.Request.ReadFromJsonAsync<T>(ct);
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            return null;
        }
    }
}
