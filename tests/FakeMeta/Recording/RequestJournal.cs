using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FakeMeta.Recording;

/// <summary>
/// A Graph request as the fake received it. Headers exclude <c>Authorization</c> so recorded data never holds the
/// token; <see cref="HadBearerToken"/> says whether one was present.
/// </summary>
public sealed record RecordedRequest(
    string Method,
    string Path,
    string Query,
    string Body,
    IReadOnlyDictionary<string, string> Headers,
    bool HadBearerToken,
    DateTimeOffset ReceivedAt)
{
    [JsonIgnore]
    public JsonNode? Json => string.IsNullOrWhiteSpace(Body) ? null : JsonNode.Parse(Body);
}

/// <summary>Every Graph request the fake received, in arrival order.</summary>
public sealed class RequestJournal
{
    private readonly ConcurrentQueue<RecordedRequest> requests = new();

    public IReadOnlyList<RecordedRequest> All => [.. requests];

    /// <summary>Requests whose path ends with <paramref name="pathSuffix"/> (e.g. <c>/calls</c>).</summary>
    public IReadOnlyList<RecordedRequest> To(string pathSuffix, string? method = null) =>
        [.. requests.Where(r => r.Path.EndsWith(pathSuffix, StringComparison.Ordinal)
            && (method is null || string.Equals(r.Method, method, StringComparison.OrdinalIgnoreCase)))];

    public void Add(RecordedRequest request) => requests.Enqueue(request);

    public void Clear() => requests.Clear();
}
