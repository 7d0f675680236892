using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// The media facts kept beside a call's state in its row, the same columns for inbound and placed calls: the agent's
/// muted leg and the recording the relay stored. The state writes of both stores carry these columns over unchanged.
/// </summary>
public static class CallMediaColumns
{
    private const string MutedColumn = "MutedLeg";
    private const string RecordingColumn = "RecordingUri";
    private const string RecordingTypeColumn = "RecordingContentType";
    private const string RecordingSecondsColumn = "RecordingDurationSeconds";
    private const string RecordingAtColumn = "RecordingAt";

    /// <summary>The columns to select for <see cref="Read"/>.</summary>
    public static IReadOnlyList<string> Names { get; } = [MutedColumn, RecordingColumn, RecordingTypeColumn, RecordingSecondsColumn, RecordingAtColumn];

    public static CallMedia Read(TableEntity? row)
    {
        if (row is null)
        {
            return CallMedia.None;
        }

        var recording = row.GetString(RecordingColumn) is { Length: > 0 } location && Uri.TryCreate(location, UriKind.Absolute, out var uri)
            ? new CallRecording(uri, row.GetString(RecordingTypeColumn) ?? "audio/ogg", row.GetDouble(RecordingSecondsColumn) ?? 0, row.GetDateTimeOffset(RecordingAtColumn) ?? default)
            : null;
        return new CallMedia(row.GetString(MutedColumn) is { Length: > 0 } leg ? leg : null, recording);
    }

    /// <summary>A merge of the recording's columns into the row (<paramref name="partitionKey"/>, <paramref name="rowKey"/>).</summary>
    public static TableEntity Recording(string partitionKey, string rowKey, CallRecording recording)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return new TableEntity(partitionKey, rowKey)
        {
            [RecordingColumn] = recording.Location.ToString(),
            [RecordingTypeColumn] = recording.ContentType,
            [RecordingSecondsColumn] = recording.DurationSeconds,
            [RecordingAtColumn] = recording.At,
        };
    }

    /// <summary>A merge setting the muted leg, or clearing it (<paramref name="mutedLeg"/> null).</summary>
    public static TableEntity Muted(string partitionKey, string rowKey, string? mutedLeg) =>
        new(partitionKey, rowKey) { [MutedColumn] = mutedLeg ?? string.Empty };
}
