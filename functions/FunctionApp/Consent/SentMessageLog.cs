using System.Globalization;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Consent;

public enum SentMessagePurpose
{
    PermissionRequest,
    Other,
}

/// <summary>One message we sent a customer, as recorded in <see cref="SentMessageLog"/>.</summary>
public sealed record SentMessageRecord(
    BusinessNumberId BusinessNumber,
    ContactKey Contact,
    string MessageId,
    DateTimeOffset SentAt,
    SentMessageKind Kind,
    SentMessagePurpose Purpose,
    string? TemplateName,
    string? AgentId);

/// <summary>
/// Our log of messages sent to customers (issue 6: the template-reply rule is derived from it and the inbound
/// messages). Table <see cref="AppTables.SentMessages"/>: PK <c>{phoneNumberId}|{contactKey}</c>, RK
/// <c>{sentAt ticks:D19}|{messageId}</c>, so a customer's messages list oldest first. Rows are written once per
/// message id; a retry rewrites the same row.
/// </summary>
public sealed class SentMessageLog(AppStorage storage)
{
    public async Task RecordAsync(SentMessageRecord message, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(message);
        var table = await storage.TableAsync(AppTables.SentMessages, ct);
        var row = new TableEntity(PartitionKey(message.BusinessNumber, message.Contact), RowKey(message.SentAt, message.MessageId))
            .With("MessageId", message.MessageId)
            .With("SentAt", message.SentAt)
            .With("Kind", message.Kind.ToString())
            .With("Purpose", message.Purpose.ToString())
            .With("TemplateName", message.TemplateName)
            .With("AgentId", message.AgentId);
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, ct);
    }

    /// <summary>The messages sent to one customer on one business number, oldest first.</summary>
    public async Task<IReadOnlyList<SentMessageRecord>> ListAsync(BusinessNumberId number, ContactKey contact, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.SentMessages, ct);
        var list = new List<SentMessageRecord>();
        await foreach (var row in table.QueryAsync(TableFilter.PartitionKeyEquals(PartitionKey(number, contact)), ct))
        {
            list.Add(new SentMessageRecord(
                number,
                contact,
                row.GetString("MessageId") ?? "",
                row.GetDateTimeOffset("SentAt") ?? default,
                Enum.TryParse<SentMessageKind>(row.GetString("Kind"), out var kind) ? kind : SentMessageKind.FreeForm,
                Enum.TryParse<SentMessagePurpose>(row.GetString("Purpose"), out var purpose) ? purpose : SentMessagePurpose.Other,
                row.GetString("TemplateName"),
                row.GetString("AgentId")));
        }

        return list;
    }

    private static string PartitionKey(BusinessNumberId number, ContactKey contact) => $"{number.Value}|{contact.Value}";

    private static string RowKey(DateTimeOffset sentAt, string messageId) =>
        $"{sentAt.UtcTicks.ToString("D19", CultureInfo.InvariantCulture)}|{Uri.EscapeDataString(messageId)}";
}
