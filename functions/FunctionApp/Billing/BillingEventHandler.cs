using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Integration;
using WhatsAppCalling.FunctionApp.Calls.FollowUps;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Webhooks;
using BillingDirection = WhatsAppCalling.Domain.Billing.CallDirection;
using WebhookDirection = WhatsAppCalling.Domain.Webhooks.CallDirection;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>
/// Charges a connected business-initiated call when its <c>terminate</c> webhook arrives, by Meta's duration and the
/// callee's number. The debit's ledger key is the call id, so a repeated or reordered terminate charges once; stale
/// events are charged too (money is owed whether or not the event was late).
/// </summary>
public sealed class BillingEventHandler(
    RateBook rates,
    LedgerStore ledger,
    IIntegrationEventPublisher events,
    IOptions<BillingOptions> options,
    TimeProvider time,
    TeamNotifier team,
    ILogger<BillingEventHandler> logger) : IWhatsAppEventHandler
{
    public const string HandlerName = "billing";

    /// <summary>Who each call debit names as its author.</summary>
    public const string Actor = "webhook:terminate";

    public string Name => HandlerName;

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (evt is not CallTerminated terminated)
        {
            return;
        }

        using var scope = logger.BeginScope(new Dictionary<string, object> { ["CallId"] = terminated.CallId.Value });
        var callId = terminated.CallId;
        if (terminated.Direction == WebhookDirection.Unknown)
        {
            // Meta always states the direction on terminate (§1.8); without it we cannot tell free from charged.
            BillingLog.DirectionUnknown(logger, callId.Value);
            return;
        }

        var direction = terminated.Direction == WebhookDirection.BusinessInitiated ? BillingDirection.BusinessInitiated : BillingDirection.UserInitiated;
        // Meta's duration decides; if a picked-up call's terminate lacks it, its start and end times still measure it.
        var measured = terminated.Duration ?? (terminated.EndTime - terminated.StartTime);
        var seconds = measured is { } duration && duration >= TimeSpan.Zero ? (long)Math.Ceiling(duration.TotalSeconds) : (long?)null;
        if (terminated.Contact.Phone is not { } callee)
        {
            if (direction == BillingDirection.BusinessInitiated && terminated.WasPickedUp && seconds > 0)
            {
                // Only a BSUID was sent: the market (and so the price) is unknown. Nothing is charged; someone must review it.
                BillingLog.NoCalleeNumber(logger, callId.Value, seconds.Value);
            }
            else
            {
                BillingLog.NotCharged(logger, callId.Value, direction == BillingDirection.UserInitiated
                    ? TerminateChargeOutcome.FreeUserInitiated : TerminateChargeOutcome.NotConnected, "no charge is due");
            }

            return;
        }

        var wabaId = options.Value.LedgerWabaId;
        if (context.WabaId is { Length: > 0 } eventWaba && !string.Equals(eventWaba, wabaId, StringComparison.Ordinal))
        {
            BillingLog.OtherWaba(logger, callId.Value, eventWaba, wabaId);
        }

        var date = RateBook.BillingDateOf(ConnectedAt(terminated, context), options.Value.TimeZone);
        var first = rates.Quote(callee, date);
        var decision = TerminateCharging.Decide(direction, terminated.WasPickedUp, seconds, first);
        if (!decision.Chargeable)
        {
            if (decision.Outcome == TerminateChargeOutcome.Unpriceable)
            {
                BillingLog.Unpriceable(logger, callId.Value, decision.Message);
            }
            else
            {
                BillingLog.NotCharged(logger, callId.Value, decision.Outcome, decision.Message);
            }

            return;
        }

        var result = await ledger.AppendCallAsync(wabaId, callId, new VolumeBucket(date, first.Market), monthMinutes =>
        {
            // Re-priced at the volume read inside the transaction's retry loop, so a tier crossing is priced right.
            var priced = TerminateCharging.Decide(direction, terminated.WasPickedUp, seconds, rates.Quote(callee, date, monthMinutes));
            return LedgerEntry.ForCall(callId, priced.Charge!, time.GetUtcNow(), Actor, priced.Message);
        }, ct);

        switch (result.Outcome)
        {
            case LedgerAppendOutcome.Append:
                BillingLog.Charged(logger, callId.Value, BalanceView.ExactTextOf(-result.Record.Entry.Amount), result.Record.Entry.Reason,
                    BalanceView.ExactTextOf(result.Balance));
                await TellAgentsIfNowLowAsync(wabaId, result, ct);
                break;
            case LedgerAppendOutcome.AlreadyRecorded:
                BillingLog.AlreadyCharged(logger, callId.Value, BalanceView.ExactTextOf(-result.Record.Entry.Amount));
                break;
            default:
                // The first charge stands (the key is taken); a different amount on redelivery needs a human's look.
                BillingLog.ChargeDiffers(logger, callId.Value, BalanceView.ExactTextOf(-result.Record.Entry.Amount),
                    BalanceView.ExactTextOf(-result.Candidate.Amount));
                break;
        }

        // The recorded charge, also on a repeat: a publish that failed last time is made now, with the same event id.
        if (result.Record.Entry.Charge is { } charge)
        {
            await events.PublishAsync(CallIntegrationEvents.Billed(
                callId, JournalCallDirection.Outbound, terminated.Header.BusinessNumberId ?? context.BusinessNumberId,
                terminated.ContactKey, charge, result.Record.Entry.At), ct);
        }
    }

    /// <summary>
    /// The debit that takes the balance under the minimum tells every agent (issue 8: "balance low"), once: calls
    /// are refused from now on until an administrator tops up.
    /// </summary>
    private async Task TellAgentsIfNowLowAsync(string wabaId, LedgerAppendResult result, CancellationToken ct)
    {
        var minimum = options.Value.MinimumBalance;
        var before = result.Balance - result.Record.Entry.Amount;
        if (result.Balance < minimum && before >= minimum)
        {
            await team.NotifyEveryoneAsync(
                new BalanceLowNotification(wabaId, BalanceResponse.Exact(result.Balance), BalanceResponse.Exact(minimum)) { At = time.GetUtcNow() }, ct);
        }
    }

    /// <summary>The rate in force at connect decides the price; the terminate's own times are the best record of it.</summary>
    private static DateTimeOffset ConnectedAt(CallTerminated terminated, EventContext context) =>
        terminated.StartTime
        ?? (terminated.EndTime is { } end && terminated.Duration is { } duration ? end - duration : (DateTimeOffset?)null)
        ?? terminated.Timestamp
        ?? context.ReceivedAt;
}

internal static partial class BillingLog
{
    [LoggerMessage(EventId = 7001, Level = LogLevel.Information, Message = "Call {CallId} charged {Cost}: {Reason}; balance now {Balance}")]
    public static partial void Charged(ILogger logger, string callId, string cost, string reason, string balance);

    [LoggerMessage(EventId = 7002, Level = LogLevel.Information, Message = "Call {CallId} was already charged {Cost}; repeated terminate ignored")]
    public static partial void AlreadyCharged(ILogger logger, string callId, string cost);

    [LoggerMessage(EventId = 7003, Level = LogLevel.Warning, Message = "Call {CallId} was charged {Recorded}, a later terminate prices it at {Candidate}; the first charge stands")]
    public static partial void ChargeDiffers(ILogger logger, string callId, string recorded, string candidate);

    [LoggerMessage(EventId = 7004, Level = LogLevel.Debug, Message = "Call {CallId} not charged ({Outcome}): {Reason}")]
    public static partial void NotCharged(ILogger logger, string callId, TerminateChargeOutcome outcome, string reason);

    [LoggerMessage(EventId = 7005, Level = LogLevel.Warning, Message = "Call {CallId} connected but cannot be priced, not charged, needs review: {Reason}")]
    public static partial void Unpriceable(ILogger logger, string callId, string reason);

    [LoggerMessage(EventId = 7006, Level = LogLevel.Warning, Message = "Call {CallId} ({Seconds} s, business-initiated) has no callee phone number, only a BSUID; not charged, needs review")]
    public static partial void NoCalleeNumber(ILogger logger, string callId, long seconds);

    [LoggerMessage(EventId = 7007, Level = LogLevel.Warning, Message = "Call {CallId} terminate has no direction; not charged")]
    public static partial void DirectionUnknown(ILogger logger, string callId);

    [LoggerMessage(EventId = 7008, Level = LogLevel.Warning, Message = "Call {CallId} came from WABA {EventWabaId}; charging the configured account {WabaId}")]
    public static partial void OtherWaba(ILogger logger, string callId, string eventWabaId, string wabaId);

    [LoggerMessage(EventId = 7010, Level = LogLevel.Warning, Message = "Top-up {Key} refused: the key was used for {Recorded}, the request asks {Requested}")]
    public static partial void TopUpKeyReused(ILogger logger, string key, string recorded, string requested);

    [LoggerMessage(EventId = 7011, Level = LogLevel.Information, Message = "Top-up {Key} of {Amount} by {Actor}; balance now {Balance}")]
    public static partial void ToppedUp(ILogger logger, string key, string amount, string actor, string balance);
}
