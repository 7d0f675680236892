namespace TestSupport;

/// <summary>Polls a condition with a hang guard instead of sleeping and then asserting.</summary>
public static class Eventually
{
    public static async Task<T> UntilAsync<T>(
        Func<Task<T>> probe, Func<T, bool> done, TimeSpan timeout, string what, TimeSpan? interval = null)
    {
        ArgumentNullException.ThrowIfNull(probe);
        ArgumentNullException.ThrowIfNull(done);
        var deadline = DateTimeOffset.UtcNow + timeout;
        while (true)
        {
            var value = await probe();
            if (done(value))
                return value;
            if (DateTimeOffset.UtcNow > deadline)
                throw new TimeoutException($"Gave up after {timeout} waiting for {what}.");
            await Task.Delay(interval ?? TimeSpan.FromMilliseconds(100));
        }
    }
}
