using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using FsCheck;
using FsCheck.Fluent;
using static WhatsAppCalling.Domain.Tests.Billing.BillingTestData;

namespace WhatsAppCalling.Domain.Tests.Billing;

public sealed class LedgerTests
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 22, 9, 0, 0, TimeSpan.Zero);

    private static LedgerEntry TopUp(string key, decimal usd, int minute = 0) =>
        LedgerEntry.TopUp(key, Usd(usd), T0.AddMinutes(minute), "admin-1", "invoice 42");

    private static LedgerEntry CallDebit(string callId, long seconds, int minute = 1) =>
        LedgerEntry.ForCall(new CallId(callId), Book.Quote(Number("+919812345678"), Today).PriceFor(seconds), T0.AddMinutes(minute), "webhook", "terminate of a connected business-initiated call");

    [Fact]
    public void A_call_debit_subtracts_the_exact_call_cost()
    {
        var entry = CallDebit("wacid.A", 61);
        Assert.Equal((LedgerEntryKind.CallDebit, -0.00583m, "call:wacid.A"), (entry.Kind, entry.Amount.Usd, entry.Key));
    }

    [Fact]
    public void The_balance_is_rebuilt_as_the_sum_of_the_entries()
    {
        var replay = Ledger.Rebuild([TopUp("t1", 20m), CallDebit("wacid.A", 56), LedgerEntry.Adjustment("fix-1", Usd(-1.5m), T0.AddMinutes(2), "admin-1", "duplicate top-up refunded")]);
        Assert.Equal((18.4947m, 3), (replay.Balance.Usd, replay.EntriesApplied));
    }

    [Fact]
    public void A_repeated_terminate_for_the_same_call_is_charged_once()
    {
        var replay = Ledger.Rebuild([TopUp("t1", 20m), CallDebit("wacid.A", 56, minute: 1), CallDebit("wacid.A", 56, minute: 5)]);
        Assert.Equal((19.9947m, 1, true), (replay.Balance.Usd, replay.RepeatsIgnored, replay.Consistent));
    }

    [Fact]
    public void A_different_charge_under_a_used_call_id_is_a_conflict_and_is_not_counted()
    {
        var replay = Ledger.Rebuild([TopUp("t1", 20m), CallDebit("wacid.A", 56), CallDebit("wacid.A", 600, minute: 2)]);
        Assert.Equal(19.9947m, replay.Balance.Usd);
        Assert.Equal(-0.053m, Assert.Single(replay.Conflicts).Rejected.Amount.Usd);
    }

    [Fact]
    public void The_store_appends_a_new_entry_and_skips_a_retried_top_up()
    {
        var first = Ledger.Decide(Usd(5m), null, TopUp("t1", 20m));
        var retry = Ledger.Decide(first.BalanceAfter, TopUp("t1", 20m), TopUp("t1", 20m, minute: 9));
        Assert.Equal((LedgerAppendOutcome.Append, 25m), (first.Outcome, first.BalanceAfter.Usd));
        Assert.Equal((LedgerAppendOutcome.AlreadyRecorded, 25m), (retry.Outcome, retry.BalanceAfter.Usd));
    }

    [Fact]
    public void Every_entry_says_who_and_why()
    {
        Assert.Throws<ArgumentException>(() => LedgerEntry.TopUp("t1", Usd(5m), T0, "", "reason"));
        Assert.Throws<ArgumentException>(() => LedgerEntry.Adjustment("a1", Usd(5m), T0, "admin-1", " "));
    }

    [Fact]
    public void Top_ups_must_be_positive_and_adjustments_non_zero()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => TopUp("t1", 0m));
        Assert.Throws<ArgumentOutOfRangeException>(() => LedgerEntry.Adjustment("a1", Money.Zero, T0, "admin-1", "nothing"));
    }

    [Fact]
    public void Rebuilding_does_not_depend_on_the_order_or_repetition_of_entries() =>
        Prop.ForAll(
            Gen.Shuffle(Enumerable.Range(0, 12).ToArray()).ToArbitrary(),
            order =>
            {
                var entries = Enumerable.Range(0, 6).Select(i => TopUp($"t{i}", 1.25m * (i + 1), i))
                    .Concat(Enumerable.Range(0, 6).Select(i => CallDebit($"wacid.{i}", 7 * (i + 1), i)))
                    .ToArray();
                var shuffled = order.Select(i => entries[i]).Concat(order.Take(4).Select(i => entries[i]));
                return Ledger.Rebuild(shuffled).Balance == Ledger.Rebuild(entries).Balance;
            }).QuickCheckThrowOnFailure();
}
