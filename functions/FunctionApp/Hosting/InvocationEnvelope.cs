using System.Globalization;
using System.Text.Json;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// The body the Functions host POSTs to <c>/{FunctionName}</c>: <c>{"Data": {...}, "Metadata": {...}}</c>
/// (azure-protocols.md §1.4). String and number values arrive JSON-serialized a second time, so a queue message
/// <c>hello</c> is the JSON string <c>"\"hello\""</c> and <c>DequeueCount</c> is <c>"1"</c>; every accessor here
/// decodes both the doubled and the plain form.
/// </summary>
public sealed class InvocationEnvelope : IDisposable
{
    private readonly JsonDocument _document;
    private readonly JsonElement _data;
    private readonly JsonElement _metadata;

    private InvocationEnvelope(JsonDocument document, JsonElement data, JsonElement metadata)
    {
        _document = document;
        _data = data;
        _metadata = metadata;
    }

    /// <summary>
    /// Parses the envelope, which then owns <paramref name="document"/>; on failure <paramref name="error"/> names the
    /// offending member and the caller still owns the document.
    /// </summary>
    public static bool TryParse(JsonDocument document, out InvocationEnvelope envelope, out string error)
    {
        ArgumentNullException.ThrowIfNull(document);
        envelope = null!;
        var root = document.RootElement;
        if (root.ValueKind != JsonValueKind.Object)
        {
            error = "The invocation body must be a JSON object with 'Data' and 'Metadata'.";
            return false;
        }

        if (!TryGetObject(root, "Data", out var data))
        {
            error = "'Data' is missing or not an object.";
            return false;
        }

        if (!TryGetMember(root, "Metadata", out var metadata) || metadata.ValueKind == JsonValueKind.Null)
        {
            metadata = default;
        }
        else if (metadata.ValueKind != JsonValueKind.Object)
        {
            error = "'Metadata' must be an object.";
            return false;
        }

        envelope = new InvocationEnvelope(document, data, metadata);
        error = string.Empty;
        return true;
    }

    public void Dispose() => _document.Dispose();

    /// <summary>The trigger or input value named <paramref name="binding"/>, as text (JSON text for objects).</summary>
    public string? DataText(string binding) => TryGetMember(_data, binding, out var value) ? DecodeText(value) : null;

    public string? MetadataText(string key) =>
        _metadata.ValueKind == JsonValueKind.Object && TryGetMember(_metadata, key, out var value) ? DecodeText(value) : null;

    public long? MetadataInt64(string key) =>
        long.TryParse(MetadataText(key), NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) ? n : null;

    public DateTimeOffset? MetadataTime(string key) =>
        DateTimeOffset.TryParse(MetadataText(key), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var t)
            ? t
            : null;

    /// <summary>
    /// Undoes the host's second serialization: a JSON string whose content is itself a JSON string or number is
    /// unwrapped; a string holding JSON object text stays that text; anything else is returned as sent.
    /// </summary>
    public static string? DecodeText(JsonElement value)
    {
        switch (value.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return null;
            case JsonValueKind.Object or JsonValueKind.Array or JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False:
                return value.GetRawText();
        }

        var text = value.GetString()!;
        var trimmed = text.AsSpan().Trim();
        if (trimmed.Length == 0 || !(trimmed[0] == '"' || char.IsAsciiDigit(trimmed[0]) || trimmed[0] == '-'))
        {
            return text;
        }

        try
        {
            using var inner = JsonDocument.Parse(text);
            return inner.RootElement.ValueKind switch
            {
                JsonValueKind.String => inner.RootElement.GetString(),
                JsonValueKind.Number => inner.RootElement.GetRawText(),
                _ => text,
            };
        }
        catch (JsonException)
        {
            return text;
        }
    }

    // Binding names are matched case-insensitively: the host's dictionaries are, and samples differ in casing.
    private static bool TryGetMember(JsonElement obj, string name, out JsonElement value)
    {
        foreach (var property in obj.EnumerateObject())
        {
            if (string.Equals(property.Name, name, StringComparison.OrdinalIgnoreCase))
            {
                value = property.Value;
                return true;
            }
        }

        value = default;
        return false;
    }

    private static bool TryGetObject(JsonElement root, string name, out JsonElement value) =>
        TryGetMember(root, name, out value) && value.ValueKind == JsonValueKind.Object;
}

/// <summary>The handler's reply to the host (azure-protocols.md §1.5).</summary>
public sealed record InvocationResult(Dictionary<string, object?> Outputs, IReadOnlyList<string> Logs, object? ReturnValue);
