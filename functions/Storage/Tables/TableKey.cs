using System.Globalization;
using System.Text;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// The reversible mapping between the keys callers use and the keys the service stores. PartitionKey and RowKey may
/// not hold <c>/ \ # ?</c> or control characters (azure-protocols.md §2.6), yet stores key rows by ids from outside
/// (Meta's Base64 call ids hold '/'), so <see cref="TableClient"/> escapes every key it writes, reads, deletes or
/// filters on and unescapes the keys it reads back. Each forbidden character and '%' itself becomes <c>%XX</c>
/// (uppercase hex of the UTF-16 code unit, always below 0x100); everything else, '+', '=', ':' and '|' included, is
/// kept, so keys without those characters are stored exactly as before.
/// </summary>
/// <remarks>
/// The escaping works character by character and no escape starts with a kept character, so a key starts with a
/// prefix exactly when its escaped form starts with the escaped prefix: prefix ranges keep their meaning. General
/// ordering is that of the stored form: it differs from the raw order only where keys differ at an escaped
/// character (e.g. '#' sorts after '$' once escaped).
/// </remarks>
public static class TableKey
{
    /// <summary>The stored form of <paramref name="key"/>; the same string when it holds nothing to escape.</summary>
    public static string Encode(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var first = IndexOfEscaped(key);
        if (first < 0)
            return key;
        var builder = new StringBuilder(key.Length + 8).Append(key, 0, first);
        for (var i = first; i < key.Length; i++)
        {
            var c = key[i];
            if (MustEscape(c))
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            else
                builder.Append(c);
        }
        return builder.ToString();
    }

    /// <summary>
    /// The key a stored form stands for. Only the escapes <see cref="Encode"/> writes are read back; any other '%'
    /// (a row written by something else) is kept as it is.
    /// </summary>
    public static string Decode(string stored)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var first = stored.IndexOf('%', StringComparison.Ordinal);
        if (first < 0)
            return stored;
        var builder = new StringBuilder(stored.Length).Append(stored, 0, first);
        for (var i = first; i < stored.Length; i++)
        {
            if (stored[i] == '%' && i + 2 < stored.Length && TryReadEscape(stored[i + 1], stored[i + 2], out var c))
            {
                builder.Append(c);
                i += 2;
            }
            else
            {
                builder.Append(stored[i]);
            }
        }
        return builder.ToString();
    }

    /// <summary>Characters a stored key may not hold, plus the escape character itself.</summary>
    public static bool MustEscape(char c) => c is '%' or '/' or '\\' or '#' or '?' || char.IsControl(c);

    private static int IndexOfEscaped(string key)
    {
        for (var i = 0; i < key.Length; i++)
        {
            if (MustEscape(key[i]))
                return i;
        }
        return -1;
    }

    private static bool TryReadEscape(char high, char low, out char c)
    {
        c = default;
        if (!IsUpperHex(high) || !IsUpperHex(low))
            return false;
        c = (char)((HexValue(high) << 4) | HexValue(low));
        return MustEscape(c);
    }

    private static bool IsUpperHex(char c) => c is (>= '0' and <= '9') or (>= 'A' and <= 'F');

    private static int HexValue(char c) => c <= '9' ? c - '0' : c - 'A' + 10;
}
