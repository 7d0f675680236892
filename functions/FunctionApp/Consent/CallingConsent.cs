using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Contacts;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// The read side of consent for other features. The call lifecycle asks <see cref="MayCallAsync"/> before it dials
/// (issue 6: "may we call now?"); the answer carries the blocking reasons to show the agent.
/// </summary>
public sealed class CallingConsent(ConsentStore store, ContactDirectory contacts, IOptions<ConsentOptions> options, TimeProvider time)
{
    /// <summary>Whether a business-initiated call to <paramref name="contact"/> may be placed now (§3.5).</summary>
    public async Task<CallDecision> MayCallAsync(BusinessNumberId number, ContactKey contact, CancellationToken ct)
    {
        var stored = await store.GetAsync(number, await contacts.ResolveAsync(number, contact, ct), ct);
        return new CallingEligibility(store.Rules).Evaluate(stored.State, time.GetUtcNow());
    }

    /// <summary>Everything an agent needs about calling this customer (<c>GET /api/contacts/{contact}/calling</c>).</summary>
    public async Task<(EligibilityReport Report, StoredConsent Stored)> ReportAsync(
        BusinessNumberId number, ContactKey contact, CancellationToken ct)
    {
        var stored = await store.GetAsync(number, await contacts.ResolveAsync(number, contact, ct), ct);
        return (Report(stored.State), stored);
    }

    public EligibilityReport Report(ConsentState state) =>
        EligibilityReport.Create(state, time.GetUtcNow(), store.Rules, options.Value.TemplateConfigured);
}
