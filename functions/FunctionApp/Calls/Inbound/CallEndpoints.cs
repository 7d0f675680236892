using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Problems;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>The agent's call routes (docs/API.md, "Calls"): accept, decline, end, disposition, read, transfer.</summary>
public static class CallEndpoints
{
    public const int MaxSdpLength = 64 * 1024;

    public sealed record AcceptRequest(string? SdpOffer);

    public sealed record AcceptResponse(string CallId, string SdpAnswer, string LegId, CallResponse Call);

    public sealed record DispositionRequest(string? Code, string? Note);

    public sealed record TransferRequest(string? TargetAgentId, string? Note);

    public sealed record MuteRequest(bool? Muted);

    /// <summary>Where the relay stored the call's recording (the blob, without any access token).</summary>
    public sealed record RecordingView(string Uri, string ContentType, double DurationSeconds, DateTimeOffset At)
    {
        public static RecordingView? From(CallRecording? r) => r is null ? null : new(r.Location.ToString(), r.ContentType, r.DurationSeconds, r.At);
    }

    public sealed record TransferTarget(string AgentId, string Name);

    public sealed record TransferTargetsResponse(string CallId, TransferTarget[] Targets);

    /// <summary>The call's latest transfer (one at a time): who offered it to whom, and how it stands.</summary>
    public sealed record TransferView(string FromAgentId, string ToAgentId, string? Note, string Phase, DateTimeOffset OfferedAt, DateTimeOffset RevertAt, string TransferId)
    {
        public static TransferView? From(TransferState? t) => t is null
            ? null
            : new(t.From.Value, t.To.Value, t.Note, t.Phase.ToString(), t.OfferedAt, t.RevertAt, t.Version.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    public sealed record CallResponse(
        string CallId, string Phase, string? BusinessNumberId, string? Customer, string? Agent, string[] Ringing,
        DateTimeOffset? OfferedAt, DateTimeOffset? AcceptedAt, DateTimeOffset? EndedAt, int? DurationSeconds,
        string? Missed, string Disposition, string? DispositionCode, long Version, TransferView? Transfer = null,
        bool Muted = false, RecordingView? Recording = null)
    {
        /// <summary><paramref name="media"/> (mute, recording) is read only where the response shows it: GET and mute.</summary>
        public static CallResponse From(InboundCall c, CallMedia? media = null) => new(
            c.CallId.Value, c.Phase.ToString(), c.Business?.Value, c.Customer?.Value, c.Agent?.Value,
            [.. (c.Ring?.Ringing ?? []).Select(a => a.Value)], c.OfferedAt, c.AcceptedAt, c.EndedAt, (int?)c.Duration?.TotalSeconds,
            c.Missed?.ToString(), c.DispositionStatus.Stage.ToString(), c.DispositionStatus.Recorded?.Code.Value, c.Version,
            TransferView.From(c.Transfer),
            c.Agent is { } agent && media?.IsMuted(CommonCallEffects.LegIdOf(agent)) == true,
            RecordingView.From(media?.Recording));
    }

    public static IEndpointRouteBuilder MapCallEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/api/calls/{callId}/accept", AcceptAsync)
            .RequireAuthorization(Policies.Agent).WithName("AcceptCall").WithTags("calls")
            .WithSummary("Answer a ringing call with the browser's SDP offer; returns the relay's answer");
        endpoints.MapPost("/api/calls/{callId}/decline", DeclineAsync)
            .RequireAuthorization(Policies.Agent).WithName("DeclineCall").WithTags("calls")
            .WithSummary("Decline a call ringing this agent; the ring moves on");
        endpoints.MapPost("/api/calls/{callId}/end", EndAsync)
            .RequireAuthorization(Policies.Agent).WithName("EndCall").WithTags("calls")
            .WithSummary("Hang up the agent's call (Graph terminate)");
        endpoints.MapPost("/api/calls/{callId}/disposition", DispositionAsync)
            .RequireAuthorization(Policies.Agent).WithName("RecordCallDisposition").WithTags("calls")
            .WithSummary("Record the outcome of an ended call");
        endpoints.MapGet("/api/calls/{callId}", GetAsync)
            .RequireAuthorization(Policies.Agent).WithName("GetCall").WithTags("calls")
            .WithSummary("A call's state");
        endpoints.MapPost("/api/calls/{callId}/mute", MuteAsync)
            .RequireAuthorization(Policies.Agent).WithName("MuteCall").WithTags("calls")
            .WithSummary("Mute or unmute the agent's leg at the relay (what the customer hears)");
        endpoints.MapGet("/api/calls/{callId}/transfer-targets", TransferTargetsAsync)
            .RequireAuthorization(Policies.Agent).WithName("ListTransferTargets").WithTags("calls")
            .WithSummary("Teammates the agent on the call may transfer it to now");
        endpoints.MapPost("/api/calls/{callId}/transfer", TransferAsync)
            .RequireAuthorization(Policies.Agent).WithName("TransferCall").WithTags("calls")
            .WithSummary("Offer the call to a teammate with a note; it reverts if they do not answer in time");
        endpoints.MapPost("/api/calls/{callId}/transfer/accept", AcceptTransferAsync)
            .RequireAuthorization(Policies.Agent).WithName("AcceptTransfer").WithTags("calls")
            .WithSummary("Take a call offered by a teammate with the browser's SDP offer; returns the relay's answer");
        endpoints.MapPost("/api/calls/{callId}/transfer/decline", DeclineTransferAsync)
            .RequireAuthorization(Policies.Agent).WithName("DeclineTransfer").WithTags("calls")
            .WithSummary("Decline a call offered by a teammate; it stays with them");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(string callId, HttpContext http, InboundCalls calls, CancellationToken ct) =>
        await calls.GetAsync(new CallId(callId), ct) is { } call
            ? Results.Ok(CallResponse.From(call, await calls.GetMediaAsync(call.CallId, ct)))
            : await OutboundCallFallback.GetAsync(http, callId, ct) ?? NotFound(callId);

    private static async Task<IResult> MuteAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        if (await AgentEndpoints.ReadAsync<MuteRequest>(http, ct) is not { Muted: { } muted })
        {
            return ApiProblems.Field("muted", "muted must be true or false.");
        }

        if (await calls.GetAsync(new CallId(callId), ct) is null)
        {
            return await OutboundCallFallback.MuteAsync(http, callId, muted, ct) ?? NotFound(callId);
        }

        return await GuardAsync(async () =>
        {
            var (call, media, refusal) = await calls.SetMutedAsync(new CallId(callId), new AgentId(agent), muted, ct);
            return refusal is { } r ? Conflict(r) : Results.Ok(CallResponse.From(call, media));
        });
    }

    private static Task<IResult> AcceptAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct) =>
        AcceptWithOfferAsync(callId, http, calls, auth, (id, agent, sdp) => calls.AcceptAsync(id, agent, sdp, ct), outbound: null, ct);

    /// <summary>
    /// The problem for a body's <c>sdpOffer</c> that is not a browser's SDP offer (starting with v=0, at most 64 KiB),
    /// or null when <paramref name="sdp"/> is one.
    /// </summary>
    internal static IResult? OfferProblem(string? sdp) =>
        sdp is { Length: > 0 and <= MaxSdpLength } && sdp.StartsWith("v=0", StringComparison.Ordinal)
            ? null
            : ApiProblems.Field("sdpOffer", "sdpOffer must be the browser's SDP offer (starting with v=0, at most 64 KiB).");

    /// <summary>
    /// Accepting a ringing call or a transfer: the browser's offer in, the relay's answer for it out. An id that is no
    /// inbound call goes to <paramref name="outbound"/> (placed calls; null: there are none for this command), else 404.
    /// </summary>
    private static async Task<IResult> AcceptWithOfferAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, Func<CallId, AgentId, string, Task<CallCommandResult>> accept,
        Func<string, Task<IResult?>>? outbound, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        var sdp = (await AgentEndpoints.ReadAsync<AcceptRequest>(http, ct))?.SdpOffer;
        if (OfferProblem(sdp) is { } problem)
        {
            return problem;
        }

        if (await calls.GetAsync(new CallId(callId), ct) is null)
        {
            return (outbound is null ? null : await outbound(sdp!)) ?? NotFound(callId);
        }

        return await GuardAsync(async () =>
        {
            var result = await accept(new CallId(callId), new AgentId(agent), sdp!);
            if (result.Refusal is { } refusal)
            {
                return Conflict(refusal);
            }

            var leg = result.Effects?.AgentLeg ?? throw new InvalidOperationException($"Call {callId}: the relay returned no agent leg.");
            return Results.Ok(new AcceptResponse(callId, leg.SdpAnswer, leg.LegId, CallResponse.From(result.State)));
        });
    }

    private static Task<IResult> DeclineAsync(string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct) =>
        CommandAsync(callId, http, auth, (id, agent) => calls.DeclineAsync(id, agent, ct), calls, ct);

    private static async Task<IResult> EndAsync(string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct) =>
        await CommandAsync(callId, http, auth, (id, agent) => calls.EndAsync(id, agent, ct), calls, ct, () => OutboundCallFallback.EndAsync(http, callId, ct));

    private static async Task<IResult> DispositionAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var body = await AgentEndpoints.ReadAsync<DispositionRequest>(http, ct);
        if (body?.Code is not { Length: > 0 } code)
        {
            return ApiProblems.Field("code", "code must be one of the configured disposition codes.");
        }

        if (!calls.Machine.Rules.Dispositions.Contains(new DispositionCode(code)))
        {
            return ApiProblems.Field("code", $"'{code}' is not a configured disposition ({string.Join(", ", calls.Machine.Rules.Dispositions.Codes)}).");
        }

        if (body.Note is { } note && note.Length > calls.Machine.Rules.Dispositions.MaxNoteLength)
        {
            return ApiProblems.Field("note", $"note must be at most {calls.Machine.Rules.Dispositions.MaxNoteLength} characters.");
        }

        return await CommandAsync(callId, http, auth, (id, agent) => calls.RecordDispositionAsync(id, agent, new DispositionCode(code), body.Note, ct), calls, ct,
            () => OutboundCallFallback.DispositionAsync(http, callId, new DispositionCode(code), body.Note, ct));
    }

    private static async Task<IResult> TransferTargetsAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        if (await calls.GetAsync(new CallId(callId), ct) is null)
        {
            return await OutboundCallFallback.TransferTargetsAsync(http, callId, ct) ?? NotFound(callId);
        }

        var (targets, refusal) = await calls.TransferTargetsAsync(new CallId(callId), new AgentId(agent), ct);
        return refusal is { } r
            ? Conflict(r)
            : Results.Ok(new TransferTargetsResponse(callId, [.. targets.Select(t => new TransferTarget(t.Agent.Id.Value, t.Name))]));
    }

    private static async Task<IResult> TransferAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct)
    {
        var body = await AgentEndpoints.ReadAsync<TransferRequest>(http, ct);
        if (body?.TargetAgentId is not { Length: > 0 and <= 128 } target || string.IsNullOrWhiteSpace(target))
        {
            return ApiProblems.Field("targetAgentId", "targetAgentId must name a teammate (an agent id from the transfer targets).");
        }

        if (body.Note is { } note && note.Trim().Length > calls.Machine.Rules.MaxTransferNoteLength)
        {
            return ApiProblems.Field("note", $"note must be at most {calls.Machine.Rules.MaxTransferNoteLength} characters.");
        }

        return await CommandAsync(callId, http, auth, (id, agent) => calls.StartTransferAsync(id, agent, new AgentId(target), body.Note, ct), calls, ct,
            () => OutboundCallFallback.TransferAsync(http, callId, new AgentId(target), body.Note, ct));
    }

    private static Task<IResult> AcceptTransferAsync(
        string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct) =>
        AcceptWithOfferAsync(callId, http, calls, auth, (id, agent, sdp) => calls.AcceptTransferAsync(id, agent, sdp, ct),
            sdp => OutboundCallFallback.AcceptTransferAsync(http, callId, sdp, ct), ct);

    private static async Task<IResult> DeclineTransferAsync(string callId, HttpContext http, InboundCalls calls, IOptions<AuthOptions> auth, CancellationToken ct) =>
        await CommandAsync(callId, http, auth, (id, agent) => calls.DeclineTransferAsync(id, agent, ct), calls, ct, () => OutboundCallFallback.DeclineTransferAsync(http, callId, ct));

    /// <summary>
    /// An agent's command on the call: the inbound shell's when the id is an inbound call, else <paramref name="outbound"/>
    /// (the same command on a placed call; null when the command is for incoming calls only), else 404.
    /// </summary>
    private static async Task<IResult> CommandAsync(
        string callId, HttpContext http, IOptions<AuthOptions> auth, Func<CallId, AgentId, Task<CallCommandResult>> command,
        InboundCalls calls, CancellationToken ct, Func<Task<IResult?>>? outbound = null)
    {
        if (http.User.AgentId(auth.Value) is not { } agent)
        {
            return Results.Forbid();
        }

        if (await calls.GetAsync(new CallId(callId), ct) is null)
        {
            return outbound is null ? await UnknownOrOutboundAsync(http, callId, ct) : await outbound() ?? NotFound(callId);
        }

        return await GuardAsync(async () =>
        {
            var result = await command(new CallId(callId), new AgentId(agent));
            return result.Refusal is { } refusal ? Conflict(refusal) : Results.Ok(CallResponse.From(result.State));
        });
    }

    /// <summary>A relay or Graph failure while running the command's effects is a 502 with the cause, not a 500.</summary>
    internal static async Task<IResult> GuardAsync(Func<Task<IResult>> action)
    {
        try
        {
            return await action();
        }
        catch (MediaRelayException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Media relay error", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["code"] = e.Code });
        }
        catch (CallGraphException e)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "WhatsApp error", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["action"] = e.Action });
        }
    }

    internal static IResult Conflict(CallRefusal refusal) =>
        Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "The call refused this command", detail: CallRefusals.Describe(refusal),
            extensions: new Dictionary<string, object?> { ["reason"] = refusal.ToString() });

    /// <summary>
    /// 404 for an unknown id. The only inbound-only command left is declining a ringing call: on a call the agent
    /// placed it is a 409 that says what to do instead, so the console never shows "unknown call" for the call on screen.
    /// </summary>
    private static async Task<IResult> UnknownOrOutboundAsync(HttpContext http, string callId, CancellationToken ct) =>
        await http.RequestServices.GetRequiredService<Outbound.OutboundCalls>().GetAsync(new CallId(callId), ct) is not null
            ? Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Not available on a call you placed",
                detail: "Declining is for incoming calls that ring you; to hang up a call you placed, end it.",
                extensions: new Dictionary<string, object?> { ["reason"] = "NotAvailableOnOutboundCalls" })
            : NotFound(callId);

    private static IResult NotFound(string callId) =>
        Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "Unknown call", detail: $"No call {callId} is known.",
            extensions: new Dictionary<string, object?> { ["field"] = "callId" });
}
