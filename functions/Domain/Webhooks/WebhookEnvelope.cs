using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>What makes a body not a WhatsApp webhook delivery: the JSON path at fault and why.</summary>
public sealed record WebhookEnvelopeError(string Path, string Reason)
{
    public override string ToString() => $"{Path}: {Reason}";
}

/// <summary>
/// One <c>entry[].changes[]</c> item of a delivery: the unit the ingest enqueues and the parser reads
/// (whatsapp-calling-api.md §1.1). <see cref="Value"/> does not depend on any disposable document.
/// </summary>
public sealed record WebhookChange(
    int EntryIndex,
    int ChangeIndex,
    string? WabaId,
    DateTimeOffset? EntryTime,
    string Field,
    JsonElement Value);

/// <summary>
/// A validated delivery: <c>object == "whatsapp_business_account"</c> with <c>entry[].changes[]</c>
/// (whatsapp-calling-api.md §1.1). Only the frame is checked here; a malformed change is still listed so that the
/// parser can report it as an <see cref="InvalidEvent"/> instead of the whole signed delivery being refused.
/// </summary>
public sealed record WebhookEnvelope(IReadOnlyList<WebhookChange> Changes)
{
    public const string WhatsAppBusinessAccount = "whatsapp_business_account";

    // A body nested deeper than this is refused as malformed instead of being walked.
    private static readonly JsonReaderOptions ReaderOptions = new() { MaxDepth = 64 };

    public static bool TryParse(
        ReadOnlySpan<byte> utf8Json,
        [NotNullWhen(true)] out WebhookEnvelope? envelope,
        [NotNullWhen(false)] out WebhookEnvelopeError? error)
    {
        envelope = null;
        if (!TryReadRoot(utf8Json, out var root, out error))
        {
            return false;
        }

        if (root.ValueKind != JsonValueKind.Object)
        {
            error = new WebhookEnvelopeError("$", "the body is not a JSON object");
            return false;
        }

        var kind = JsonFields.TryGet(root, "object", out var objectValue) && objectValue.ValueKind == JsonValueKind.String
            ? objectValue.GetString()
            : null;
        if (kind != WhatsAppBusinessAccount)
        {
            error = new WebhookEnvelopeError("$.object", $"must be \"{WhatsAppBusinessAccount}\"");
            return false;
        }

        if (JsonFields.Array(root, "entry") is not { } entries)
        {
            error = new WebhookEnvelopeError("$.entry", "must be an array");
            return false;
        }

        var changes = new List<WebhookChange>();
        var entryIndex = 0;
        foreach (var entry in entries.EnumerateArray())
        {
            if (!TryReadEntry(entry, entryIndex, changes, out error))
            {
                return false;
            }

            entryIndex++;
        }

        if (entryIndex == 0)
        {
            error = new WebhookEnvelopeError("$.entry", "must not be empty");
            return false;
        }

        envelope = new WebhookEnvelope(changes);
        error = null;
        return true;
    }

    /// <summary>The change a work item points at, after the processor re-reads the stored body.</summary>
    public bool TryGetChange(int entryIndex, int changeIndex, [NotNullWhen(true)] out WebhookChange? change)
    {
        change = Changes.FirstOrDefault(c => c.EntryIndex == entryIndex && c.ChangeIndex == changeIndex);
        return change is not null;
    }

    private static bool TryReadRoot(ReadOnlySpan<byte> utf8Json, out JsonElement root, [NotNullWhen(false)] out WebhookEnvelopeError? error)
    {
        root = default;
        error = null;
        if (utf8Json.IsEmpty)
        {
            error = new WebhookEnvelopeError("$", "the body is empty");
            return false;
        }

        try
        {
            // ParseValue copies into a GC-owned document, so the returned elements outlive this call.
            var reader = new Utf8JsonReader(utf8Json, ReaderOptions);
            root = JsonElement.ParseValue(ref reader);
            if (reader.Read())
            {
                error = new WebhookEnvelopeError("$", "unexpected content after the JSON value");
                return false;
            }

            return true;
        }
        catch (JsonException ex)
        {
            error = new WebhookEnvelopeError("$", $"not valid JSON (line {ex.LineNumber + 1}, byte {ex.BytePositionInLine + 1})");
            return false;
        }
    }

    private static bool TryReadEntry(JsonElement entry, int entryIndex, List<WebhookChange> changes, [NotNullWhen(false)] out WebhookEnvelopeError? error)
    {
        var path = $"$.entry[{entryIndex}]";
        if (entry.ValueKind != JsonValueKind.Object)
        {
            error = new WebhookEnvelopeError(path, "must be an object");
            return false;
        }

        if (JsonFields.Array(entry, "changes") is not { } entryChanges)
        {
            error = new WebhookEnvelopeError(path + ".changes", "must be an array");
            return false;
        }

        var wabaId = JsonFields.String(entry, "id");
        var entryTime = JsonFields.UnixTime(entry, "time");
        var changeIndex = 0;
        foreach (var change in entryChanges.EnumerateArray())
        {
            if (change.ValueKind != JsonValueKind.Object)
            {
                error = new WebhookEnvelopeError($"{path}.changes[{changeIndex}]", "must be an object");
                return false;
            }

            var field = JsonFields.String(change, "field") ?? string.Empty;
            var value = JsonFields.TryGet(change, "value", out var v) ? v : default;
            changes.Add(new WebhookChange(entryIndex, changeIndex, wabaId, entryTime, field, value));
            changeIndex++;
        }

        error = null;
        return true;
    }
}
