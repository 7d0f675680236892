using System.Collections.Frozen;
using System.Text.Json;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// Turns one <see cref="WebhookChange"/> into typed events, one per item of its arrays (<c>calls</c>,
/// <c>statuses</c> and <c>messages</c> are arrays: whatsapp-calling-api.md §1.1). Never throws: an unreadable item
/// becomes an <see cref="InvalidEvent"/>, an unknown field an <see cref="UnknownChangeEvent"/> (§1.12).
/// </summary>
public static class WhatsAppEventParser
{
    private static readonly FrozenSet<string> KnownCallsValue = FrozenSet.Create(
        StringComparer.Ordinal, "messaging_product", "metadata", "contacts", "calls", "statuses", "errors");

    private static readonly FrozenSet<string> KnownMessagesValue = FrozenSet.Create(
        StringComparer.Ordinal, "messaging_product", "metadata", "contacts", "messages", "statuses", "errors");

    /// <summary>Every event of a delivery, change by change (tests and tools; the processor parses one change).</summary>
    public static IReadOnlyList<WhatsAppEvent> Parse(WebhookEnvelope envelope)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        return [.. envelope.Changes.SelectMany(Parse)];
    }

    public static IReadOnlyList<WhatsAppEvent> Parse(WebhookChange change)
    {
        ArgumentNullException.ThrowIfNull(change);
        var events = new List<WhatsAppEvent>();
        try
        {
            if (change.Value.ValueKind != JsonValueKind.Object)
            {
                events.Add(Invalid(change, "the change has no value object", "value"));
                return events;
            }

            switch (change.Field)
            {
                case "calls":
                {
                    var context = new ChangeContext(change, KnownCallsValue);
                    CallEventReader.ReadCalls(context, events);
                    StatusReader.Read(context, events);
                    break;
                }

                case "messages":
                {
                    var context = new ChangeContext(change, KnownMessagesValue);
                    MessageReader.Read(context, events);
                    StatusReader.Read(context, events);
                    break;
                }

                case "account_settings_update":
                    events.Add(AccountEventReader.ReadSettings(change));
                    break;

                case "account_update":
                    events.Add(AccountEventReader.ReadAccountUpdate(change));
                    break;

                default:
                    events.Add(new UnknownChangeEvent(Header(change), change.Field, change.Value));
                    break;
            }
        }
        catch (Exception ex) when (IsReadFailure(ex))
        {
            // Readers guard each item already; this only catches a failure in the shared parts of the change.
            events.Add(Invalid(change, ex.Message, "value"));
        }

        return events;
    }

    /// <summary>Exceptions a malformed JSON shape can provoke in a reader; anything else is a bug and propagates.</summary>
    internal static bool IsReadFailure(Exception ex) =>
        ex is InvalidOperationException or FormatException or ArgumentException or OverflowException or KeyNotFoundException;

    internal static EventHeader Header(WebhookChange change, int itemIndex = 0) =>
        new(change.Field, change.WabaId, null, null, change.EntryTime, WebhookContact.None, [], change.EntryIndex, change.ChangeIndex, itemIndex);

    private static InvalidEvent Invalid(WebhookChange change, string reason, string path) =>
        new(Header(change), reason, path, change.Value);
}
