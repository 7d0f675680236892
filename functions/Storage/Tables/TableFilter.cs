using System.Globalization;
using System.Text;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>Comparison operators of the Table query language (azure-protocols.md §2.4).</summary>
public enum TableOperator
{
    Equal,
    NotEqual,
    GreaterThan,
    GreaterThanOrEqual,
    LessThan,
    LessThanOrEqual,
}

/// <summary>
/// A <c>$filter</c> expression built only from validated property names and typed, escaped literals, so no caller
/// value can change the shape of a query (a string value is always one quoted literal with quotes doubled).
/// </summary>
public sealed class TableFilter
{
    private TableFilter(string text) => Text = text;

    public string Text { get; }

    public static TableFilter PartitionKeyEquals(string partitionKey) => Compare("PartitionKey", TableOperator.Equal, partitionKey);

    public static TableFilter RowKeyEquals(string rowKey) => Compare("RowKey", TableOperator.Equal, rowKey);

    /// <summary>
    /// Rows whose RowKey starts with <paramref name="prefix"/>: a half-open key range, which the service serves
    /// efficiently. The range is taken over the stored (escaped) keys, whose prefixes are the escaped prefixes
    /// (<see cref="TableKey"/>), so it holds exactly the keys that start with <paramref name="prefix"/>.
    /// </summary>
    public static TableFilter RowKeyStartsWith(string prefix)
    {
        ArgumentNullException.ThrowIfNull(prefix);
        var stored = TableKey.Encode(prefix);
        if (stored.Length == 0)
            return CompareStored("RowKey", TableOperator.GreaterThanOrEqual, string.Empty);
        var upper = stored[..^1] + (char)(stored[^1] + 1);
        return CompareStored("RowKey", TableOperator.GreaterThanOrEqual, stored).And(CompareStored("RowKey", TableOperator.LessThan, upper));
    }

    /// <summary>
    /// <paramref name="property"/> compared with a literal of type string, int, long, double, bool,
    /// DateTimeOffset, DateTime, Guid, byte[] or decimal (compared as its stored string). A string compared with
    /// PartitionKey or RowKey is a caller's key and is compared in its stored form (<see cref="TableKey"/>): equality
    /// is exact; ranges order stored keys, which only differs from raw order at escaped characters.
    /// </summary>
    public static TableFilter Compare(string property, TableOperator op, object value)
    {
        ValidateName(property);
        return value is string key && property is "PartitionKey" or "RowKey"
            ? CompareStored(property, op, TableKey.Encode(key))
            : new TableFilter($"{property} {Operator(op)} {Literal(value)}");
    }

    private static TableFilter CompareStored(string property, TableOperator op, string storedKey) =>
        new($"{property} {Operator(op)} {Literal(storedKey)}");

    public TableFilter And(TableFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TableFilter($"({Text}) and ({other.Text})");
    }

    public TableFilter Or(TableFilter other)
    {
        ArgumentNullException.ThrowIfNull(other);
        return new TableFilter($"({Text}) or ({other.Text})");
    }

    public TableFilter Not() => new($"not ({Text})");

    public override string ToString() => Text;

    /// <summary>The literal forms of azure-protocols.md §2.4.</summary>
    public static string Literal(object value) => value switch
    {
        null => throw new ArgumentNullException(nameof(value), "Table filters cannot compare with null."),
        string s => Quote(s),
        bool b => b ? "true" : "false",
        int i => i.ToString(CultureInfo.InvariantCulture),
        long l => l.ToString(CultureInfo.InvariantCulture) + "L",
        double d when double.IsFinite(d) => DoubleLiteral(d),
        DateTimeOffset t => "datetime'" + t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fffffff'Z'", CultureInfo.InvariantCulture) + "'",
        DateTime t => Literal(new DateTimeOffset(t.Kind == DateTimeKind.Unspecified ? DateTime.SpecifyKind(t, DateTimeKind.Utc) : t.ToUniversalTime())),
        Guid g => "guid'" + g.ToString("D") + "'",
        byte[] bytes => "X'" + Convert.ToHexString(bytes) + "'",
        decimal m => Quote(m.ToString(CultureInfo.InvariantCulture)),
        _ => throw new ArgumentException($"A {value.GetType().Name} cannot be a table filter literal.", nameof(value)),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder(s.Length + 2).Append('\'');
        foreach (var c in s)
            sb.Append(c == '\'' ? "''" : c.ToString());
        return sb.Append('\'').ToString();
    }

    private static string DoubleLiteral(double d)
    {
        var text = d.ToString("R", CultureInfo.InvariantCulture);
        return text.Contains('.', StringComparison.Ordinal) || text.Contains('E', StringComparison.Ordinal) ? text : text + ".0";
    }

    private static string Operator(TableOperator op) => op switch
    {
        TableOperator.Equal => "eq",
        TableOperator.NotEqual => "ne",
        TableOperator.GreaterThan => "gt",
        TableOperator.GreaterThanOrEqual => "ge",
        TableOperator.LessThan => "lt",
        TableOperator.LessThanOrEqual => "le",
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    private static void ValidateName(string property)
    {
        ArgumentException.ThrowIfNullOrEmpty(property);
        var valid = (char.IsAsciiLetter(property[0]) || property[0] == '_') && property.All(c => char.IsAsciiLetterOrDigit(c) || c == '_');
        if (!valid)
            throw new ArgumentException($"'{property}' is not a property name a filter can reference.", nameof(property));
    }
}
