using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>
/// A customer's callback request: with callback permission on, a customer who called gets Meta's automatic
/// temporary permission, sent as a <c>call_permission_reply</c> with <c>response_source: automatic</c> and the call's
/// wacid as context (whatsapp-calling-api.md §1.10, §1.11: there is no other "callback request" webhook). It
/// becomes a "callback requested" follow-up item (issue 8, Rules). Consent records the permission itself.
/// </summary>
public sealed class CallbackRequestHandler(
    FollowUpStore store, ContactDirectory contacts, TeamNotifier team, TimeProvider time, ILogger<CallbackRequestHandler> logger) : IWhatsAppEventHandler
{
    public string Name => "follow-ups";

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(context);
        if (evt is not CallPermissionReply { Response: PermissionResponse.Accept, Source: PermissionResponseSource.Automatic } grant)
        {
            return;
        }

        if ((evt.BusinessNumberId ?? context.BusinessNumberId) is not { } number || evt.ContactKey is not { } key)
        {
            logger.LogWarning("Automatic permission grant {MessageId} names no business number or customer: no callback item", grant.MessageId);
            return;
        }

        var keys = await contacts.AllKeysAsync(number, key, ct);
        var at = evt.Timestamp ?? context.ReceivedAt;
        var change = await store.RequestCallbackAsync(number, key, keys, grant.ContextCallId, grant.MessageId, at, grant.ExpiresAt, ct);
        logger.LogInformation("Call {CallId}: callback requested, follow-up {FollowUpId} (listed: {Visible}, changed: {Changed})",
            change.After?.Request.MissedCall?.Value ?? "none", change.After?.Id, change.After?.Visible, change.Changed);
        if (change.IsNews)
        {
            await team.NotifyNumberAsync(number, FollowUpNotification.Of(change.After!, time.GetUtcNow()), ct);
        }
    }
}
