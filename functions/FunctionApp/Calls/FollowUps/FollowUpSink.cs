using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Calls.Notifications;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>
/// Missed calls become follow-up items (issue 8, Rules: "Missed calls become contact events on the timeline so
/// someone can follow up"): the item is stored, the number's agents hear of it, and supervisors are told of every
/// missed call. Agents who were ringing already got <c>missedCall</c> from the call itself.
/// </summary>
public sealed class FollowUpSink(FollowUpStore store, TeamNotifier team, TimeProvider time, ILogger<FollowUpSink> logger) : ICallJournalSink
{
    public string Name => "follow-ups";

    public Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct) => Task.CompletedTask;

    public async Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(call);
        ArgumentNullException.ThrowIfNull(missed);
        var now = time.GetUtcNow();
        if (missed.Customer is { } customer)
        {
            var change = await store.RecordMissedAsync(missed, ct);
            var first = change.Before?.MissedAt is null;
            logger.LogInformation("Call {CallId}: follow-up {FollowUpId} for the missed call (new: {New}, callback requested: {Callback})",
                missed.CallId, change.After!.Id, first, change.After.Request.CallbackRequested);
            if (change.IsNews)
            {
                await team.NotifyNumberAsync(missed.Business, FollowUpNotification.Of(change.After, now), ct);
            }

            if (!first)
            {
                return;
            }

            await team.NotifySupervisorsAsync(
                new MissedCallNotification(missed.CallId.Value, missed.Business.Value, FollowUpNotification.CustomerOf(customer), missed.Reason.ToString()) { At = now }, ct);
            return;
        }

        // Without a customer there is nobody to call back; supervisors still see that the call was lost.
        logger.LogWarning("Call {CallId} was missed but names no customer: no follow-up item", missed.CallId);
        await team.NotifySupervisorsAsync(
            new MissedCallNotification(missed.CallId.Value, missed.Business.Value, new NotifiedCustomer(string.Empty, null, null), missed.Reason.ToString()) { At = now }, ct);
    }
}
