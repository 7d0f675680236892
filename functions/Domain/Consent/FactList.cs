using System.Collections.Immutable;

namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// Sorted, de-duplicated lists of timed facts. Every trimming rule here drops a fact only for a reason that stays
/// true when more facts arrive (older than a horizon that only moves forward, or outside the newest/oldest N), so
/// trimming after each event gives the same list as trimming once after all of them, in any order.
/// </summary>
internal static class FactList
{
    public static int Compare(DateTimeOffset a, string aId, DateTimeOffset b, string bId)
    {
        var byTime = a.CompareTo(b);
        return byTime != 0 ? byTime : string.CompareOrdinal(aId, bId);
    }

    /// <summary>
    /// Inserts in (time, id) order. A fact whose id is present is a redelivery; the later copy is kept, because
    /// "the newest time per id" is the one choice that trimming to a forward-moving horizon cannot make order-dependent.
    /// </summary>
    public static ImmutableArray<T> Insert<T>(
        ImmutableArray<T> list, T item, Func<T, DateTimeOffset> at, Func<T, string> id)
    {
        var itemId = id(item);
        for (var i = 0; i < list.Length; i++)
        {
            if (string.Equals(id(list[i]), itemId, StringComparison.Ordinal))
            {
                return at(item) > at(list[i]) ? Insert(list.RemoveAt(i), item, at, id) : list;
            }
        }

        var index = 0;
        while (index < list.Length && Compare(at(list[index]), id(list[index]), at(item), itemId) < 0)
        {
            index++;
        }

        return list.Insert(index, item);
    }

    /// <summary>Drops facts at or before <paramref name="horizon"/>, optionally keeping the newest one regardless.</summary>
    public static ImmutableArray<T> DropUpTo<T>(
        ImmutableArray<T> list, DateTimeOffset horizon, Func<T, DateTimeOffset> at, bool keepNewest = false)
    {
        var kept = list.RemoveAll(item => at(item) <= horizon);
        if (keepNewest && kept.IsEmpty && !list.IsEmpty)
        {
            kept = [list[^1]];
        }

        return kept.Length == list.Length ? list : kept;
    }

    public static ImmutableArray<T> KeepNewest<T>(ImmutableArray<T> list, int count) =>
        list.Length <= count ? list : list.RemoveRange(0, list.Length - count);

    public static ImmutableArray<T> KeepOldest<T>(ImmutableArray<T> list, int count) =>
        list.Length <= count ? list : list.RemoveRange(count, list.Length - count);

    public static DateTimeOffset? Max(DateTimeOffset? a, DateTimeOffset? b) =>
        a is null ? b : b is null ? a : a > b ? a : b;
}
