using System.Globalization;
using System.Text.Json;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// OData JSON for entities: types JSON cannot carry get an <c>@odata.type</c> annotation on write, and are read
/// back from the annotations the service sends with <c>odata=minimalmetadata</c> (azure-protocols.md §2.5).
/// </summary>
internal static class TableEntityJson
{
    private const string TypeSuffix = "@odata.type";

    public static byte[] Serialize(TableEntity entity)
    {
        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("PartitionKey", TableKey.Encode(entity.PartitionKey));
            writer.WriteString("RowKey", TableKey.Encode(entity.RowKey));
            foreach (var (name, value) in entity)
                WriteProperty(writer, name, value);
            writer.WriteEndObject();
        }
        return buffer.ToArray();
    }

    private static void WriteProperty(Utf8JsonWriter writer, string name, object value)
    {
        switch (value)
        {
            case string s:
                writer.WriteString(name, s);
                break;
            case int i:
                writer.WriteNumber(name, i);
                break;
            case bool b:
                writer.WriteBoolean(name, b);
                break;
            case long l:
                // Int64 travels as a string: JSON numbers lose precision beyond 2^53.
                writer.WriteString(name + TypeSuffix, "Edm.Int64");
                writer.WriteString(name, l.ToString(CultureInfo.InvariantCulture));
                break;
            case double d:
                writer.WriteString(name + TypeSuffix, "Edm.Double");
                if (double.IsFinite(d))
                    writer.WriteNumber(name, d);
                else
                    writer.WriteString(name, double.IsNaN(d) ? "NaN" : d > 0 ? "Infinity" : "-Infinity");
                break;
            case DateTimeOffset t:
                writer.WriteString(name + TypeSuffix, "Edm.DateTime");
                writer.WriteString(name, t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture));
                break;
            case Guid g:
                writer.WriteString(name + TypeSuffix, "Edm.Guid");
                writer.WriteString(name, g.ToString("D"));
                break;
            case byte[] bytes:
                writer.WriteString(name + TypeSuffix, "Edm.Binary");
                writer.WriteString(name, Convert.ToBase64String(bytes));
                break;
            default:
                throw new ArgumentException($"Property '{name}' has unsupported type {value.GetType().Name}.", nameof(value));
        }
    }

    public static TableEntity Deserialize(JsonElement json, string? etagHeader = null)
    {
        var partitionKey = TableKey.Decode(json.GetProperty("PartitionKey").GetString() ?? string.Empty);
        var rowKey = TableKey.Decode(json.GetProperty("RowKey").GetString() ?? string.Empty);
        var entity = new TableEntity(partitionKey, rowKey);
        foreach (var property in json.EnumerateObject())
        {
            var name = property.Name;
            if (name.Contains('@', StringComparison.Ordinal) || name.StartsWith("odata.", StringComparison.Ordinal))
                continue;
            switch (name)
            {
                case "PartitionKey" or "RowKey":
                    continue;
                case "Timestamp":
                    entity.Timestamp = ParseDate(property.Value.GetString());
                    continue;
            }
            var type = json.TryGetProperty(name + TypeSuffix, out var annotation) ? annotation.GetString() : null;
            entity[name] = ReadValue(property.Value, type);
        }
        entity.ETag = etagHeader ?? (json.TryGetProperty("odata.etag", out var etag) ? etag.GetString() : null);
        return entity;
    }

    private static object? ReadValue(JsonElement value, string? type)
    {
        if (value.ValueKind == JsonValueKind.Null)
            return null;
        return type switch
        {
            "Edm.Int64" => long.Parse(value.GetString()!, CultureInfo.InvariantCulture),
            "Edm.Int32" => value.ValueKind == JsonValueKind.String ? int.Parse(value.GetString()!, CultureInfo.InvariantCulture) : value.GetInt32(),
            "Edm.Double" => value.ValueKind == JsonValueKind.String
                ? double.Parse(value.GetString()!, NumberStyles.Float, CultureInfo.InvariantCulture)
                : value.GetDouble(),
            "Edm.DateTime" => ParseDate(value.GetString()),
            "Edm.Guid" => Guid.Parse(value.GetString()!),
            "Edm.Binary" => Convert.FromBase64String(value.GetString()!),
            "Edm.Boolean" => value.GetBoolean(),
            _ => value.ValueKind switch
            {
                JsonValueKind.String => value.GetString(),
                JsonValueKind.True => true,
                JsonValueKind.False => false,
                // Without an annotation a whole number is Edm.Int32 and a fractional one Edm.Double.
                JsonValueKind.Number when value.TryGetInt32(out var i) && !value.GetRawText().Contains('.', StringComparison.Ordinal) => i,
                JsonValueKind.Number => value.GetDouble(),
                _ => value.GetRawText(),
            },
        };
    }

    private static DateTimeOffset ParseDate(string? text) =>
        DateTimeOffset.Parse(text ?? string.Empty, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal);
}
