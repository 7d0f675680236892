using System.Text.Json;
using System.Xml.Linq;
using Azure;

namespace WhatsAppCalling.Storage.Account;

/// <summary>Turns a failed response into the typed exception for its status, keeping code and message.</summary>
internal static class StorageErrors
{
    public static void ThrowIfFailed(Response response)
    {
        if (response.Status is >= 200 and < 300)
            return;
        throw FromResponse(response);
    }

    public static StorageRequestException FromResponse(Response response)
    {
        response.Headers.TryGetValue("x-ms-error-code", out var code);
        var (bodyCode, message) = ParseBody(response.Content?.ToString() ?? string.Empty);
        return Create(response.Status, code ?? bodyCode, message ?? response.ReasonPhrase);
    }

    public static StorageRequestException Create(int status, string? code, string message) => status switch
    {
        404 => new StorageNotFoundException(status, code, message),
        409 => new StorageConflictException(status, code, message),
        412 => new StoragePreconditionFailedException(status, code, message),
        _ => new StorageRequestException(status, code, message),
    };

    // Tables answer JSON {"odata.error":{code,message:{value}}}; blobs and queues answer <Error><Code/><Message/></Error>.
    internal static (string? Code, string? Message) ParseBody(string body)
    {
        var trimmed = body.TrimStart('\uFEFF', ' ', '\r', '\n', '\t');
        try
        {
            if (trimmed.StartsWith('{'))
            {
                using var doc = JsonDocument.Parse(trimmed);
                if (doc.RootElement.TryGetProperty("odata.error", out var error))
                {
                    var code = error.TryGetProperty("code", out var c) ? c.GetString() : null;
                    string? message = null;
                    if (error.TryGetProperty("message", out var m))
                        message = m.ValueKind == JsonValueKind.Object && m.TryGetProperty("value", out var v) ? v.GetString() : m.ToString();
                    return (code, message);
                }
            }
            else if (trimmed.StartsWith('<'))
            {
                var root = XDocument.Parse(trimmed).Root;
                return (root?.Element("Code")?.Value, root?.Element("Message")?.Value);
            }
        }
        catch (Exception ex) when (ex is JsonException or System.Xml.XmlException)
        {
            // An unparseable error body still yields the status and header code.
        }
        return (null, trimmed.Length == 0 ? null : trimmed);
    }
}
