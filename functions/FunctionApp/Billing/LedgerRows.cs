using System.Globalization;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>A ledger entry as stored: its place in the account's history and the balance right after it.</summary>
public sealed record LedgerRecord(LedgerEntry Entry, long Sequence, Money BalanceAfter);

/// <summary>The stored balance of one business account and how many entries it sums.</summary>
public sealed record LedgerBalance(string WabaId, Money Balance, long Entries, DateTimeOffset? UpdatedAt);

/// <summary>Month-to-date billed minutes to one market: volume tiers count per calendar month (whatsapp-calling-api.md §6.1).</summary>
public sealed record VolumeBucket(DateOnly BillingDate, Market Market)
{
    public string Month => BillingDate.ToString("yyyy-MM", CultureInfo.InvariantCulture);
}

/// <summary>
/// Row layout of the <c>Ledger</c> table, one partition per WABA (docs/BILLING.md, "Ledger storage"):
/// <c>balance</c>; <c>entry|&lt;ledger key&gt;</c> (the idempotency guard); <c>seq|&lt;inverted sequence&gt;</c> (a copy
/// for newest-first paging); <c>volume|yyyy-MM|&lt;market&gt;</c>. Amounts are invariant decimal strings, never doubles.
/// </summary>
internal static class LedgerRows
{
    public const string BalanceRowKey = "balance";
    public const string EntryPrefix = "entry|";
    public const string SequencePrefix = "seq|";
    public const string VolumePrefix = "volume|";

    public static string EntryRowKey(string ledgerKey) => EntryPrefix + ledgerKey;

    // Inverted so that an ascending RowKey scan returns the newest entry first.
    public static string SequenceRowKey(long sequence) =>
        SequencePrefix + (long.MaxValue - sequence).ToString("D19", CultureInfo.InvariantCulture);

    public static string VolumeRowKey(VolumeBucket bucket) => $"{VolumePrefix}{bucket.Month}|{bucket.Market.Name}";

    public static TableEntity ToRow(string wabaId, string rowKey, LedgerRecord record)
    {
        var entry = record.Entry;
        var row = new TableEntity(wabaId, rowKey)
            .With("Key", entry.Key)
            .With("Kind", entry.Kind.ToString())
            .With("AmountUsd", entry.Amount.Usd)
            .With("At", entry.At)
            .With("Actor", entry.Actor)
            .With("Reason", entry.Reason)
            .With("Sequence", record.Sequence)
            .With("BalanceAfterUsd", record.BalanceAfter.Usd)
            .With("CallId", entry.CallId?.Value);
        if (entry.Charge is { } charge)
        {
            row.With("Pulses", charge.Pulses)
                .With("PerMinuteUsd", charge.PerMinuteRate.Usd)
                .With("CostUsd", charge.Cost.Usd)
                .With("TierFromMinutes", charge.TierFromMinutes)
                .With("Market", charge.Market.Name)
                .With("PricedAs", charge.PricedAs.Name)
                .With("RateCardId", charge.RateCardId)
                .With("Estimated", charge.IsEstimated);
        }

        return row;
    }

    public static LedgerRecord ToRecord(TableEntity row)
    {
        CallCharge? charge = null;
        if (row.GetInt64("Pulses") is { } pulses)
        {
            charge = new CallCharge(
                pulses,
                new Money(Decimal(row, "PerMinuteUsd")),
                new Money(Decimal(row, "CostUsd")),
                Decimal(row, "TierFromMinutes"),
                Market.Parse(row.GetString("Market") ?? Market.Other.Name),
                Market.Parse(row.GetString("PricedAs") ?? Market.Other.Name),
                row.GetString("RateCardId") ?? string.Empty,
                row.GetBoolean("Estimated") ?? false);
        }

        var entry = new LedgerEntry(
            row.GetString("Key") ?? throw Corrupt(row, "Key"),
            Enum.Parse<LedgerEntryKind>(row.GetString("Kind") ?? throw Corrupt(row, "Kind")),
            new Money(Decimal(row, "AmountUsd")),
            row.GetDateTimeOffset("At") ?? throw Corrupt(row, "At"),
            row.GetString("Actor") ?? string.Empty,
            row.GetString("Reason") ?? string.Empty,
            row.GetString("CallId") is { } callId ? new CallId(callId) : null,
            charge);
        return new LedgerRecord(entry, row.GetInt64("Sequence") ?? 0, new Money(Decimal(row, "BalanceAfterUsd")));
    }

    public static TableEntity BalanceRow(string wabaId, Money balance, long sequence, DateTimeOffset updatedAt, string? lastKey) =>
        new TableEntity(wabaId, BalanceRowKey)
            .With("BalanceUsd", balance.Usd)
            .With("Sequence", sequence)
            .With("UpdatedAt", updatedAt)
            .With("LastEntryKey", lastKey);

    public static LedgerBalance ToBalance(string wabaId, TableEntity? row) => row is null
        ? new LedgerBalance(wabaId, Money.Zero, 0, null)
        : new LedgerBalance(wabaId, new Money(Decimal(row, "BalanceUsd")), row.GetInt64("Sequence") ?? 0, row.GetDateTimeOffset("UpdatedAt"));

    public static TableEntity VolumeRow(string wabaId, VolumeBucket bucket, decimal billedMinutes) =>
        new TableEntity(wabaId, VolumeRowKey(bucket))
            .With("Month", bucket.Month)
            .With("Market", bucket.Market.Name)
            .With("BilledMinutes", billedMinutes);

    public static decimal BilledMinutes(TableEntity? volumeRow) => volumeRow?.GetDecimal("BilledMinutes") ?? 0m;

    private static decimal Decimal(TableEntity row, string name) => row.GetDecimal(name) ?? throw Corrupt(row, name);

    private static InvalidOperationException Corrupt(TableEntity row, string name) =>
        new($"Ledger row ({row.PartitionKey}, {row.RowKey}) has no {name}.");
}
