using System.Text.Json.Nodes;

namespace FakeMeta.Simulation;

/// <summary>
/// The body of <c>GET call_permissions</c> in either documented shape (§3.4): the guide's
/// (<c>no_permission|temporary|permanent</c>, <c>PT24H</c>/<c>P7D</c>) or the OpenAPI reference's
/// (<c>granted|denied|expired</c>, <c>24h</c>/<c>7d</c>, and <c>"limits": ""</c> where it has none to report).
/// </summary>
internal static class PermissionsResponse
{
    public static GraphOutcome Build(PermissionResponseShape shape, PermissionKind kind, DateTimeOffset? expiresAt,
        bool everGranted, bool canRequest, (int Used, int Max) requests24, (int Used, int Max) requests7,
        (int Used, int Max) calls24, DateTimeOffset? callLimitExpiresAt)
    {
        var guide = shape == PermissionResponseShape.Guide;
        var permission = new JsonObject
        {
            ["status"] = (kind, guide) switch
            {
                (PermissionKind.Temporary, true) => "temporary",
                (PermissionKind.Permanent, true) => "permanent",
                (PermissionKind.None, true) => "no_permission",
                (PermissionKind.None, false) => everGranted ? "expired" : "denied",
                _ => "granted",
            },
        };
        if (kind == PermissionKind.Temporary && expiresAt is { } e)
        {
            permission["expiration_time"] = e.ToUnixTimeSeconds();
        }

        var requestLimits = new JsonArray(
            Limit(guide ? "PT24H" : "24h", requests24, null),
            Limit(guide ? "P7D" : "7d", requests7, null));
        JsonNode callLimits = guide || calls24.Used > 0
            ? new JsonArray(Limit(guide ? "PT24H" : "24h", calls24, callLimitExpiresAt))
            : JsonValue.Create("")!;
        return GraphOutcome.Ok(new JsonObject
        {
            ["messaging_product"] = "whatsapp",
            ["permission"] = permission,
            ["actions"] = new JsonArray(
                new JsonObject
                {
                    ["action_name"] = "send_call_permission_request",
                    ["can_perform_action"] = canRequest,
                    ["limits"] = requestLimits,
                },
                new JsonObject
                {
                    ["action_name"] = "start_call",
                    ["can_perform_action"] = kind != PermissionKind.None && calls24.Used < calls24.Max,
                    ["limits"] = callLimits,
                }),
        });
    }

    private static JsonObject Limit(string period, (int Used, int Max) usage, DateTimeOffset? expiresAt)
    {
        var limit = new JsonObject
        {
            ["time_period"] = period,
            ["max_allowed"] = usage.Max,
            ["current_usage"] = usage.Used,
        };
        if (expiresAt is { } e)
        {
            limit["limit_expiration_time"] = e.ToUnixTimeSeconds();
        }

        return limit;
    }
}
