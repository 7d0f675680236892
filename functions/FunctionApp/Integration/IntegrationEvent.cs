using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>The event types a CRM can subscribe to (docs/INTEGRATION-EVENTS.md).</summary>
public static class IntegrationEventTypes
{
    public const string Prefix = "com.whatsappcalling.call.";
    public const string Started = Prefix + "started";
    public const string Answered = Prefix + "answered";
    public const string Transferred = Prefix + "transferred";
    public const string Ended = Prefix + "ended";
    public const string Billed = Prefix + "billed";
    public const string Missed = Prefix + "missed";

    /// <summary>The last segment (<c>answered</c>), used in ids and as the Service Bus label.</summary>
    public static string ShortName(string type) => type.StartsWith(Prefix, StringComparison.Ordinal) ? type[Prefix.Length..] : type;
}

/// <summary>
/// What a call event says. Absent facts are left out of the JSON rather than sent as nulls, so a subscriber can tell
/// "not known" from "zero".
/// </summary>
public sealed record IntegrationEventData
{
    public required string CallId { get; init; }

    /// <summary><c>inbound</c> (the customer called) or <c>outbound</c> (an agent called).</summary>
    public required string Direction { get; init; }

    public string? BusinessNumberId { get; init; }

    /// <summary>The contact key: the customer's BSUID, or <c>wa:&lt;digits&gt;</c>.</summary>
    public string? Customer { get; init; }

    public string? CustomerPhone { get; init; }

    public string? AgentId { get; init; }

    /// <summary>ended: how the call finished (<c>completed</c>, <c>unanswered</c>, <c>rejected</c>).</summary>
    public string? Outcome { get; init; }

    /// <summary>missed / ended-rejected: why (e.g. <c>RingBudgetSpent</c>); transferred: the timeline's note.</summary>
    public string? Reason { get; init; }

    public long? DurationSeconds { get; init; }

    public decimal? AmountUsd { get; init; }

    public long? Pulses { get; init; }

    public decimal? PerMinuteRateUsd { get; init; }

    public string? Market { get; init; }
}

/// <summary>
/// One call event in the CloudEvents 1.0 JSON shape. <see cref="Id"/> is derived from the call and the fact (never
/// random), so a repeat of the same fact carries the same id and a subscriber — or Service Bus duplicate detection,
/// which keys on MessageId — drops it.
/// </summary>
public sealed record IntegrationEvent(string Id, string Type, string Source, DateTimeOffset Time, string Subject, IntegrationEventData Data)
{
    public const string SpecVersion = "1.0";
    public const string ContentType = "application/cloudevents+json; charset=utf-8";

    /// <summary>Service Bus caps MessageId at 128 characters; a longer natural id is replaced by its SHA-256.</summary>
    public const int MaxIdLength = 128;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>
    /// The event for <paramref name="type"/> on a call. <paramref name="discriminator"/> separates facts that can
    /// happen more than once on one call (each transfer), and must itself be stable across retries.
    /// </summary>
    public static IntegrationEvent For(string type, DateTimeOffset time, IntegrationEventData data, string? discriminator = null)
    {
        ArgumentNullException.ThrowIfNull(data);
        return new IntegrationEvent(IdOf(data.CallId, type, discriminator), type, SourceOf(data.BusinessNumberId), time, data.CallId, data);
    }

    public static string IdOf(string callId, string type, string? discriminator = null)
    {
        var id = $"{callId}:{IntegrationEventTypes.ShortName(type)}" + (discriminator is null ? string.Empty : ":" + discriminator);
        return id.Length <= MaxIdLength ? id : Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(id)));
    }

    /// <summary>The business number the call belongs to, as a URI reference.</summary>
    public static string SourceOf(string? businessNumberId) =>
        businessNumberId is { Length: > 0 } number ? $"/whatsapp-calling/business-numbers/{Uri.EscapeDataString(number)}" : "/whatsapp-calling";

    /// <summary>The structured-mode CloudEvents JSON document.</summary>
    public string ToJson() => JsonSerializer.Serialize(new Envelope(SpecVersion, Id, Source, Type, Subject, Time.ToUniversalTime().ToString("O", CultureInfo.InvariantCulture), "application/json", Data), Json);

    public static IntegrationEvent FromJson(string json)
    {
        var envelope = JsonSerializer.Deserialize<Envelope>(json, Json) ?? throw new FormatException("Not an integration event.");
        return new IntegrationEvent(envelope.Id, envelope.Type, envelope.Source, DateTimeOffset.Parse(envelope.Time, CultureInfo.InvariantCulture), envelope.Subject, envelope.Data);
    }

    // CloudEvents attribute names are lowercase without separators.
    private sealed record Envelope(
        [property: JsonPropertyName("specversion")] string SpecVersion,
        string Id,
        string Source,
        string Type,
        string Subject,
        string Time,
        [property: JsonPropertyName("datacontenttype")] string DataContentType,
        IntegrationEventData Data);
}
