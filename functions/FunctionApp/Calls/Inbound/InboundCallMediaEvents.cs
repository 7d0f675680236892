using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Calls.Inbound;

/// <summary>
/// What the relay saw on an inbound call's media, fed into the call (docs/RELAY-API.md, "Events"): the Meta leg
/// connecting moves an accepted call to connected; lost media goes on the timeline and to the agent; a stored
/// recording is kept beside the call; DTMF and quality are logged with the call id. Every branch tolerates a repeat.
/// </summary>
public sealed class InboundCallMediaEvents(
    CallStore store,
    InboundCalls calls,
    CallJournal journal,
    IAgentNotifier notifier,
    TimeProvider time,
    ILogger<InboundCallMediaEvents> logger)
{
    /// <summary>Packet loss above this share of a report is worth a warning in the call's log.</summary>
    public const double LossWarningRatio = 0.05;

    /// <summary>False when the session is no inbound call we know (an outbound call, or one never stored).</summary>
    public async Task<bool> ApplyAsync(RelayEvent relayEvent, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(relayEvent);
        var callId = relayEvent.SessionId;
        if (await store.GetAsync(callId, ct) is not { } call)
        {
            return false;
        }

        switch (relayEvent)
        {
            case MediaConnected when relayEvent.LegId == RelayLegIds.Meta:
                await calls.MediaConnectedAsync(callId, ct);
                break;
            case MediaConnected connected:
                logger.LogInformation("Call {CallId}: media connected on leg {LegId} from {RemoteAddress}", callId, connected.LegId, connected.RemoteAddress);
                break;
            case MediaLost lost:
                logger.LogWarning("Call {CallId}: media lost on leg {LegId}: {Reason}", callId, lost.LegId, lost.Reason);
                await journal.TimelineAsync(JournalOf(call), new CallTimelineEntry(callId, lost.At, CallActor.System, CallTimelineKind.MediaLost, $"{lost.LegId}: {lost.Reason}"), ct);
                if (call is { InProgress: true, Agent: { } agent })
                {
                    await notifier.NotifyAgentAsync(agent, new CallMediaLostNotification(callId.Value, lost.LegId ?? string.Empty, lost.Reason) { At = time.GetUtcNow() }, ct);
                }

                break;
            case RecordingReady ready:
                // The relay's URL may carry a SAS token: the reference kept (and shown, and logged) is the blob itself.
                var blob = new UriBuilder(ready.Location) { Query = string.Empty, Fragment = string.Empty }.Uri;
                await store.SaveRecordingAsync(callId, new CallRecording(blob, ready.ContentType, ready.DurationSeconds, ready.At), ct);
                await journal.TimelineAsync(JournalOf(call), new CallTimelineEntry(callId, ready.At, CallActor.System, CallTimelineKind.RecordingReady, $"{ready.DurationSeconds:0} s"), ct);
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

    private static JournalCall JournalOf(InboundCall call) =>
        new(call.CallId, JournalCallDirection.Inbound, call.Business, call.Customer, call.Agent);
}
