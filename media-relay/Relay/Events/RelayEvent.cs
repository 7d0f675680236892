namespace MediaRelay.Events;

/// <summary>One event for the function app, in the wire shape of docs/RELAY-API.md, "Events".</summary>
public sealed record RelayEvent(
    string EventId, string Type, string SessionId, string? LegId, DateTimeOffset At, IReadOnlyDictionary<string, object> Data)
{
    public const string MediaConnected = "media_connected";
    public const string MediaLost = "media_lost";
    public const string Dtmf = "dtmf";
    public const string RecordingReady = "recording_ready";

    /// <summary>A new event with a fresh id; a redelivery reuses the record and therefore the id.</summary>
    public static RelayEvent Create(string type, string sessionId, string? legId, DateTimeOffset at, IReadOnlyDictionary<string, object> data) =>
        new(Guid.NewGuid().ToString("N"), type, sessionId, legId, at, data);
}

/// <summary>Where the sessions report what they see on the media; <see cref="RelayEventPublisher"/> posts them.</summary>
public interface IRelayEventPublisher
{
    void Publish(RelayEvent relayEvent);
}
