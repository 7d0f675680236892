namespace WhatsAppCalling.FunctionApp.Timeline;

/// <summary>One thing that happened with a customer, as an agent reads it on the contact's timeline.</summary>
/// <param name="Kind">Machine-readable kind, e.g. <c>call.missed</c>, <c>permission.granted</c>, <c>message.received</c>.</param>
/// <param name="Summary">One line for people.</param>
public sealed record TimelineEntry(
    string Id,
    DateTimeOffset? At,
    string Kind,
    string Summary,
    string? CallId,
    string? MessageId,
    string? Direction,
    string? Status,
    string? Details,
    string ContactKey);
