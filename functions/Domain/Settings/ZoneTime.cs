namespace WhatsAppCalling.Domain.Settings;

/// <summary>Wall-clock to instant conversions that respect DST gaps and overlaps.</summary>
public static class ZoneTime
{
    /// <summary>
    /// The instants a local wall-clock time names: one normally, two in an autumn overlap (earlier first), and in a
    /// spring gap the instant the gap ends (the wall time never happens, so the first real moment after it stands in).
    /// </summary>
    public static IReadOnlyList<DateTimeOffset> InstantsOf(DateTime local, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsAmbiguousTime(local))
        {
            return [.. zone.GetAmbiguousTimeOffsets(local).Distinct().OrderByDescending(o => o).Select(o => new DateTimeOffset(local, o))];
        }

        if (zone.IsInvalidTime(local))
        {
            // Walk forward minute by minute to the first wall time that exists; gaps are at most a few hours.
            var probe = local;
            while (zone.IsInvalidTime(probe))
            {
                probe = probe.AddMinutes(1);
            }

            return [new DateTimeOffset(probe, zone.GetUtcOffset(probe))];
        }

        return [new DateTimeOffset(local, zone.GetUtcOffset(local))];
    }

    /// <summary>The instants in <c>(from, to]</c> at which the zone's UTC offset changes, to the minute.</summary>
    public static IEnumerable<DateTimeOffset> OffsetChanges(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        ArgumentNullException.ThrowIfNull(zone);
        var step = TimeSpan.FromHours(1);
        // Offsets change on whole minutes; starting on one keeps the narrowed instant exact.
        var previous = new DateTimeOffset(from.UtcTicks - from.UtcTicks % TimeSpan.TicksPerMinute, TimeSpan.Zero);
        var previousOffset = zone.GetUtcOffset(previous);
        for (var at = previous + step; at <= to + step; at += step)
        {
            var offset = zone.GetUtcOffset(at);
            if (offset != previousOffset)
            {
                // The change lies in (previous, at]: narrow it to the first minute with the new offset.
                long low = 0, high = (long)(at - previous).TotalMinutes;
                while (high - low > 1)
                {
                    var mid = (low + high) / 2;
                    if (zone.GetUtcOffset(previous.AddMinutes(mid)) == previousOffset)
                    {
                        low = mid;
                    }
                    else
                    {
                        high = mid;
                    }
                }

                var change = previous.AddMinutes(high);
                if (change <= to)
                {
                    yield return change.ToUniversalTime();
                }
            }

            previous = at;
            previousOffset = offset;
        }
    }
}
