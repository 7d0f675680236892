using System.Text;

namespace WhatsAppCalling.Storage.Account;

/// <summary>Which string-to-sign format a request is signed with (docs "Authorize with Shared Key").</summary>
public enum SharedKeyScheme
{
    /// <summary>Blob and Queue services, full SharedKey (azure-protocols.md §3).</summary>
    BlobQueue,

    /// <summary>Table service, SharedKey: verb, Content-MD5, Content-Type, date, resource (azure-protocols.md §2.3).</summary>
    Table,

    /// <summary>Table service, SharedKeyLite: date and resource only (azure-protocols.md §2.3).</summary>
    TableLite,
}

/// <summary>The parts of an HTTP request that a Shared Key signature covers.</summary>
public sealed record CanonicalRequest(string Method, Uri Uri, IReadOnlyList<KeyValuePair<string, string>> Headers, long ContentLength);

/// <summary>Builds the Shared Key strings-to-sign; pure, so the unit tests check them against known examples.</summary>
public static class SharedKeySigning
{
    public static string AuthorizationScheme(SharedKeyScheme scheme) =>
        scheme == SharedKeyScheme.TableLite ? "SharedKeyLite" : "SharedKey";

    public static string StringToSign(SharedKeyScheme scheme, string accountName, CanonicalRequest request) => scheme switch
    {
        SharedKeyScheme.BlobQueue => BlobQueueStringToSign(accountName, request),
        SharedKeyScheme.Table => TableStringToSign(accountName, request),
        SharedKeyScheme.TableLite => TableLiteStringToSign(accountName, request),
        _ => throw new ArgumentOutOfRangeException(nameof(scheme)),
    };

    /// <summary>
    /// VERB, twelve standard header lines (Content-Length empty when zero, Date empty because x-ms-date is sent),
    /// then canonicalized x-ms-* headers and the full canonicalized resource (azure-protocols.md §3).
    /// </summary>
    public static string BlobQueueStringToSign(string accountName, CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        var sb = new StringBuilder();
        sb.Append(request.Method.ToUpperInvariant()).Append('\n');
        sb.Append(Header(request, "Content-Encoding")).Append('\n');
        sb.Append(Header(request, "Content-Language")).Append('\n');
        sb.Append(request.ContentLength > 0 ? request.ContentLength.ToString() : string.Empty).Append('\n');
        sb.Append(Header(request, "Content-MD5")).Append('\n');
        sb.Append(Header(request, "Content-Type")).Append('\n');
        sb.Append(Header(request, "Date")).Append('\n');
        sb.Append(Header(request, "If-Modified-Since")).Append('\n');
        sb.Append(Header(request, "If-Match")).Append('\n');
        sb.Append(Header(request, "If-None-Match")).Append('\n');
        sb.Append(Header(request, "If-Unmodified-Since")).Append('\n');
        sb.Append(Header(request, "Range")).Append('\n');
        AppendCanonicalizedHeaders(sb, request);
        AppendFullCanonicalizedResource(sb, accountName, request.Uri);
        return sb.ToString();
    }

    /// <summary>Table SharedKey: no canonicalized headers; the date line carries x-ms-date (azure-protocols.md §2.3).</summary>
    public static string TableStringToSign(string accountName, CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return string.Join('\n',
            request.Method.ToUpperInvariant(),
            Header(request, "Content-MD5"),
            Header(request, "Content-Type"),
            DateForTable(request),
            LiteCanonicalizedResource(accountName, request.Uri));
    }

    public static string TableLiteStringToSign(string accountName, CanonicalRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return DateForTable(request) + "\n" + LiteCanonicalizedResource(accountName, request.Uri);
    }

    /// <summary>"/" + account + encoded path, plus "?comp=value" when present; no other query parameters.</summary>
    public static string LiteCanonicalizedResource(string accountName, Uri uri)
    {
        ArgumentNullException.ThrowIfNull(uri);
        var resource = "/" + accountName + uri.AbsolutePath;
        foreach (var (name, value) in QueryParameters(uri))
        {
            if (name == "comp")
                return resource + "?comp=" + value;
        }
        return resource;
    }

    private static string DateForTable(CanonicalRequest request)
    {
        var msDate = Header(request, "x-ms-date");
        return msDate.Length > 0 ? msDate : Header(request, "Date");
    }

    private static string Header(CanonicalRequest request, string name)
    {
        foreach (var header in request.Headers)
        {
            if (string.Equals(header.Key, name, StringComparison.OrdinalIgnoreCase))
                return header.Value;
        }
        return string.Empty;
    }

    private static void AppendCanonicalizedHeaders(StringBuilder sb, CanonicalRequest request)
    {
        var headers = request.Headers
            .Where(h => h.Key.StartsWith("x-ms-", StringComparison.OrdinalIgnoreCase))
            .GroupBy(h => h.Key.ToLowerInvariant())
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in headers)
        {
            sb.Append(group.Key).Append(':')
              .Append(string.Join(',', group.Select(h => UnfoldWhitespace(h.Value.Trim()))))
              .Append('\n');
        }
    }

    private static void AppendFullCanonicalizedResource(StringBuilder sb, string accountName, Uri uri)
    {
        sb.Append('/').Append(accountName).Append(uri.AbsolutePath);
        var parameters = QueryParameters(uri)
            .GroupBy(p => p.Name)
            .OrderBy(g => g.Key, StringComparer.Ordinal);
        foreach (var group in parameters)
        {
            var values = group.Select(p => p.Value).OrderBy(v => v, StringComparer.Ordinal);
            sb.Append('\n').Append(group.Key).Append(':').Append(string.Join(',', values));
        }
    }

    private static IEnumerable<(string Name, string Value)> QueryParameters(Uri uri)
    {
        var query = uri.Query.TrimStart('?');
        if (query.Length == 0)
            yield break;
        foreach (var pair in query.Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var eq = pair.IndexOf('=', StringComparison.Ordinal);
            var name = eq < 0 ? pair : pair[..eq];
            var value = eq < 0 ? string.Empty : pair[(eq + 1)..];
            yield return (Uri.UnescapeDataString(name).ToLowerInvariant(), Uri.UnescapeDataString(value));
        }
    }

    private static string UnfoldWhitespace(string value)
    {
        if (!value.Contains("  ", StringComparison.Ordinal) && !value.Contains('\n', StringComparison.Ordinal))
            return value;
        var sb = new StringBuilder(value.Length);
        var previousSpace = false;
        foreach (var c in value)
        {
            var isSpace = char.IsWhiteSpace(c);
            if (!isSpace || !previousSpace)
                sb.Append(isSpace ? ' ' : c);
            previousSpace = isSpace;
        }
        return sb.ToString();
    }
}
