namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// The 24 h customer-service window (§7.3): opened or refreshed by a customer message, a customer call (answered or
/// not) and the customer accepting a business call. A free-form permission request needs it open (§3.1).
/// </summary>
public static class CustomerServiceWindow
{
    /// <summary>When the window closes (or closed), measured from the newest customer activity; null if none.</summary>
    public static DateTimeOffset? OpenUntil(ConsentState state, ConsentRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        return state.Activity.IsEmpty ? null : state.Activity.Max(a => a.At) + rules.CustomerServiceWindow;
    }

    /// <summary>Open while strictly less than the window length has passed since the newest activity at or before now.</summary>
    public static bool IsOpenAt(ConsentState state, DateTimeOffset at, ConsentRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        return state.Activity.Any(a => a.At <= at && at < a.At + rules.CustomerServiceWindow);
    }

    /// <summary>
    /// The template-reply rule (respond.io seed, issue 6): when one of our templates opened the conversation (it was
    /// sent while the window was closed), the customer must have written to us after it before a free-form request.
    /// A call alone does not count as that reply. Derived from our template log and the customer's messages.
    /// </summary>
    public static bool AwaitingReplyToTemplate(ConsentState state, DateTimeOffset now, ConsentRules rules)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(rules);
        var lastMessage = state.Activity
            .Where(a => a.Kind == CustomerActivityKind.Message && a.At <= now)
            .Select(a => (DateTimeOffset?)a.At)
            .Max();
        return state.TemplatesSent.Any(t =>
            t.SentAt <= now
            && (lastMessage is null || t.SentAt > lastMessage)
            && !IsOpenAtBefore(state, t.SentAt, rules));
    }

    // The window as it was just before the template went out: activity at the same instant did not open it yet.
    private static bool IsOpenAtBefore(ConsentState state, DateTimeOffset at, ConsentRules rules) =>
        state.Activity.Any(a => a.At < at && at < a.At + rules.CustomerServiceWindow);
}
