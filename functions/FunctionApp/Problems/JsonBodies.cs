using System.Text.Json;

namespace WhatsAppCalling.FunctionApp.Problems;

/// <summary>Reads request bodies that must be one JSON object, answering bad input with a problem naming <c>body</c>.</summary>
public static class JsonBodies
{
    /// <param name="expected">The shape to show the caller, e.g. <c>{"bodyText": "…"}</c>.</param>
    public static async Task<(JsonElement Body, IResult? Problem)> ReadObjectAsync(HttpRequest request, string expected, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(request);
        try
        {
            using var document = await JsonDocument.ParseAsync(request.Body, cancellationToken: ct);
            if (document.RootElement.ValueKind == JsonValueKind.Object)
            {
                return (document.RootElement.Clone(), null);
            }
        }
        catch (JsonException)
        {
            // Falls through to the same answer as a body that is JSON but not an object.
        }

        return (default, ApiProblems.Field("body", $"The body must be a JSON object: {expected}."));
    }
}
