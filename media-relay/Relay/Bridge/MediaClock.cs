using MediaRelay.Sessions;

namespace MediaRelay.Bridge;

/// <summary>
/// The relay's single 20 ms clock (no per-call timers, webrtc-relay.md §0.7 and §8): drives silence toward Meta
/// and the periodic RTCP sender reports of every session.
/// </summary>
internal sealed partial class MediaClock(SessionRegistry sessions, TimeProvider time, ILogger<MediaClock> logger) : BackgroundService
{
    private static readonly TimeSpan Period = TimeSpan.FromMilliseconds(20);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(Period, time);
        try
        {
            while (await timer.WaitForNextTickAsync(stoppingToken))
            {
                try
                {
                    sessions.Tick();
                }
                catch (Exception ex) when (ex is not OutOfMemoryException)
                {
                    LogTickFailed(logger, ex);
                }
            }
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Media clock tick failed")]
    private static partial void LogTickFailed(ILogger logger, Exception exception);
}
