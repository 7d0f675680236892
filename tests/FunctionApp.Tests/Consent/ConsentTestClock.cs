namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>
/// A hand-set wall clock whose timers run in real time. The Graph client's timeouts create timers from the app's
/// TimeProvider, which TestSupport.ManualTimeProvider refuses; consent only needs "now" to jump.
/// </summary>
internal sealed class ConsentTestClock(DateTimeOffset start) : TimeProvider
{
    private readonly Lock _gate = new();
    private DateTimeOffset _now = start;

    public override DateTimeOffset GetUtcNow()
    {
        lock (_gate)
        {
            return _now;
        }
    }

    public void Advance(TimeSpan by)
    {
        lock (_gate)
        {
            _now += by;
        }
    }

    public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period) =>
        System.CreateTimer(callback, state, dueTime, period);
}
