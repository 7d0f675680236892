using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

public enum LedgerEntryKind
{
    /// <summary>Money an administrator added to the prepaid balance.</summary>
    TopUpCredit,

    /// <summary>The charge for one connected business-initiated call; at most one per call id.</summary>
    CallDebit,

    /// <summary>A manual correction, either sign (refund, goodwill credit, fix of a wrong charge).</summary>
    Adjustment,
}

/// <summary>
/// One movement of a business account's prepaid balance. <paramref name="Amount"/> is signed (credits positive,
/// debits negative) and exact. <paramref name="Key"/> makes each entry idempotent: a repeated or reordered
/// terminate webhook, or a retried top-up request, produces the same key and is recorded once.
/// </summary>
public sealed record LedgerEntry(
    string Key,
    LedgerEntryKind Kind,
    Money Amount,
    DateTimeOffset At,
    string Actor,
    string Reason,
    CallId? CallId = null,
    CallCharge? Charge = null)
{
    /// <param name="clientKey">The idempotency key the client sent with the top-up request.</param>
    /// <param name="actor">Who: the administrator's agent id.</param>
    /// <param name="reason">Why, as the administrator gave it (an invoice or payment reference).</param>
    public static LedgerEntry TopUp(string clientKey, Money amount, DateTimeOffset at, string actor, string reason)
    {
        RequireText(clientKey, nameof(clientKey));
        if (amount <= Money.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount.Usd, "A top-up must add a positive amount.");
        }

        return new LedgerEntry("topup:" + clientKey, LedgerEntryKind.TopUpCredit, amount, at, Require(actor), Require(reason));
    }

    /// <summary>The debit for a connected call, keyed by Meta's call id so it is charged once.</summary>
    /// <param name="actor">Who: the component that charged, e.g. the webhook handler.</param>
    public static LedgerEntry ForCall(CallId callId, CallCharge charge, DateTimeOffset at, string actor, string reason)
    {
        RequireText(callId.Value, nameof(callId));
        ArgumentNullException.ThrowIfNull(charge);
        if (charge.Cost < Money.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(charge), charge.Cost.Usd, "A call charge cannot be negative.");
        }

        return new LedgerEntry(CallKey(callId), LedgerEntryKind.CallDebit, -charge.Cost, at, Require(actor), Require(reason), callId, charge);
    }

    /// <param name="adjustmentKey">A key unique to this correction (the admin tool generates it once per form).</param>
    public static LedgerEntry Adjustment(string adjustmentKey, Money amount, DateTimeOffset at, string actor, string reason, CallId? callId = null)
    {
        RequireText(adjustmentKey, nameof(adjustmentKey));
        if (amount == Money.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(amount), amount.Usd, "An adjustment of zero changes nothing.");
        }

        return new LedgerEntry("adjustment:" + adjustmentKey, LedgerEntryKind.Adjustment, amount, at, Require(actor), Require(reason), callId);
    }

    /// <summary>The key a call's debit has, to look it up before charging.</summary>
    public static string CallKey(CallId callId) => "call:" + callId.Value;

    /// <summary>
    /// Whether another entry with the same key records the same movement (a harmless repeat) rather than a
    /// different one (a conflict). Time, actor and wording may differ between retries.
    /// </summary>
    public bool SameMovementAs(LedgerEntry other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return Key == other.Key && Kind == other.Kind && Amount == other.Amount && CallId == other.CallId;
    }

    private static string Require(string text, string? name = null)
    {
        RequireText(text, name ?? "text");
        return text;
    }

    private static void RequireText(string text, string name)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            throw new ArgumentException("Every ledger entry says who made it and why, under a non-empty key.", name);
        }
    }
}
