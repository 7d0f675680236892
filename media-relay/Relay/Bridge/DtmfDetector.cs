// RFC 4733 §2.5.1 (one event = one RTP timestamp; updates carry a growing duration; the end packet, E bit set, is
// sent three times with new sequence numbers) and §2.5.2.2 (a receiver that misses the end still ends the event
// when the next event or audio arrives; here after 100 ms of audio, in case a sender keeps audio going under a press).
using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.Bridge;

/// <summary>A key the customer pressed and how long it was held.</summary>
internal readonly record struct DtmfDigit(char Digit, int DurationMs);

/// <summary>
/// Turns the customer's telephone-event packets into one <see cref="DtmfDigit"/> per key press. Not thread-safe:
/// fed from the Meta leg's receive loop only.
/// </summary>
internal sealed class DtmfDetector(int clockRate)
{
    private uint? _pendingTimestamp;
    private TelephoneEvent _pending;
    private uint? _reportedTimestamp;
    private int _audioWhilePending;

    /// <summary>Audio frames (20 ms) after which a press that never sent its end is over.</summary>
    public const int AudioFramesEndingAPress = 5;

    /// <summary>A telephone-event packet; calls <paramref name="pressed"/> for each key press it completes.</summary>
    public void OnEvent(uint timestamp, ReadOnlySpan<byte> payload, Action<DtmfDigit> pressed)
    {
        if (!TelephoneEvent.TryParse(payload, out var telephoneEvent) || telephoneEvent.Digit is null || timestamp == _reportedTimestamp)
        {
            return; // not a key, or a repeated end packet / late update of a press already reported
        }

        if (_pendingTimestamp is { } pending && pending != timestamp)
        {
            Report(pending, pressed); // the previous press lost all its end packets
        }

        _pendingTimestamp = timestamp;
        _pending = telephoneEvent;
        _audioWhilePending = 0;
        if (telephoneEvent.End)
        {
            Report(timestamp, pressed);
        }
    }

    /// <summary>An audio packet: after <see cref="AudioFramesEndingAPress"/> of them a press still open lost its end packets.</summary>
    public void OnAudio(Action<DtmfDigit> pressed)
    {
        if (_pendingTimestamp is { } pending && ++_audioWhilePending >= AudioFramesEndingAPress)
        {
            Report(pending, pressed);
        }
    }

    private void Report(uint timestamp, Action<DtmfDigit> pressed)
    {
        _reportedTimestamp = timestamp;
        _pendingTimestamp = null;
        pressed(new DtmfDigit(_pending.Digit!.Value, (int)Math.Round(_pending.Duration * 1000.0 / clockRate)));
    }
}
