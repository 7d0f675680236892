using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Calls.FollowUps;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Webhooks;
using DomainResponse = WhatsAppCalling.Domain.Consent.PermissionResponse;
using WebhookResponse = WhatsAppCalling.Domain.Webhooks.PermissionResponse;
using WhatsAppCalling.FunctionApp.Contacts;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// Feeds webhooks into the consent store, mapped as in functions/Domain/Consent/README.md ("Webhook → event"):
/// permission replies (§1.10), customer messages and calls for the window (§7.3), and business-initiated call
/// outcomes for the connected-call count and the unanswered streak (§1.7, §1.8, §3.5). It never calls Graph, so
/// stale events are recorded like fresh ones: a late fact is still a fact, and the state is order-independent.
/// </summary>
public sealed class ConsentEventHandler(
    ConsentStore store,
    ContactDirectory contacts,
    TeamNotifier team,
    TimeProvider time,
    ILogger<ConsentEventHandler> logger) : IWhatsAppEventHandler
{
    public const string HandlerName = "consent";

    public string Name => HandlerName;

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(context);
        var at = evt.Timestamp ?? context.ReceivedAt;
        if (ToConsentEvent(evt, at) is not { } consentEvent)
        {
            return;
        }

        if ((evt.BusinessNumberId ?? context.BusinessNumberId) is not { } number)
        {
            ConsentLog.Ignored(logger, evt.GetType().Name, "no business phone number id");
            return;
        }

        if (evt.ContactKey is not { } key)
        {
            ConsentLog.Ignored(logger, evt.GetType().Name, "the event names no usable BSUID or phone number");
            return;
        }

        if (key.IsBsuid && evt.Contact.Phone is { } phone)
        {
            // The timeline handler records the alias too, but handlers run in any order: this one must not depend on
            // it. Facts stored under the number before the BSUID was known join the BSUID's record.
            await contacts.RecordAsync(number, evt.Contact, ct);
            await store.AdoptAsync(number, ContactKey.ForPhone(phone), key, ct);
        }

        var contact = await contacts.ResolveAsync(number, key, ct);
        CallPermissionStatus? before = null;
        var stored = await store.UpdateAsync(number, contact, state =>
        {
            before = CallPermission.Of(state, at, store.Rules).Status;
            return store.Machine.Apply(state, consentEvent);
        }, ct);
        var permission = CallPermission.Of(stored.State, at, store.Rules);
        var status = permission.Status;
        ConsentLog.Applied(logger, consentEvent.GetType().Name, ConsentLog.Redact(contact), number.Value, status.ToString());

        // The agents answering this number update their "call" buttons (issue 8: "permission changed").
        if (before != status)
        {
            await team.NotifyNumberAsync(number, new PermissionChangedNotification(
                number.Value, FollowUpNotification.CustomerOf(contact), status.ToString(), permission.ExpiresAt) { At = time.GetUtcNow() }, ct);
        }
    }

    /// <summary>The consent fact a webhook carries, or null when it carries none.</summary>
    internal static ConsentEvent? ToConsentEvent(WhatsAppEvent evt, DateTimeOffset at) => evt switch
    {
        CallPermissionReply reply => ToReply(reply, at),
        InboundMessage message => new InboundMessageReceived(message.MessageId, at),
        CallConnected { Direction: CallDirection.UserInitiated } call => new UserCallReceived(call.CallId, at),
        CallStatusChanged { Status: CallStatus.Accepted } status => new BusinessCallConnected(status.CallId, at),
        CallStatusChanged { Status: CallStatus.Rejected } status =>
            new BusinessCallNotAnswered(status.CallId, at, NotAnsweredOutcome.Rejected),
        CallTerminated { Direction: CallDirection.UserInitiated } ended => ended.WasPickedUp
            ? new UserCallConnected(ended.CallId, at)
            : new UserCallReceived(ended.CallId, at),
        CallTerminated { Direction: CallDirection.BusinessInitiated } ended => ended.WasPickedUp
            ? new BusinessCallConnected(ended.CallId, ended.StartTime ?? at)
            : new BusinessCallNotAnswered(ended.CallId, at, NotAnsweredOutcome.Unanswered),
        _ => null,
    };

    // A reply whose response we cannot read decides nothing; it is still a customer message for the window.
    private static ConsentEvent ToReply(CallPermissionReply reply, DateTimeOffset at) => reply.Response switch
    {
        WebhookResponse.Accept or WebhookResponse.Reject => new PermissionReplyReceived(
            reply.MessageId,
            at,
            reply.Response == WebhookResponse.Accept ? DomainResponse.Accept : DomainResponse.Reject,
            reply.IsPermanent == true,
            reply.ExpiresAt,
            reply.Source == PermissionResponseSource.Automatic ? ReplySource.Automatic : ReplySource.UserAction,
            reply.ContextId),
        _ => new InboundMessageReceived(reply.MessageId, at),
    };
}
