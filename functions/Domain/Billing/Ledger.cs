using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

public enum LedgerAppendOutcome
{
    /// <summary>New key: write the entry and the new balance together.</summary>
    Append,

    /// <summary>The same movement is already recorded (a retry); write nothing, answer as before.</summary>
    AlreadyRecorded,

    /// <summary>The key is taken by a different movement; write nothing and report it.</summary>
    Conflict,
}

public sealed record LedgerAppendDecision(LedgerAppendOutcome Outcome, Money BalanceAfter, LedgerEntry? Existing);

/// <summary>Entries whose key was already used by a different movement; they are not counted.</summary>
public sealed record LedgerConflict(LedgerEntry Recorded, LedgerEntry Rejected);

public sealed record LedgerReplay(Money Balance, int EntriesApplied, int RepeatsIgnored, IReadOnlyList<LedgerConflict> Conflicts)
{
    public bool Consistent => Conflicts.Count == 0;
}

/// <summary>
/// The pure rules of the prepaid ledger (issue 7): an entry is applied once per key, the balance is the sum of the
/// applied entries, and the balance can always be rebuilt from the entries. Storage and concurrency (ETags, one
/// partition per business account) belong to the store that calls these functions.
/// </summary>
public static class Ledger
{
    /// <summary>Decides what the store does with a candidate entry, given the entry (if any) already under its key.</summary>
    public static LedgerAppendDecision Decide(Money currentBalance, LedgerEntry? existingWithSameKey, LedgerEntry candidate)
    {
        ArgumentNullException.ThrowIfNull(candidate);
        if (existingWithSameKey is null)
        {
            return new LedgerAppendDecision(LedgerAppendOutcome.Append, currentBalance + candidate.Amount, null);
        }

        var outcome = existingWithSameKey.SameMovementAs(candidate) ? LedgerAppendOutcome.AlreadyRecorded : LedgerAppendOutcome.Conflict;
        return new LedgerAppendDecision(outcome, currentBalance, existingWithSameKey);
    }

    /// <summary>
    /// Rebuilds the balance from entries in any order: the first entry under a key counts (by time, then the given
    /// order), repeats are ignored and differing entries under a used key are reported as conflicts.
    /// </summary>
    public static LedgerReplay Rebuild(IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(entries);
        var applied = new Dictionary<string, LedgerEntry>(StringComparer.Ordinal);
        var conflicts = new List<LedgerConflict>();
        var balance = Money.Zero;
        var repeats = 0;
        foreach (var entry in entries.OrderBy(entry => entry.At))
        {
            var decision = Decide(balance, applied.GetValueOrDefault(entry.Key), entry);
            switch (decision.Outcome)
            {
                case LedgerAppendOutcome.Append:
                    applied.Add(entry.Key, entry);
                    balance = decision.BalanceAfter;
                    break;
                case LedgerAppendOutcome.AlreadyRecorded:
                    repeats++;
                    break;
                default:
                    conflicts.Add(new LedgerConflict(decision.Existing!, entry));
                    break;
            }
        }

        return new LedgerReplay(balance, applied.Count, repeats, conflicts);
    }
}
