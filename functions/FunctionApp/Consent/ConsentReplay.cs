using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// The facts of one state as events, so they can be applied to another state of the same customer. Used when facts
/// were stored under the number (<c>wa:&lt;digits&gt;</c>) before a webhook revealed the BSUID (architecture.md
/// "Identity and storage"): the machine de-duplicates by id and time, so replaying is idempotent and order-free.
/// Lossy only where the state keeps a conclusion instead of a fact: a Meta correction to "no permission" and whether
/// a customer's call connected (only its time is kept) are not carried over; a later refresh restores the former.
/// </summary>
public static class ConsentReplay
{
    public static IEnumerable<ConsentEvent> EventsOf(ConsentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        foreach (var decision in new[] { state.Decision, state.CallbackGrant })
        {
            if (decision is not null && ReplyOf(decision) is { } reply)
            {
                yield return reply;
            }
        }

        foreach (var request in state.Requests)
        {
            yield return new PermissionRequestSent(request.MessageId, request.SentAt, request.Channel);
        }

        foreach (var template in state.TemplatesSent)
        {
            yield return new MessageSent(template.MessageId, template.SentAt, SentMessageKind.Template);
        }

        foreach (var activity in state.Activity)
        {
            switch (activity.Kind)
            {
                case CustomerActivityKind.Message:
                    yield return new InboundMessageReceived(activity.Id, activity.At);
                    break;
                case CustomerActivityKind.UserCall:
                    yield return new UserCallReceived(new CallId(activity.Id), activity.At);
                    break;
            }
        }

        foreach (var call in state.ConnectedBusinessCalls)
        {
            yield return new BusinessCallConnected(call.CallId, call.At);
        }

        foreach (var call in state.UnansweredBusinessCalls.Concat(state.RecentNotAnsweredCalls).DistinctBy(c => c.CallId))
        {
            yield return new BusinessCallNotAnswered(call.CallId, call.At, NotAnsweredOutcome.Unanswered);
        }
    }

    // The §1.10 reply that produces this decision in ConsentStateMachine.OnReply.
    private static PermissionReplyReceived? ReplyOf(PermissionDecision decision)
    {
        var automatic = decision.Source is PermissionSource.CallbackGrant or PermissionSource.AutomaticRevocation;
        var (response, permanent) = decision.Kind switch
        {
            PermissionDecisionKind.Permanent => (PermissionResponse.Accept, true),
            PermissionDecisionKind.Temporary => (PermissionResponse.Accept, false),
            PermissionDecisionKind.Declined or PermissionDecisionKind.Revoked => (PermissionResponse.Reject, false),
            _ => ((PermissionResponse?)null, false),
        };
        if (response is null)
        {
            return null;
        }

        // A user's revocation arrives without context; a decline answers our request and keeps it (§1.10).
        var context = decision.Kind == PermissionDecisionKind.Revoked && !automatic
            ? null
            : decision.ContextId ?? (decision.Kind == PermissionDecisionKind.Declined ? "replayed" : null);
        return new PermissionReplyReceived(
            decision.EventId, decision.DecidedAt, response.Value, permanent, decision.ExpiresAt,
            automatic ? ReplySource.Automatic : ReplySource.UserAction, context);
    }
}
