using System.Security.Cryptography;
using System.Text.Json.Nodes;

namespace FakeMeta.Simulation;

/// <summary>What the fake Graph API answers, and the webhooks Meta would send after answering.</summary>
internal sealed record GraphOutcome(int Status, JsonObject Body)
{
    public List<(string Field, JsonObject Envelope)> Webhooks { get; } = [];

    public static GraphOutcome Ok(JsonObject body) => new(200, body);

    public static GraphOutcome Success() => Ok(new JsonObject { ["messaging_product"] = "whatsapp", ["success"] = true });

    /// <summary>Meta's error body (§2.7): message, type, code, optional error_data, fbtrace_id.</summary>
    public static GraphOutcome Error(int httpStatus, int code, string message, string? details = null, int? subcode = null)
    {
        var error = new JsonObject
        {
            ["message"] = message,
            ["type"] = "OAuthException",
            ["code"] = code,
        };
        if (subcode is { } s)
        {
            error["error_subcode"] = s;
        }

        if (details is not null)
        {
            error["error_data"] = new JsonObject { ["messaging_product"] = "whatsapp", ["details"] = details };
        }

        error["fbtrace_id"] = "FakeTrace" + Convert.ToHexString(RandomNumberGenerator.GetBytes(6));
        return new GraphOutcome(httpStatus, new JsonObject { ["error"] = error });
    }

    public static GraphOutcome InvalidParameter(string details) => Error(400, 100, "(#100) Invalid parameter", details);
}

/// <summary>Fake ids in Meta's shapes: <c>wacid.…</c> for calls (§7.1), <c>wamid.…</c> for messages.</summary>
internal static class FakeIds
{
    public static string NewCallId() => "wacid." + Blob();

    public static string NewMessageId() => "wamid." + Blob();

    private static string Blob() => Convert.ToBase64String(RandomNumberGenerator.GetBytes(24)).Replace('+', '-').Replace('/', '_');
}
