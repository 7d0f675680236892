using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Contacts;

/// <summary>
/// Links a customer's WhatsApp number to their BSUID when a webhook carries both (architecture.md, "Identity and
/// storage"): alias rows PK <c>{phoneNumberId}</c>, RK <c>wa:{digits}</c>, property <c>Bsuid</c>. Lookups by either
/// form then reach the same contact.
/// </summary>
public sealed class ContactDirectory(AppStorage storage)
{
    public const string BsuidProperty = "Bsuid";

    public async Task RecordAsync(BusinessNumberId number, WebhookContact contact, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(contact);
        if (contact.Phone is not { } phone || string.IsNullOrEmpty(contact.Bsuid) || ContactKey.From(contact.Bsuid, null) is not { } bsuidKey)
        {
            return;
        }

        var table = await storage.TableAsync(AppTables.ContactAliases, ct);
        await table.UpsertEntityAsync(
            new TableEntity(number.Value, ContactKey.ForPhone(phone).Value).With(BsuidProperty, bsuidKey.Value), TableUpdateMode.Replace, ct);
    }

    /// <summary>The canonical key: the BSUID when the number has one on record.</summary>
    public async Task<ContactKey> ResolveAsync(BusinessNumberId number, ContactKey key, CancellationToken ct)
    {
        if (key.IsBsuid)
        {
            return key;
        }

        var table = await storage.TableAsync(AppTables.ContactAliases, ct);
        var alias = await table.GetEntityIfExistsAsync(number.Value, key.Value, ct: ct);
        return alias?.GetString(BsuidProperty) is { } bsuid && ContactKey.From(bsuid, null) is { } resolved ? resolved : key;
    }

    /// <summary>Every key the contact's records may be stored under: the canonical key and its phone aliases.</summary>
    public async Task<IReadOnlyList<ContactKey>> AllKeysAsync(BusinessNumberId number, ContactKey key, CancellationToken ct)
    {
        var canonical = await ResolveAsync(number, key, ct);
        var keys = new List<ContactKey> { canonical };
        if (!key.Equals(canonical))
        {
            keys.Add(key);
        }

        if (canonical.IsBsuid)
        {
            var table = await storage.TableAsync(AppTables.ContactAliases, ct);
            var filter = TableFilter.PartitionKeyEquals(number.Value).And(TableFilter.Compare(BsuidProperty, TableOperator.Equal, canonical.Value));
            await foreach (var alias in table.QueryAsync(filter, ct))
            {
                if (ContactKey.TryParse(alias.RowKey, out var phoneKey) && !keys.Contains(phoneKey))
                {
                    keys.Add(phoneKey);
                }
            }
        }

        return keys;
    }
}
