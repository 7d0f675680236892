using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// The media facts kept beside a call's state in its row (RK <paramref name="rowKey"/>: <c>inbound</c> or
/// <c>outbound</c>), the same columns in both directions: the agent's muted leg and the recording the relay stored.
/// They are merged in on their own; the state writes carry them over unchanged (<see cref="CallRowWrites.StateRow"/>).
/// </summary>
public sealed class CallMediaRow(AppStorage storage, string rowKey)
{
    private const string MutedColumn = "MutedLeg";
    private const string RecordingColumn = "RecordingUri";
    private const string RecordingTypeColumn = "RecordingContentType";
    private const string RecordingSecondsColumn = "RecordingDurationSeconds";
    private const string RecordingAtColumn = "RecordingAt";

    private static readonly string[] Names = [MutedColumn, RecordingColumn, RecordingTypeColumn, RecordingSecondsColumn, RecordingAtColumn];

    /// <summary>What the relay reported or the agent set on the call's media (not part of the machine's state).</summary>
    public async Task<CallMedia> GetAsync(CallId callId, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        var row = await table.GetEntityIfExistsAsync(callId.Value, rowKey, Names, ct);
        if (row is null)
        {
            return CallMedia.None;
        }

        var recording = row.GetString(RecordingColumn) is { Length: > 0 } location && Uri.TryCreate(location, UriKind.Absolute, out var uri)
            ? new CallRecording(uri, row.GetString(RecordingTypeColumn) ?? "audio/ogg", row.GetDouble(RecordingSecondsColumn) ?? 0, row.GetDateTimeOffset(RecordingAtColumn) ?? default)
            : null;
        return new CallMedia(row.GetString(MutedColumn) is { Length: > 0 } leg ? leg : null, recording);
    }

    /// <summary>The relay stored the call's recording (<c>recording_ready</c>); a repeat writes the same values.</summary>
    public Task SaveRecordingAsync(CallId callId, CallRecording recording, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(recording);
        return MergeAsync(new TableEntity(callId.Value, rowKey)
        {
            [RecordingColumn] = recording.Location.ToString(),
            [RecordingTypeColumn] = recording.ContentType,
            [RecordingSecondsColumn] = recording.DurationSeconds,
            [RecordingAtColumn] = recording.At,
        }, ct);
    }

    /// <summary>The leg now muted at the relay, or none (<paramref name="mutedLeg"/> null).</summary>
    public Task SaveMutedLegAsync(CallId callId, string? mutedLeg, CancellationToken ct) =>
        MergeAsync(new TableEntity(callId.Value, rowKey) { [MutedColumn] = mutedLeg ?? string.Empty }, ct);

    private async Task MergeAsync(TableEntity columns, CancellationToken ct)
    {
        var table = await storage.TableAsync(AppTables.Calls, ct);
        await table.UpdateEntityAsync(columns, TableClient.AnyETag, TableUpdateMode.Merge, ct);
    }
}
