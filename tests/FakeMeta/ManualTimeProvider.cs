namespace FakeMeta;

/// <summary>
/// A clock that moves only when told to, so tests can cross Meta's 24-hour and 7-day windows instantly.
/// Timers are not simulated: code under test that waits on timers should take its delays from options.
/// </summary>
public sealed class ManualTimeProvider : TimeProvider
{
    private readonly object gate = new();
    private DateTimeOffset now;

    public ManualTimeProvider(DateTimeOffset start) => now = start;

    public ManualTimeProvider()
        : this(new DateTimeOffset(2026, 11, 2, 9, 0, 0, TimeSpan.Zero))
    {
    }

    public override DateTimeOffset GetUtcNow()
    {
        lock (gate)
        {
            return now;
        }
    }

    public void Advance(TimeSpan by)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(by, TimeSpan.Zero);
        lock (gate)
        {
            now += by;
        }
    }

    public void SetUtcNow(DateTimeOffset value)
    {
        lock (gate)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(value, now);
            now = value;
        }
    }
}
