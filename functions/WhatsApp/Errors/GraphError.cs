using System.Text.Json;

namespace WhatsAppCalling.WhatsApp.Errors;

/// <summary>
/// A failed Graph request: the fields of Meta's error body (§2.7: <c>{"error":{message,type,code,error_subcode,
/// error_data,fbtrace_id}}</c>) plus the HTTP status, or a transport failure (no status, code 0).
/// </summary>
public sealed record GraphError(
    int? HttpStatus,
    int Code,
    int? Subcode,
    string Message,
    string? Type,
    string? FbTraceId,
    JsonElement? ErrorData)
{
    public CallingFailureReason Reason { get; init; } = CallingFailures.FromCode(Code, HttpStatus);

    public string AgentMessage => CallingFailures.AgentMessage(Reason);

    /// <summary><c>error_data.details</c> when Meta sent it (SDP validation problems arrive there, §2.7 code 100).</summary>
    public string? Details =>
        ErrorData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty("details", out var d)
            && d.ValueKind == JsonValueKind.String ? d.GetString() : null;

    public static GraphError Timeout(string operation) =>
        new(null, 0, null, $"{operation} timed out.", "timeout", null, null) { Reason = CallingFailureReason.Timeout };

    public static GraphError Unreachable(string operation, string detail) =>
        new(null, 0, null, $"{operation} failed: {detail}", "transport", null, null) { Reason = CallingFailureReason.Unreachable };

    /// <summary>Reads Meta's error envelope; a body that is not one still yields an error keyed by HTTP status.</summary>
    public static GraphError FromResponse(int httpStatus, string body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            if (doc.RootElement.ValueKind == JsonValueKind.Object
                && doc.RootElement.TryGetProperty("error", out var error) && error.ValueKind == JsonValueKind.Object)
            {
                return new GraphError(
                    httpStatus,
                    GraphJson.Int(error, "code") ?? 0,
                    GraphJson.Int(error, "error_subcode"),
                    GraphJson.String(error, "message") ?? $"HTTP {httpStatus}",
                    GraphJson.String(error, "type"),
                    GraphJson.String(error, "fbtrace_id"),
                    error.TryGetProperty("error_data", out var data) ? data.Clone() : null);
            }
        }
        catch (JsonException)
        {
            // Not JSON (e.g. a proxy's HTML page): fall through to the status-only error.
        }

        return new GraphError(httpStatus, 0, null, $"HTTP {httpStatus} without a Graph error body", null, null, null);
    }
}
