using System.Text.Json;

namespace MediaRelay.Api;

/// <summary>Reads a request body as one JSON object and its typed members, naming the field in every refusal.</summary>
internal static class JsonBody
{
    /// <summary>SDPs are a few KiB; anything near this is not a control request.</summary>
    private const int MaxBytes = 256 * 1024;

    public static async Task<JsonElement> ReadObjectAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        if (request.ContentLength > MaxBytes)
        {
            throw RelayApiException.Invalid("body", $"The body must be at most {MaxBytes} bytes.");
        }

        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object
                ? document.RootElement.Clone()
                : throw RelayApiException.Invalid("body", "The body must be a JSON object.");
        }
        catch (JsonException)
        {
            throw RelayApiException.Invalid("body", "The body must be a JSON object.");
        }
    }

    public static string? OptionalString(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.String ? value.GetString() : throw RelayApiException.Invalid(name, $"{name} must be a string.");
    }

    public static string RequiredString(JsonElement body, string name, int maxLength)
    {
        string? text = OptionalString(body, name);
        if (string.IsNullOrWhiteSpace(text))
        {
            throw RelayApiException.Invalid(name, $"{name} is required.");
        }

        return text.Length <= maxLength ? text : throw RelayApiException.Invalid(name, $"{name} must be at most {maxLength} characters.");
    }

    public static bool? OptionalBool(JsonElement body, string name)
    {
        if (!body.TryGetProperty(name, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind switch
        {
            JsonValueKind.True => true,
            JsonValueKind.False => false,
            _ => throw RelayApiException.Invalid(name, $"{name} must be true or false."),
        };
    }
}
