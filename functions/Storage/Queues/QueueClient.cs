using System.Globalization;
using System.Text;
using System.Xml.Linq;
using Azure.Core;
using Azure.Core.Pipeline;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Queues;

/// <summary>One queue over the Queue service REST API (azure-protocols.md §3).</summary>
public sealed class QueueClient
{
    /// <summary>Largest message text the service stores (azure-protocols.md §3: 65536 accepted, 65537 → 413).</summary>
    public const int MaxMessageTextBytes = 64 * 1024;

    /// <summary>Longest visibility delay or timeout the service accepts (604800 s).</summary>
    public static readonly TimeSpan MaxVisibility = TimeSpan.FromDays(7);

    private readonly HttpPipeline _pipeline;
    private readonly Uri _queueUri;

    internal QueueClient(HttpPipeline pipeline, Uri serviceEndpoint, string queueName)
    {
        QueueNames.Validate(queueName);
        _pipeline = pipeline;
        Name = queueName;
        _queueUri = new Uri(serviceEndpoint.AbsoluteUri.TrimEnd('/') + "/" + queueName);
    }

    public string Name { get; }

    public Uri Uri => _queueUri;

    public async Task CreateIfNotExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Put, _queueUri.AbsoluteUri, null, ct);
        // 201 created, 204 already there; 409 means it exists with other metadata, which is still "exists".
        if (response.Status is 201 or 204 or 409)
            return;
        StorageErrors.ThrowIfFailed(response);
    }

    public async Task DeleteIfExistsAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, _queueUri.AbsoluteUri, null, ct);
        if (response.Status != 404)
            StorageErrors.ThrowIfFailed(response);
    }

    /// <summary>Deletes every message (Clear Messages); handy for tests and for draining a poison queue after a fix.</summary>
    public async Task ClearMessagesAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, _queueUri.AbsoluteUri + "/messages", null, ct);
        StorageErrors.ThrowIfFailed(response);
    }

    /// <param name="timeToLive">Null = service default (7 days); <see cref="TimeSpan.MaxValue"/> or negative = never expire.</param>
    public async Task<SentMessage> SendMessageAsync(
        string messageText, TimeSpan? visibilityDelay = null, TimeSpan? timeToLive = null, CancellationToken ct = default)
    {
        ValidateText(messageText);
        var query = new List<string>();
        if (visibilityDelay is { } delay)
            query.Add("visibilitytimeout=" + Seconds(delay, TimeSpan.Zero, nameof(visibilityDelay)));
        if (timeToLive is { } ttl)
            query.Add("messagettl=" + TtlSeconds(ttl));
        var uri = _queueUri.AbsoluteUri + "/messages" + (query.Count > 0 ? "?" + string.Join('&', query) : string.Empty);

        using var response = await SendAsync(RequestMethod.Post, uri, MessageBody(messageText), ct);
        StorageErrors.ThrowIfFailed(response);
        var message = ParseList(response).Single();
        return new SentMessage(
            Text(message, "MessageId"), Text(message, "PopReceipt"), Date(message, "InsertionTime"),
            Date(message, "ExpirationTime"), Date(message, "TimeNextVisible"));
    }

    public async Task<IReadOnlyList<QueueMessage>> ReceiveMessagesAsync(int maxMessages, TimeSpan visibilityTimeout, CancellationToken ct = default)
    {
        ValidateCount(maxMessages);
        var seconds = Seconds(visibilityTimeout, TimeSpan.FromSeconds(1), nameof(visibilityTimeout));
        var uri = $"{_queueUri.AbsoluteUri}/messages?numofmessages={maxMessages}&visibilitytimeout={seconds}";
        using var response = await SendAsync(RequestMethod.Get, uri, null, ct);
        StorageErrors.ThrowIfFailed(response);
        return ParseList(response).Select(m => new QueueMessage(
            Text(m, "MessageId"), Text(m, "PopReceipt"), long.Parse(Text(m, "DequeueCount"), CultureInfo.InvariantCulture),
            Text(m, "MessageText"), Date(m, "InsertionTime"), Date(m, "ExpirationTime"), Date(m, "TimeNextVisible"))).ToList();
    }

    public async Task<IReadOnlyList<PeekedMessage>> PeekMessagesAsync(int maxMessages, CancellationToken ct = default)
    {
        ValidateCount(maxMessages);
        var uri = $"{_queueUri.AbsoluteUri}/messages?peekonly=true&numofmessages={maxMessages}";
        using var response = await SendAsync(RequestMethod.Get, uri, null, ct);
        StorageErrors.ThrowIfFailed(response);
        return ParseList(response).Select(m => new PeekedMessage(
            Text(m, "MessageId"), long.Parse(Text(m, "DequeueCount"), CultureInfo.InvariantCulture), Text(m, "MessageText"),
            Date(m, "InsertionTime"), Date(m, "ExpirationTime"))).ToList();
    }

    /// <exception cref="StorageNotFoundException">The message is gone (already deleted, or the pop receipt is stale).</exception>
    public async Task DeleteMessageAsync(string messageId, string popReceipt, CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Delete, MessageUri(messageId, popReceipt), null, ct);
        StorageErrors.ThrowIfFailed(response);
    }

    /// <summary>Extends (or shortens) a received message's invisibility and optionally replaces its text.</summary>
    public async Task<UpdateReceipt> UpdateMessageAsync(
        string messageId, string popReceipt, TimeSpan visibilityTimeout, string? newMessageText = null, CancellationToken ct = default)
    {
        if (newMessageText is not null)
            ValidateText(newMessageText);
        var uri = MessageUri(messageId, popReceipt) + "&visibilitytimeout=" + Seconds(visibilityTimeout, TimeSpan.Zero, nameof(visibilityTimeout));
        using var response = await SendAsync(
            RequestMethod.Put, uri, newMessageText is null ? null : MessageBody(newMessageText), ct);
        StorageErrors.ThrowIfFailed(response);
        var receipt = Header(response, "x-ms-popreceipt");
        var nextVisible = DateTimeOffset.Parse(Header(response, "x-ms-time-next-visible"), CultureInfo.InvariantCulture);
        return new UpdateReceipt(receipt, nextVisible);
    }

    public async Task<int> GetApproximateMessageCountAsync(CancellationToken ct = default)
    {
        using var response = await SendAsync(RequestMethod.Get, _queueUri.AbsoluteUri + "?comp=metadata", null, ct);
        StorageErrors.ThrowIfFailed(response);
        return int.Parse(Header(response, "x-ms-approximate-messages-count"), CultureInfo.InvariantCulture);
    }

    private async Task<Azure.Response> SendAsync(RequestMethod method, string uri, byte[]? body, CancellationToken ct)
    {
        using var request = _pipeline.CreateRequest();
        request.Method = method;
        request.Uri.Reset(new Uri(uri));
        if (body is not null)
        {
            // The signature covers Content-Type, so it is set explicitly (azure-protocols.md §2.3 last bullet).
            request.Headers.Add(HttpHeader.Names.ContentType, "application/xml; charset=utf-8");
            request.Content = RequestContent.Create(body);
        }
        return await _pipeline.SendRequestAsync(request, ct);
    }

    private string MessageUri(string messageId, string popReceipt)
    {
        ArgumentException.ThrowIfNullOrEmpty(messageId);
        ArgumentException.ThrowIfNullOrEmpty(popReceipt);
        return $"{_queueUri.AbsoluteUri}/messages/{Uri.EscapeDataString(messageId)}?popreceipt={Uri.EscapeDataString(popReceipt)}";
    }

    private static byte[] MessageBody(string text) =>
        Encoding.UTF8.GetBytes(new XElement("QueueMessage", new XElement("MessageText", text)).ToString(SaveOptions.DisableFormatting));

    private static void ValidateText(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        var bytes = Encoding.UTF8.GetByteCount(messageText);
        if (bytes > MaxMessageTextBytes)
            throw new ArgumentException(
                $"Queue message text is {bytes} bytes; the service limit is {MaxMessageTextBytes} bytes (64 KiB). " +
                "Base64 adds a third, so keep raw payloads under 48 KiB.", nameof(messageText));
    }

    private static void ValidateCount(int maxMessages)
    {
        // numofmessages is 1..32 (azure-protocols.md §3: 33 → 400).
        if (maxMessages is < 1 or > 32)
            throw new ArgumentOutOfRangeException(nameof(maxMessages), maxMessages, "The service returns 1 to 32 messages per call.");
    }

    private static long Seconds(TimeSpan value, TimeSpan minimum, string name)
    {
        if (value < minimum || value > MaxVisibility)
            throw new ArgumentOutOfRangeException(name, value, $"Must be between {minimum} and 7 days (604800 s).");
        // Round up so a delayed message never becomes visible before the caller asked.
        return (long)Math.Ceiling(value.TotalSeconds);
    }

    private static long TtlSeconds(TimeSpan ttl)
    {
        if (ttl == TimeSpan.MaxValue || ttl < TimeSpan.Zero)
            return -1; // never expires (azure-protocols.md §3)
        if (ttl < TimeSpan.FromSeconds(1))
            throw new ArgumentOutOfRangeException(nameof(ttl), ttl, "A message time-to-live is at least one second, or negative for never.");
        return (long)Math.Ceiling(ttl.TotalSeconds);
    }

    private static IEnumerable<XElement> ParseList(Azure.Response response)
    {
        var doc = XDocument.Parse(response.Content.ToString());
        return doc.Root?.Elements("QueueMessage") ?? [];
    }

    private static string Text(XElement message, string name) => message.Element(name)?.Value ?? string.Empty;

    private static DateTimeOffset Date(XElement message, string name) =>
        DateTimeOffset.Parse(Text(message, name), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    private static string Header(Azure.Response response, string name) =>
        response.Headers.TryGetValue(name, out var value) ? value : throw new StorageRequestException(
            response.Status, null, $"The queue service response lacks the {name} header.");
}

/// <summary>Queue names: 3–63 lowercase letters, digits and single hyphens, starting and ending alphanumeric.</summary>
internal static class QueueNames
{
    public static void Validate(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        var valid = name.Length is >= 3 and <= 63
            && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1])
            && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-')
            && !name.Contains("--", StringComparison.Ordinal);
        if (!valid)
            throw new ArgumentException(
                $"'{name}' is not a valid queue name (3–63 lowercase letters, digits, single hyphens).", nameof(name));
    }
}
