using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Timeline;

/// <summary>
/// The first event handler: records each call and message event on the contact's timeline (and number-level
/// events on the number's own timeline), and links a BSUID to its phone number when both are present.
/// </summary>
public sealed class TimelineEventHandler(TimelineStore timeline, ContactDirectory contacts, BusinessNumbers numbers) : IWhatsAppEventHandler
{
    public string Name => "timeline";

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(evt);
        ArgumentNullException.ThrowIfNull(context);
        if (TimelineDescriber.Describe(evt) is not { } description)
        {
            return;
        }

        foreach (var number in numbers.EventTargets(evt.BusinessNumberId, evt.DisplayNumber))
        {
            await contacts.RecordAsync(number, evt.Contact, ct);
            var contactKey = evt.ContactKey?.Value ?? TimelineStore.BusinessScope;
            await timeline.WriteAsync(number, contactKey, evt.Timestamp, context.IdempotencyKey, description, ct);
        }
    }
}
