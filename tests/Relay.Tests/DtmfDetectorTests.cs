using MediaRelay.Bridge;

namespace MediaRelay.Tests;

public sealed class DtmfDetectorTests
{
    private readonly List<DtmfDigit> _pressed = [];
    private readonly DtmfDetector _detector = new(8000);

    [Fact]
    public void A_press_is_reported_once_at_its_first_end_packet_and_the_repeated_ends_are_ignored()
    {
        Event(1000, key: 7, end: false, duration: 160);
        Event(1000, key: 7, end: false, duration: 320);
        Assert.Empty(_pressed);
        Event(1000, key: 7, end: true, duration: 800);
        Event(1000, key: 7, end: true, duration: 800);
        Event(1000, key: 7, end: true, duration: 800);

        Assert.Equal([new DtmfDigit('7', 100)], _pressed);
    }

    [Fact]
    public void The_same_key_pressed_twice_is_two_presses_told_apart_by_the_timestamp()
    {
        Event(1000, key: 11, end: true, duration: 400);
        Event(9000, key: 11, end: true, duration: 400);

        Assert.Equal([new DtmfDigit('#', 50), new DtmfDigit('#', 50)], _pressed);
    }

    [Fact]
    public void A_press_whose_end_packets_were_all_lost_is_reported_when_the_next_press_starts()
    {
        Event(1000, key: 10, end: false, duration: 480);
        Event(5000, key: 12, end: false, duration: 160);

        Assert.Equal([new DtmfDigit('*', 60)], _pressed);
    }

    [Fact]
    public void A_press_whose_end_packets_were_all_lost_is_reported_after_100_ms_of_audio()
    {
        Event(1000, key: 3, end: false, duration: 320);
        for (int i = 1; i < DtmfDetector.AudioFramesEndingAPress; i++)
        {
            _detector.OnAudio(_pressed.Add);
        }

        Assert.Empty(_pressed);
        _detector.OnAudio(_pressed.Add);
        _detector.OnAudio(_pressed.Add);

        Assert.Equal([new DtmfDigit('3', 40)], _pressed);
    }

    [Fact]
    public void Events_that_are_not_keys_and_truncated_payloads_are_ignored()
    {
        Event(1000, key: 16, end: true, duration: 800); // flash
        _detector.OnEvent(2000, [5, 0x80, 0], _pressed.Add);

        Assert.Empty(_pressed);
    }

    private void Event(uint timestamp, byte key, bool end, ushort duration) =>
        _detector.OnEvent(timestamp, [key, (byte)(end ? 0x8A : 0x0A), (byte)(duration >> 8), (byte)duration], _pressed.Add);
}
