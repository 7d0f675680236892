using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// Phone → BSUID aliases (architecture.md "Identity and storage"): when a webhook or a Graph answer carries both,
/// a row links the number to the BSUID, and a later look-up by either resolves to the same contact key (the BSUID).
/// Row layout shared with the timeline handler (<see cref="AppTables.ContactAliases"/>): PK phone number id,
/// RK <c>wa:&lt;digits&gt;</c>, property <c>Bsuid</c>; writes merge, so either writer may come first.
/// </summary>
public sealed class ContactAliases(AppStorage storage, ILogger<ContactAliases> logger)
{
    public const string BsuidProperty = "Bsuid";

    /// <summary>The contact key to store facts under: the BSUID when the number has one on record.</summary>
    public async Task<ContactKey> ResolveAsync(BusinessNumberId number, ContactKey key, CancellationToken ct)
    {
        if (key.IsBsuid)
        {
            return key;
        }

        var table = await storage.TableAsync(AppTables.ContactAliases, ct);
        var row = await table.GetEntityIfExistsAsync(number.Value, key.Value, [BsuidProperty], ct);
        return row?.GetString(BsuidProperty) is { } bsuid && ContactKey.TryParse(bsuid, out var linked) && linked.IsBsuid
            ? linked
            : key;
    }

    /// <summary>Records that <paramref name="phone"/> belongs to <paramref name="bsuid"/> on this business number.</summary>
    public async Task LinkAsync(BusinessNumberId number, PhoneNumber phone, ContactKey bsuid, CancellationToken ct)
    {
        if (!bsuid.IsBsuid)
        {
            throw new ArgumentException($"'{bsuid}' is not a BSUID.", nameof(bsuid));
        }

        var phoneKey = ContactKey.ForPhone(phone);
        var table = await storage.TableAsync(AppTables.ContactAliases, ct);
        var existing = await table.GetEntityIfExistsAsync(number.Value, phoneKey.Value, [BsuidProperty], ct);
        if (string.Equals(existing?.GetString(BsuidProperty), bsuid.Value, StringComparison.Ordinal))
        {
            return;
        }

        await table.UpsertEntityAsync(
            new TableEntity(number.Value, phoneKey.Value).With(BsuidProperty, bsuid.Value), TableUpdateMode.Merge, ct);
        ConsentLog.AliasLinked(logger, number.Value, bsuid.Value);
    }
}
