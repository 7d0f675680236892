using System.Runtime.CompilerServices;
using System.Text.Json;
using Azure;
using Azure.Core;
using Azure.Core.Pipeline;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Tables;

/// <summary>
/// One table over the Table service REST API (azure-protocols.md §2.4). Callers use their own keys, whatever they
/// hold: every key is stored in its <see cref="TableKey"/> form and read back as the caller wrote it.
/// </summary>
public sealed class TableClient
{
    /// <summary>The If-Match value that matches any existing row.</summary>
    public const string AnyETag = "*";

    private static readonly RequestMethod Merge = new("MERGE");
    private static readonly string[] KeyNames = ["PartitionKey", "RowKey"];

    private readonly HttpPipeline _pipeline;
    private readonly string _endpoint;

    internal TableClient(HttpPipeline pipeline, Uri serviceEndpoint, string tableName)
    {
        ValidateTableName(tableName);
        _pipeline = pipeline;
        _endpoint = serviceEndpoint.AbsoluteUri.TrimEnd('/');
        Name = tableName;
    }

    public string Name { get; }

    public async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        var body = JsonSerializer.SerializeToUtf8Bytes(new Dictionary<string, string> { ["TableName"] = Name });
        using var response = await SendAsync(RequestMethod.Post, "Tables", body, null, ct);
        if (response.Status == 409)
            return; // TableAlreadyExists
        StorageErrors.ThrowIfFailed(response);
    }

    public async Task DeleteIfExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, $"Tables('{Name}')", null, null, ct);
        if (response.Status != 404)
            StorageErrors.ThrowIfFailed(response);
    }

    /// <summary>Inserts a new row; returns its ETag.</summary>
    /// <exception cref="StorageConflictException">EntityAlreadyExists.</exception>
    public async Task<string> AddEntityAsync(TableEntity entity, CancellationToken ct = default)
    {
        TableEntityRules.Validate(entity);
        using var response = await SendAsync(RequestMethod.Post, Name, TableEntityJson.Serialize(entity), null, ct);
        StorageErrors.ThrowIfFailed(response);
        return entity.ETag = ETagOf(response);
    }

    /// <exception cref="StorageNotFoundException">ResourceNotFound (no such row) or TableNotFound.</exception>
    public async Task<TableEntity> GetEntityAsync(string partitionKey, string rowKey, IReadOnlyList<string>? select = null, CancellationToken ct = default)
    {
        return await GetEntityIfExistsAsync(partitionKey, rowKey, select, ct)
            ?? throw new StorageNotFoundException(404, StorageErrorCodes.ResourceNotFound, $"No entity ({partitionKey}, {rowKey}) in table {Name}.");
    }

    /// <summary>The row, or null when it does not exist (a missing table still throws).</summary>
    public async Task<TableEntity?> GetEntityIfExistsAsync(string partitionKey, string rowKey, IReadOnlyList<string>? select = null, CancellationToken ct = default)
    {
        var path = EntityPath(partitionKey, rowKey) + (select is { Count: > 0 } ? "?$select=" + SelectList(select) : string.Empty);
        using var response = await SendAsync(RequestMethod.Get, path, null, null, ct);
        if (response.Status == 404 && ErrorCode(response) == StorageErrorCodes.ResourceNotFound)
            return null;
        StorageErrors.ThrowIfFailed(response);
        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        return TableEntityJson.Deserialize(doc.RootElement, ETagOrNull(response));
    }

    /// <summary>Writes an existing row only if its ETag still matches <paramref name="ifMatch"/> ("*" = any); returns the new ETag.</summary>
    /// <exception cref="StoragePreconditionFailedException">UpdateConditionNotSatisfied: someone else wrote first.</exception>
    public async Task<string> UpdateEntityAsync(TableEntity entity, string ifMatch, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        TableEntityRules.Validate(entity);
        var method = mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put;
        using var response = await SendAsync(method, EntityPath(entity.PartitionKey, entity.RowKey), TableEntityJson.Serialize(entity), ifMatch, ct);
        StorageErrors.ThrowIfFailed(response);
        return entity.ETag = ETagOf(response);
    }

    /// <summary>Inserts or replaces (or merges) regardless of what is stored; returns the new ETag.</summary>
    public async Task<string> UpsertEntityAsync(TableEntity entity, TableUpdateMode mode = TableUpdateMode.Replace, CancellationToken ct = default)
    {
        TableEntityRules.Validate(entity);
        var method = mode == TableUpdateMode.Merge ? Merge : RequestMethod.Put;
        using var response = await SendAsync(method, EntityPath(entity.PartitionKey, entity.RowKey), TableEntityJson.Serialize(entity), null, ct);
        StorageErrors.ThrowIfFailed(response);
        return entity.ETag = ETagOf(response);
    }

    /// <exception cref="StorageNotFoundException">The row does not exist.</exception>
    /// <exception cref="StoragePreconditionFailedException">The row changed since <paramref name="ifMatch"/> was read.</exception>
    public async Task DeleteEntityAsync(string partitionKey, string rowKey, string ifMatch = AnyETag, CancellationToken ct = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(ifMatch);
        using var response = await SendAsync(RequestMethod.Delete, EntityPath(partitionKey, rowKey), null, ifMatch, ct);
        StorageErrors.ThrowIfFailed(response);
    }

    /// <summary>One page of a query; pass the returned continuation to get the next one.</summary>
    public async Task<TablePage> QueryPageAsync(TableQuery query, TableContinuation? continuation = null, CancellationToken ct = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var parameters = new List<string>();
        if (query.Filter is not null)
            parameters.Add("$filter=" + Uri.EscapeDataString(query.Filter.Text));
        if (query.Select is { Count: > 0 })
            parameters.Add("$select=" + SelectList(query.Select));
        if (query.Top is { } top)
        {
            ArgumentOutOfRangeException.ThrowIfLessThan(top, 1, nameof(query));
            parameters.Add("$top=" + Math.Min(top, 1000));
        }
        if (continuation is not null)
        {
            parameters.Add("NextPartitionKey=" + Uri.EscapeDataString(continuation.NextPartitionKey));
            if (continuation.NextRowKey is not null)
                parameters.Add("NextRowKey=" + Uri.EscapeDataString(continuation.NextRowKey));
        }
        var path = Name + "()" + (parameters.Count > 0 ? "?" + string.Join('&', parameters) : string.Empty);
        using var response = await SendAsync(RequestMethod.Get, path, null, null, ct);
        StorageErrors.ThrowIfFailed(response);

        using var doc = JsonDocument.Parse(response.Content.ToMemory());
        var entities = doc.RootElement.GetProperty("value").EnumerateArray().Select(e => TableEntityJson.Deserialize(e)).ToList();
        response.Headers.TryGetValue("x-ms-continuation-NextPartitionKey", out var nextPartition);
        response.Headers.TryGetValue("x-ms-continuation-NextRowKey", out var nextRow);
        return new TablePage(entities, nextPartition is null ? null : new TableContinuation(nextPartition, nextRow));
    }

    /// <summary>
    /// Every matching row, following continuations until the service sends none (pages can be empty and still
    /// continue, azure-protocols.md §2.4). <see cref="TableQuery.Top"/> is the page size here, not a total.
    /// </summary>
    public async IAsyncEnumerable<TableEntity> QueryAsync(TableQuery query, [EnumeratorCancellation] CancellationToken ct = default)
    {
        TableContinuation? continuation = null;
        do
        {
            var page = await QueryPageAsync(query, continuation, ct);
            foreach (var entity in page.Entities)
                yield return entity;
            continuation = page.Continuation;
        }
        while (continuation is not null);
    }

    public IAsyncEnumerable<TableEntity> QueryAsync(TableFilter filter, CancellationToken ct = default) =>
        QueryAsync(new TableQuery(filter), ct);

    /// <summary>Runs up to 100 operations on one partition atomically (azure-protocols.md §2.7).</summary>
    /// <exception cref="TableTransactionFailedException">Nothing was applied; names the failing operation.</exception>
    public async Task<IReadOnlyList<TableTransactionResult>> SubmitTransactionAsync(
        IReadOnlyList<TableTransactionAction> actions, CancellationToken ct = default)
    {
        var batch = TableBatch.Build(_endpoint, Name, actions);
        using var request = _pipeline.CreateRequest();
        request.Method = RequestMethod.Post;
        request.Uri.Reset(new Uri(_endpoint + "/$batch"));
        AddODataHeaders(request);
        request.Headers.Add(HttpHeader.Names.ContentType, "multipart/mixed; boundary=" + batch.Boundary);
        request.Content = RequestContent.Create(batch.Body);
        using var response = await _pipeline.SendRequestAsync(request, ct);
        StorageErrors.ThrowIfFailed(response);
        return TableBatch.ParseResponse(response.Content.ToString(), actions.Count);
    }

    internal static string EntityPathFor(string table, string partitionKey, string rowKey)
    {
        var storedPartition = TableKey.Encode(partitionKey);
        var storedRow = TableKey.Encode(rowKey);
        TableEntityRules.ValidateKey(storedPartition, "PartitionKey");
        TableEntityRules.ValidateKey(storedRow, "RowKey");
        // Quotes are doubled inside the key literal, then the value is percent-encoded (azure-protocols.md §2.4).
        return $"{table}(PartitionKey='{Uri.EscapeDataString(storedPartition.Replace("'", "''", StringComparison.Ordinal))}'," +
               $"RowKey='{Uri.EscapeDataString(storedRow.Replace("'", "''", StringComparison.Ordinal))}')";
    }

    private string EntityPath(string partitionKey, string rowKey) => EntityPathFor(Name, partitionKey, rowKey);

    private static string SelectList(IReadOnlyList<string> select)
    {
        foreach (var name in select)
        {
            if (name is not ("PartitionKey" or "RowKey" or "Timestamp"))
                TableEntityRules.ValidatePropertyName(name);
        }
        // Keys always come back so every projected entity still knows which row it is.
        var names = KeyNames.Concat(select).Distinct(StringComparer.Ordinal);
        return Uri.EscapeDataString(string.Join(',', names));
    }

    private async Task<Response> SendAsync(RequestMethod method, string path, byte[]? json, string? ifMatch, CancellationToken ct)
    {
        using var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(_endpoint + "/" + path));
        AddODataHeaders(request);
        if (ifMatch is not null)
            request.Headers.Add(HttpHeader.Names.IfMatch, ifMatch);
        if (json is not null)
        {
            request.Headers.Add(HttpHeader.Names.ContentType, "application/json");
            request.Headers.Add("Prefer", "return-no-content");
            request.Content = RequestContent.Create(json);
        }
        return await _pipeline.SendRequestAsync(request, ct);
    }

    private static void AddODataHeaders(Request request)
    {
        // minimalmetadata keeps the type annotations of Int64/DateTime/Guid/Binary (azure-protocols.md §2.5).
        request.Headers.Add(HttpHeader.Names.Accept, "application/json;odata=minimalmetadata");
        request.Headers.Add("DataServiceVersion", "3.0;NetFx");
        request.Headers.Add("MaxDataServiceVersion", "3.0;NetFx");
    }

    private static string ETagOf(Response response) =>
        ETagOrNull(response) ?? throw new StorageRequestException(response.Status, null, "The table service answered without an ETag.");

    private static string? ETagOrNull(Response response) =>
        response.Headers.TryGetValue("ETag", out var etag) ? etag : null;

    private static string? ErrorCode(Response response) =>
        response.Headers.TryGetValue("x-ms-error-code", out var code) ? code : StorageErrors.ParseBody(response.Content.ToString()).Code;

    /// <summary>Table names: 3–63 letters and digits, starting with a letter (azure-protocols.md §2.6).</summary>
    private static void ValidateTableName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length is >= 3 and <= 63 && char.IsAsciiLetter(name[0]) && name.All(char.IsAsciiLetterOrDigit)
            && !string.Equals(name, "tables", StringComparison.OrdinalIgnoreCase);
        if (!valid)
            throw new ArgumentException($"'{name}' is not a valid table name (3–63 letters and digits, starting with a letter).", nameof(name));
    }
}
