using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Outbound;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// What the relay saw on a call's media, fed into the call (docs/RELAY-API.md, "Events"). An inbound call's session
/// is named by the call id; a placed call's session has its own id (<c>bic-…</c>), linked to the call when Graph
/// named it. The Meta leg connecting moves an accepted inbound call, or a placed call the customer picked up, to
/// connected; lost media goes on the timeline and to the agent; a stored recording is kept beside the call; DTMF and
/// quality are logged with the call id. Every branch tolerates a repeat.
/// </summary>
public sealed class CallMediaEvents(
    CallStore inboundStore,
    InboundCalls inbound,
    OutboundCallStore outboundStore,
    OutboundCalls outbound,
    CallJournal journal,
    IAgentNotifier notifier,
    TimeProvider time,
    ILogger<CallMediaEvents> logger)
{
    /// <summary>Packet loss above this share of a report is worth a warning in the call's log.</summary>
    public const double LossWarningRatio = 0.05;

    /// <summary>The call an event is about, in the terms the branches below need.</summary>
    private sealed record MediaTarget(
        CallId CallId, JournalCall Journal, AgentId? AgentOnCall, Func<CancellationToken, Task> MetaConnected, Func<CallRecording, CancellationToken, Task> SaveRecording);

    /// <summary>False when the session is no call we know (one never stored, or a placed call whose link is not written yet).</summary>
    public async Task<bool> ApplyAsync(RelayEvent relayEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        if (await TargetOfAsync(relayEvent.SessionId, ct) is not { } call)
        {
            return false;
        }

        var callId = call.CallId;
        switch (relayEvent)
        {
            case MediaConnected when relayEvent.LegId == RelayLegIds.Meta:
                await call.MetaConnected(ct);
                break;
            case MediaConnected connected:
                logger.LogInformation("Call {CallId}: media connected on leg {LegId} from {RemoteAddress}", callId, connected.LegId, connected.RemoteAddress);
                break;
            case MediaLost lost:
                logger.LogWarning("Call {CallId}: media lost on leg {LegId}: {Reason}", callId, lost.LegId, lost.Reason);
                await journal.TimelineAsync(call.Journal, new CallTimelineEntry(callId, lost.At, CallActor.System, CallTimelineKind.MediaLost, $"{lost.LegId}: {lost.Reason}"), ct);
                if (call.AgentOnCall is { } agent)
                {
                    await notifier.NotifyAgentAsync(agent, new CallMediaLostNotification(callId.Value, lost.LegId ?? string.Empty, lost.Reason) { At = time.GetUtcNow() }, ct);
                }

                break;
            case RecordingReady ready:
                // The relay's URL may carry a SAS token: the reference kept (and shown, and logged) is the blob itself.
                var blob = new UriBuilder(ready.Location) { Query = string.Empty, Fragment = string.Empty }.Uri;
                await call.SaveRecording(new CallRecording(blob, ready.ContentType, ready.DurationSeconds, ready.At), ct);
                await journal.TimelineAsync(call.Journal, new CallTimelineEntry(callId, ready.At, CallActor.System, CallTimelineKind.RecordingReady, $"{ready.DurationSeconds:0} s"), ct);
                logger.LogInformation("Call {CallId}: recording stored at {Recording} ({DurationSeconds} s)", callId, blob.GetLeftPart(UriPartial.Path), ready.DurationSeconds);
                break;
            case DtmfReceived dtmf:
                // The digit itself is not logged: callers key in PINs and card numbers.
                logger.LogInformation("Call {CallId}: DTMF on leg {LegId} ({DurationMs} ms)", callId, dtmf.LegId, dtmf.DurationMs);
                break;
            case QualityReport quality:
                var lossRatio = quality.PacketsReceived + quality.PacketsLost == 0 ? 0 : (double)quality.PacketsLost / (quality.PacketsReceived + quality.PacketsLost);
                var level = lossRatio > LossWarningRatio || quality.Mos is < 3 ? LogLevel.Warning : LogLevel.Information;
                logger.Log(level, "Call {CallId}: quality on leg {LegId}: {PacketsReceived} received, {PacketsLost} lost, jitter {JitterMs} ms, RTT {RoundTripMs} ms, MOS {Mos}",
                    callId, quality.LegId, quality.PacketsReceived, quality.PacketsLost, quality.JitterMs, quality.RoundTripMs, quality.Mos);
                break;
        }

        return true;
    }

    private async Task<MediaTarget?> TargetOfAsync(CallId session, CancellationToken ct)
    {
        if (await inboundStore.GetAsync(session, ct) is { } call)
        {
            return new MediaTarget(
                call.CallId,
                new JournalCall(call.CallId, JournalCallDirection.Inbound, call.Business, call.Customer, call.Agent),
                call.InProgress ? call.Agent : null,
                token => inbound.MediaConnectedAsync(call.CallId, token),
                (recording, token) => inboundStore.Media.SaveRecordingAsync(call.CallId, recording, token));
        }

        if (await outboundStore.FindBySessionAsync(session, ct) is not { } placedId || await outboundStore.GetAsync(placedId, ct) is not { Call: var placed })
        {
            return null;
        }

        logger.LogDebug("Relay session {SessionId} is placed call {CallId}", session, placedId);
        return new MediaTarget(
            placedId,
            OutboundEffectRunner.JournalOf(placed),
            placed.IsClosed ? null : placed.Agent,
            token => outbound.MediaConnectedAsync(placedId, token),
            (recording, token) => outboundStore.Media.SaveRecordingAsync(placedId, recording, token));
    }
}
