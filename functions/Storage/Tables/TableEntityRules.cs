namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// Service limits checked before a request leaves (azure-protocols.md §2.6: Azurite does not enforce the
/// property count or the entity size, so these checks are the only guard in local runs).
/// </summary>
public static class TableEntityRules
{
    public const int MaxUserProperties = 252;
    public const int MaxEntityBytes = 1024 * 1024;
    public const int MaxStringBytes = 64 * 1024;
    public const int MaxBinaryBytes = 64 * 1024;
    public const int MaxKeyBytes = 1024;
    public const int MaxPropertyNameLength = 255;

    private static readonly HashSet<string> ReservedNames = new(StringComparer.OrdinalIgnoreCase)
    {
        "PartitionKey", "RowKey", "Timestamp", "ETag",
    };

    /// <summary>
    /// A stored key (see <see cref="TableKey"/>) may not contain / \ # ? or control characters and is at most 1 KiB
    /// (UTF-16). The table client checks the escaped form, so only the length limit can refuse a caller's key.
    /// </summary>
    public static void ValidateKey(string value, string which)
    {
        ArgumentNullException.ThrowIfNull(value, which);
        if (value.Length * 2 > MaxKeyBytes)
            throw new ArgumentException($"{which} is {value.Length * 2} bytes; the limit is {MaxKeyBytes} bytes (512 characters).", which);
        foreach (var c in value)
        {
            if (c is '/' or '\\' or '#' or '?' || char.IsControl(c))
                throw new ArgumentException(
                    $"{which} '{value}' contains '{(char.IsControl(c) ? $"U+{(int)c:X4}" : c)}', which table keys may not contain (/ \\ # ? or control characters).",
                    which);
        }
    }

    /// <summary>Names are identifiers: a letter or underscore first, then letters, digits, underscores.</summary>
    public static void ValidatePropertyName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        if (name.Length > MaxPropertyNameLength)
            throw new ArgumentException($"Property name '{name[..20]}…' is longer than {MaxPropertyNameLength} characters.", nameof(name));
        if (ReservedNames.Contains(name))
            throw new ArgumentException($"'{name}' is a system property; set it through the entity's own members.", nameof(name));
        var valid = (char.IsLetter(name[0]) || name[0] == '_') && name.All(c => char.IsLetterOrDigit(c) || c == '_');
        if (!valid)
            throw new ArgumentException($"'{name}' is not a valid property name (letters, digits and '_', not starting with a digit).", nameof(name));
    }

    /// <summary>Checks every limit of §2.6 on the entity as it will be stored and throws an <see cref="ArgumentException"/> naming the one broken.</summary>
    public static void Validate(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var storedPartition = TableKey.Encode(entity.PartitionKey);
        var storedRow = TableKey.Encode(entity.RowKey);
        ValidateKey(storedPartition, nameof(entity.PartitionKey));
        ValidateKey(storedRow, nameof(entity.RowKey));
        if (entity.Count > MaxUserProperties)
            throw new ArgumentException(
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) has {entity.Count} properties; the limit is {MaxUserProperties}.", nameof(entity));

        long size = 4 + ((storedPartition.Length + storedRow.Length) * 2L);
        foreach (var (name, value) in entity)
        {
            size += 8 + (name.Length * 2L) + ValueSize(name, value);
        }
        if (size > MaxEntityBytes)
            throw new ArgumentException(
                $"Entity ({entity.PartitionKey}, {entity.RowKey}) is about {size} bytes; the limit is {MaxEntityBytes} bytes (1 MiB).", nameof(entity));
    }

    // Sizes per the "Understanding the Table service data model" entity size formula.
    private static long ValueSize(string name, object value)
    {
        switch (value)
        {
            case string s:
                if (s.Length * 2L > MaxStringBytes)
                    throw new ArgumentException(
                        $"String property '{name}' is {s.Length * 2L} bytes (UTF-16); the limit is {MaxStringBytes} bytes (64 KiB).", nameof(value));
                return 4 + (s.Length * 2L);
            case byte[] b:
                if (b.Length > MaxBinaryBytes)
                    throw new ArgumentException(
                        $"Binary property '{name}' is {b.Length} bytes; the limit is {MaxBinaryBytes} bytes (64 KiB).", nameof(value));
                return 4 + b.Length;
            case Guid:
                return 16;
            case int:
                return 4;
            case bool:
                return 1;
            default:
                return 8; // long, double, DateTimeOffset
        }
    }
}
