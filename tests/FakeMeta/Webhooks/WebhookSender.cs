using System.Collections.Concurrent;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace FakeMeta.Webhooks;

/// <summary>Where a webhook goes and the secret that signs it.</summary>
public sealed record WebhookTarget(Uri CallbackUrl, string AppSecret);

/// <summary>
/// A webhook the fake produced: its field, the exact bytes sent and their signature, and the receiver's status
/// (null when no callback URL was configured or the receiver could not be reached).
/// </summary>
public sealed record SentWebhook(string Field, string RawBody, string Signature, Uri? Target, int? ResponseStatus)
{
    [JsonIgnore]
    public JsonNode Json => JsonNode.Parse(RawBody)!;

    /// <summary>The first element of <c>changes[0].value</c>, the part tests usually look at.</summary>
    [JsonIgnore]
    public JsonNode Value => Json["entry"]![0]!["changes"]![0]!["value"]!;
}

/// <summary>Signs and posts webhooks, keeping every one it produced for assertions.</summary>
public sealed class WebhookSender : IDisposable
{
    private readonly HttpClient http = new() { Timeout = TimeSpan.FromSeconds(20) };
    private readonly ConcurrentQueue<SentWebhook> sent = new();
    private readonly ConcurrentDictionary<Task, byte> pending = new();

    public IReadOnlyList<SentWebhook> Sent => [.. sent];

    /// <summary>Posts at once and returns what the receiver answered (Meta's POST timeout is ~20 s, §0).</summary>
    public async Task<SentWebhook> SendAsync(string field, JsonObject envelope, WebhookTarget? target,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(envelope);
        var raw = envelope.ToJsonString();
        var bytes = Encoding.UTF8.GetBytes(raw);
        var signature = WebhookSignature.Compute(bytes, target?.AppSecret ?? "");
        int? status = null;
        if (target is not null)
        {
            using var content = new ByteArrayContent(bytes);
            content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
            using var request = new HttpRequestMessage(HttpMethod.Post, target.CallbackUrl) { Content = content };
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
            try
            {
                using var response = await http.SendAsync(request, cancellationToken);
                status = (int)response.StatusCode;
            }
            catch (HttpRequestException)
            {
                // Meta would retry later (§1.4); the fake records the failed delivery with no status.
            }
        }

        var record = new SentWebhook(field, raw, signature, target?.CallbackUrl, status);
        sent.Enqueue(record);
        return record;
    }

    /// <summary>Sends without making the caller wait, as Meta does after answering a Graph request.</summary>
    public void SendInBackground(string field, JsonObject envelope, WebhookTarget? target)
    {
        var task = Task.Run(() => SendAsync(field, envelope, target));
        pending.TryAdd(task, 0);
        _ = task.ContinueWith(t => pending.TryRemove(t, out _), TaskScheduler.Default);
    }

    /// <summary>Completes when every background webhook started so far has been delivered (or failed).</summary>
    public Task WhenIdleAsync() => Task.WhenAll(pending.Keys);

    public void Dispose() => http.Dispose();
}
