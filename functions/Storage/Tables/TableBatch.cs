using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// The multipart/mixed body of an entity group transaction and the parsing of its answer
/// (azure-protocols.md §2.7; REST doc "Performing entity group transactions").
/// </summary>
internal static partial class TableBatch
{
    public const int MaxOperations = 100;
    public const int MaxPayloadBytes = 4 * 1024 * 1024;

    public sealed record Request(string Boundary, byte[] Body);

    public static Request Build(string endpoint, string table, IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count is 0 or > MaxOperations)
            throw new ArgumentException($"A transaction holds 1 to {MaxOperations} operations, not {actions.Count}.", nameof(actions));
        var partition = actions[0].Entity.PartitionKey;
        var rows = new HashSet<string>(StringComparer.Ordinal);
        foreach (var action in actions)
        {
            if (action.Entity.PartitionKey != partition)
                throw new ArgumentException($"All operations of a transaction must share one PartitionKey ('{partition}' vs '{action.Entity.PartitionKey}').", nameof(actions));
            if (!rows.Add(action.Entity.RowKey))
                throw new ArgumentException($"RowKey '{action.Entity.RowKey}' appears twice; a transaction may touch an entity only once.", nameof(actions));
            if (action.Type != TableTransactionActionType.Delete)
                TableEntityRules.Validate(action.Entity);
        }

        var batchBoundary = "batch_" + Guid.NewGuid().ToString("N");
        var changesetBoundary = "changeset_" + Guid.NewGuid().ToString("N");
        var sb = new StringBuilder();
        sb.Append("--").Append(batchBoundary).Append("\r\n");
        sb.Append("Content-Type: multipart/mixed; boundary=").Append(changesetBoundary).Append("\r\n\r\n");
        for (var i = 0; i < actions.Count; i++)
            AppendOperation(sb, changesetBoundary, endpoint, table, actions[i], i + 1);
        sb.Append("--").Append(changesetBoundary).Append("--\r\n");
        sb.Append("--").Append(batchBoundary).Append("--\r\n");

        var body = Encoding.UTF8.GetBytes(sb.ToString());
        if (body.Length > MaxPayloadBytes)
            throw new ArgumentException($"The transaction payload is {body.Length} bytes; the limit is {MaxPayloadBytes} bytes (4 MiB).", nameof(actions));
        return new Request(batchBoundary, body);
    }

    private static void AppendOperation(StringBuilder sb, string boundary, string endpoint, string table, TableTransactionAction action, int contentId)
    {
        var entity = action.Entity;
        var entityUrl = endpoint + "/" + TableClient.EntityPathFor(table, entity.PartitionKey, entity.RowKey);
        var etag = action.ETag ?? TableClient.AnyETag;
        var (method, url, ifMatch, hasBody) = action.Type switch
        {
            TableTransactionActionType.Add => ("POST", endpoint + "/" + table, null, true),
            TableTransactionActionType.UpdateReplace => ("PUT", entityUrl, etag, true),
            TableTransactionActionType.UpdateMerge => ("MERGE", entityUrl, etag, true),
            TableTransactionActionType.UpsertReplace => ("PUT", entityUrl, (string?)null, true),
            TableTransactionActionType.UpsertMerge => ("MERGE", entityUrl, null, true),
            TableTransactionActionType.Delete => ("DELETE", entityUrl, etag, false),
            _ => throw new ArgumentOutOfRangeException(nameof(action)),
        };

        sb.Append("--").Append(boundary).Append("\r\n");
        sb.Append("Content-Type: application/http\r\nContent-Transfer-Encoding: binary\r\n\r\n");
        sb.Append(method).Append(' ').Append(url).Append(" HTTP/1.1\r\n");
        sb.Append("Content-ID: ").Append(contentId.ToString(CultureInfo.InvariantCulture)).Append("\r\n");
        sb.Append("Accept: application/json;odata=minimalmetadata\r\n");
        sb.Append("DataServiceVersion: 3.0;\r\n");
        if (ifMatch is not null)
            sb.Append("If-Match: ").Append(ifMatch).Append("\r\n");
        if (hasBody)
        {
            sb.Append("Content-Type: application/json\r\nPrefer: return-no-content\r\n\r\n");
            sb.Append(Encoding.UTF8.GetString(TableEntityJson.Serialize(entity))).Append("\r\n");
        }
        else
        {
            sb.Append("\r\n");
        }
    }

    /// <summary>
    /// Reads each part's status line. A failed changeset answers with one error part whose message starts with the
    /// zero-based index of the failing operation ("1:The specified entity already exists"), or carries its Content-ID.
    /// </summary>
    public static IReadOnlyList<TableTransactionResult> ParseResponse(string body, int operationCount)
    {
        var parts = StatusLine().Matches(body);
        var results = new List<TableTransactionResult>(parts.Count);
        for (var i = 0; i < parts.Count; i++)
        {
            var status = int.Parse(parts[i].Groups["status"].Value, CultureInfo.InvariantCulture);
            var end = i + 1 < parts.Count ? parts[i + 1].Index : body.Length;
            var part = body[parts[i].Index..end];
            if (status >= 300)
                throw Failure(status, part, operationCount);
            var etag = Header().Match(part) is { Success: true } m && m.Groups["name"].Value.Equals("ETag", StringComparison.OrdinalIgnoreCase)
                ? m.Groups["value"].Value.Trim()
                : null;
            results.Add(new TableTransactionResult(i, status, etag));
        }
        if (results.Count != operationCount)
            throw new StorageRequestException(202, null, $"The transaction answer held {results.Count} results for {operationCount} operations.");
        return results;
    }

    private static TableTransactionFailedException Failure(int status, string part, int operationCount)
    {
        var json = part.IndexOf('{', StringComparison.Ordinal) is var start and >= 0 ? part[start..part.LastIndexOf('}')].Trim() + "}" : string.Empty;
        var (code, message) = StorageErrors.ParseBody(json);
        message ??= "The transaction failed.";
        var index = 0;
        if (IndexPrefix().Match(message) is { Success: true } prefix)
            index = int.Parse(prefix.Groups["index"].Value, CultureInfo.InvariantCulture);
        else if (ContentId().Match(part) is { Success: true } id)
            index = int.Parse(id.Groups["id"].Value, CultureInfo.InvariantCulture) - 1;
        index = Math.Clamp(index, 0, Math.Max(0, operationCount - 1));
        return new TableTransactionFailedException(status, code, message, index);
    }

    [GeneratedRegex(@"HTTP/1\.1 (?<status>\d{3})")]
    private static partial Regex StatusLine();

    [GeneratedRegex(@"^(?<name>ETag):\s*(?<value>.+?)\r?$", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex Header();

    [GeneratedRegex(@"^(?<index>\d+):")]
    private static partial Regex IndexPrefix();

    [GeneratedRegex(@"^Content-ID:\s*(?<id>\d+)", RegexOptions.Multiline | RegexOptions.IgnoreCase)]
    private static partial Regex ContentId();
}
