using System.Globalization;
using System.Text.Json;

namespace WhatsAppCalling.Domain.Webhooks;

/// <summary>
/// Lenient readers over <see cref="JsonElement"/> that never throw: Meta sends Unix times as strings, durations as
/// numbers, and its samples disagree on both (whatsapp-calling-api.md §1.12), so a string and a number are read alike.
/// </summary>
internal static class JsonFields
{
    // DateTimeOffset's range in Unix seconds; anything outside it cannot be a real event time.
    private const long MinUnixSeconds = -62_135_596_800;
    private const long MaxUnixSeconds = 253_402_300_799;

    public static bool TryGet(JsonElement obj, string name, out JsonElement value)
    {
        value = default;
        return obj.ValueKind == JsonValueKind.Object && obj.TryGetProperty(name, out value);
    }

    public static JsonElement? Object(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.Object ? value : null;

    public static JsonElement? Array(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) && value.ValueKind == JsonValueKind.Array ? value : null;

    /// <summary>A string, or the text of a number or boolean; null when absent, null or structured.</summary>
    public static string? String(JsonElement obj, string name) =>
        TryGet(obj, name, out var value) ? AsString(value) : null;

    public static string? AsString(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString(),
        JsonValueKind.Number => value.GetRawText(),
        JsonValueKind.True => "true",
        JsonValueKind.False => "false",
        _ => null,
    };

    /// <summary>An integer given as a number or a numeric string; fractions are truncated.</summary>
    public static long? Integer(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number)
        {
            if (value.TryGetInt64(out var whole))
            {
                return whole;
            }

            return value.TryGetDecimal(out var fraction) ? (long)decimal.Truncate(fraction) : null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            return null;
        }

        var text = value.GetString();
        if (long.TryParse(text, NumberStyles.Integer, CultureInfo.InvariantCulture, out var parsed))
        {
            return parsed;
        }

        return decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var number)
            && number is > long.MinValue and < long.MaxValue
            ? (long)decimal.Truncate(number)
            : null;
    }

    /// <summary>A boolean given as true/false, "true"/"false" or 0/1.</summary>
    public static bool? Boolean(JsonElement obj, string name)
    {
        if (!TryGet(obj, name, out var value))
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            JsonValueKind.String when bool.TryParse(value.GetString(), out var parsed) => parsed,
            JsonValueKind.String or JsonValueKind.Number => Integer(obj, name) switch
            {
                0 => false,
                1 => true,
                _ => null,
            },
            _ => null,
        };
    }

    /// <summary>Unix seconds (string or number) as a time; null when absent or out of range.</summary>
    public static DateTimeOffset? UnixTime(JsonElement obj, string name) =>
        Integer(obj, name) is { } seconds and >= MinUnixSeconds and <= MaxUnixSeconds
            ? DateTimeOffset.FromUnixTimeSeconds(seconds)
            : null;

    /// <summary>Adds <paramref name="prefix"/>.name for every property of <paramref name="obj"/> not in <paramref name="known"/>.</summary>
    public static void CollectUnknown(JsonElement obj, string prefix, IReadOnlySet<string> known, List<string> into)
    {
        if (obj.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in obj.EnumerateObject())
        {
            if (!known.Contains(property.Name))
            {
                into.Add(prefix + "." + property.Name);
            }
        }
    }

    public static IEnumerable<JsonElement> Items(JsonElement? array) =>
        array is { ValueKind: JsonValueKind.Array } items ? items.EnumerateArray() : [];
}
