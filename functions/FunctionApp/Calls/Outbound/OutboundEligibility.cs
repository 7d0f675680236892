using System.Collections.Immutable;
using System.Text.Json;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Calls.Agents;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.Settings;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>Which module stopped a dial-out: the agent's own state, the number's settings, the customer's consent, or billing.</summary>
public enum OutboundBlocker
{
    Agent,

    /// <summary>An admin turned calling off for the business number (its settings).</summary>
    Number,
    Consent,
    Billing,
}

/// <summary>One reason a dial-out may not start: a stable camelCase code and the sentence the console shows.</summary>
public sealed record OutboundReason(OutboundBlocker Source, string Code, string Message);

/// <summary>The answer to "may this agent call this customer now", with every blocking reason (never silent).</summary>
public sealed record OutboundEligibilityResult(OutboundDecision Decision, ImmutableArray<OutboundReason> Reasons)
{
    public bool MayDial => Decision.MayDial;

    /// <summary>The agent's own state blocks (409); otherwise it is the customer side (422).</summary>
    public bool AgentBlocked => Reasons.Any(r => r.Source == OutboundBlocker.Agent);
}

/// <summary>
/// Asks the three owners of the outbound rules (issue 8, Rules: "eligibility checked and explained"): the agent's
/// capability and state (<see cref="AgentPolicy"/>), consent (<see cref="CallingConsent.MayCallAsync"/>: permission,
/// the 24 h limit) and billing (<see cref="IBillingGate.CheckOutboundAsync"/>: sanctions, the callee's market and
/// rate, the $10 minimum). The decision itself is <see cref="OutboundCallMachine.Check"/>; the reasons keep each
/// module's own sentence so the agent reads exactly why.
/// </summary>
public sealed class OutboundEligibility(AgentDirectory agents, INumberSettings settings, CallingConsent consent, IBillingGate billing)
{
    public async Task<OutboundEligibilityResult> CheckAsync(
        AgentId agentId, BusinessNumberId business, ContactKey customer, PhoneNumber callee, CancellationToken ct)
    {
        var agent = (await agents.FindAsync(agentId, ct))?.Agent;
        if (AgentPolicy.OutboundRefusal(agent) is { } refusal)
        {
            // The customer side is not asked: nothing it says would let this agent dial.
            var decision = OutboundCallMachine.Check(agent, OutboundVerdict.Allow);
            return new(decision, [new OutboundReason(OutboundBlocker.Agent, Camel(refusal.ToString()), CallRefusals.Describe(refusal))]);
        }

        var reasons = ImmutableArray.CreateBuilder<OutboundReason>();
        if (!(await settings.GetAsync(business, ct)).CallingEnabled)
        {
            reasons.Add(new OutboundReason(
                OutboundBlocker.Number, "callingDisabled",
                $"Calling is turned off for business number {business}; an admin can turn it on in the number's settings."));
        }

        var consentDecision = await consent.MayCallAsync(business, customer, ct);
        foreach (var reason in consentDecision.Reasons.Where(r => r.Blocks))
        {
            reasons.Add(new OutboundReason(OutboundBlocker.Consent, Camel(reason.Code.ToString()), reason.Message));
        }

        var billingDecision = await billing.CheckOutboundAsync(business.Value, callee, ct);
        if (!billingDecision.Allowed)
        {
            reasons.Add(new OutboundReason(OutboundBlocker.Billing, Camel(billingDecision.ReasonCode), billingDecision.Message));
        }

        var verdict = reasons.Count == 0 ? OutboundVerdict.Allow : OutboundVerdict.Deny([.. reasons.Select(r => r.Message)]);
        return new(OutboundCallMachine.Check(agent, verdict), reasons.ToImmutable());
    }

    /// <summary>One code style for all three modules: <c>balance_below_minimum</c> and <c>NoPermission</c> become camelCase.</summary>
    public static string Camel(string code)
    {
        var parts = code.Split('_', StringSplitOptions.RemoveEmptyEntries);
        var joined = string.Concat(parts.Select((p, i) => i == 0 ? p : char.ToUpperInvariant(p[0]) + p[1..]));
        return JsonNamingPolicy.CamelCase.ConvertName(joined);
    }
}
