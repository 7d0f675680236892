using System.Collections;
using System.Globalization;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// One table row: keys, the service's ETag and Timestamp, and typed properties (azure-protocols.md §2.5).
/// Property values are held as <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>,
/// <see cref="bool"/>, <see cref="DateTimeOffset"/>, <see cref="Guid"/> or <c>byte[]</c>; <see cref="decimal"/>
/// is stored as an invariant string because the service has no decimal type (money must stay exact).
/// </summary>
public sealed class TableEntity : IEnumerable<KeyValuePair<string, object>>
{
    private readonly Dictionary<string, object> _properties = new(StringComparer.Ordinal);

    public TableEntity(string partitionKey, string rowKey)
    {
        ArgumentNullException.ThrowIfNull(partitionKey);
        ArgumentNullException.ThrowIfNull(rowKey);
        PartitionKey = partitionKey;
        RowKey = rowKey;
    }

    public string PartitionKey { get; }

    public string RowKey { get; }

    /// <summary>The ETag from the last read or write; pass it as If-Match to update only an unchanged row.</summary>
    public string? ETag { get; set; }

    /// <summary>Set by the service on every write; read-only for callers.</summary>
    public DateTimeOffset? Timestamp { get; internal set; }

    public int Count => _properties.Count;

    public IEnumerable<string> Keys => _properties.Keys;

    /// <summary>Gets or sets a property; setting null removes it (the service stores no nulls).</summary>
    public object? this[string name]
    {
        get => _properties.GetValueOrDefault(name);
        set
        {
            TableEntityRules.ValidatePropertyName(name);
            if (value is null)
                _properties.Remove(name);
            else
                _properties[name] = Normalize(value, name);
        }
    }

    public bool ContainsKey(string name) => _properties.ContainsKey(name);

    public bool Remove(string name) => _properties.Remove(name);

    /// <summary>Fluent setter for building entities: <c>new TableEntity(pk, rk).With("Amount", 5m)</c>.</summary>
    public TableEntity With(string name, object? value)
    {
        this[name] = value;
        return this;
    }

    public string? GetString(string name) => Get(name) switch
    {
        null => null,
        string s => s,
        var other => throw WrongType(name, other, "String"),
    };

    public int? GetInt32(string name) => Get(name) switch
    {
        null => null,
        int i => i,
        long l when l is >= int.MinValue and <= int.MaxValue => (int)l,
        var other => throw WrongType(name, other, "Int32"),
    };

    /// <summary>Reads Edm.Int64, widening an Int32 (a small number may come back without a type annotation).</summary>
    public long? GetInt64(string name) => Get(name) switch
    {
        null => null,
        long l => l,
        int i => i,
        var other => throw WrongType(name, other, "Int64"),
    };

    public double? GetDouble(string name) => Get(name) switch
    {
        null => null,
        double d => d,
        int i => i,
        long l => l,
        var other => throw WrongType(name, other, "Double"),
    };

    public bool? GetBoolean(string name) => Get(name) switch
    {
        null => null,
        bool b => b,
        var other => throw WrongType(name, other, "Boolean"),
    };

    public DateTimeOffset? GetDateTimeOffset(string name) => Get(name) switch
    {
        null => null,
        DateTimeOffset d => d,
        var other => throw WrongType(name, other, "DateTime"),
    };

    public Guid? GetGuid(string name) => Get(name) switch
    {
        null => null,
        Guid g => g,
        string s when Guid.TryParse(s, out var g) => g,
        var other => throw WrongType(name, other, "Guid"),
    };

    public byte[]? GetBinary(string name) => Get(name) switch
    {
        null => null,
        byte[] b => b,
        var other => throw WrongType(name, other, "Binary"),
    };

    /// <summary>Reads a decimal written by this class (an invariant-culture string), exactly.</summary>
    public decimal? GetDecimal(string name) => Get(name) switch
    {
        null => null,
        string s when decimal.TryParse(s, NumberStyles.Number, CultureInfo.InvariantCulture, out var d) => d,
        int i => i,
        long l => l,
        var other => throw WrongType(name, other, "decimal (stored as string)"),
    };

    public IEnumerator<KeyValuePair<string, object>> GetEnumerator() => _properties.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    // The service only knows the Edm types of azure-protocols.md §2.5; anything else fails here, at the caller.
    private static object Normalize(object value, string name) => value switch
    {
        string or int or long or double or bool or Guid => value,
        byte[] bytes => bytes.ToArray(),
        DateTimeOffset d => d.ToUniversalTime(),
        DateTime d => new DateTimeOffset(d.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(d, DateTimeKind.Utc) : d.ToUniversalTime()),
        decimal m => m.ToString(CultureInfo.InvariantCulture),
        float f => (double)f,
        short s => (int)s,
        byte b => (int)b,
        Enum e => e.ToString(),
        _ => throw new ArgumentException(
            $"Property '{name}' has type {value.GetType().Name}, which Table storage cannot hold.", nameof(value)),
    };

    private object? Get(string name) => _properties.GetValueOrDefault(name);

    private static InvalidCastException WrongType(string name, object value, string expected) =>
        new($"Property '{name}' holds {value.GetType().Name}, not {expected}.");
}
