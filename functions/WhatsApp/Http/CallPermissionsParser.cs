using System.Text.Json;
using System.Text.RegularExpressions;
using System.Xml;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp;

/// <summary>
/// Reads both documented shapes of <c>GET call_permissions</c> (§3.4): statuses and time periods are free strings,
/// <c>limits</c> is an array, an empty string or absent, and the expiry is called <c>expiration_time</c> in the JSON
/// but <c>expiration</c> in the prose.
/// </summary>
internal static partial class CallPermissionsParser
{
    public static CallPermissionState Parse(JsonElement root)
    {
        var permission = root.TryGetProperty("permission", out var p) && p.ValueKind == JsonValueKind.Object ? p : root;
        var rawStatus = (GraphJson.String(permission, "status") ?? "").Trim();
        var expires = GraphJson.Long(permission, "expiration_time") ?? GraphJson.Long(permission, "expiration");
        var actions = GraphJson.Array(root, "actions").Select(ParseAction).ToList();
        return new CallPermissionState(NormalizeStatus(rawStatus), rawStatus, FromUnix(expires), actions);
    }

    public static CallPermissionStatus NormalizeStatus(string raw) =>
        raw.Trim().Replace(' ', '_').Replace('-', '_').ToUpperInvariant() switch
        {
            "NO_PERMISSION" or "NONE" => CallPermissionStatus.NoPermission,
            "TEMPORARY" => CallPermissionStatus.Temporary,
            "PERMANENT" => CallPermissionStatus.Permanent,
            "GRANTED" => CallPermissionStatus.Granted,
            "PENDING" => CallPermissionStatus.Pending,
            "DENIED" => CallPermissionStatus.Denied,
            "EXPIRED" => CallPermissionStatus.Expired,
            _ => CallPermissionStatus.Unknown,
        };

    /// <summary>ISO 8601 durations (<c>PT24H</c>, <c>P7D</c>) or the short form <c>24h</c>/<c>7d</c>.</summary>
    public static TimeSpan? NormalizeTimePeriod(string raw)
    {
        var text = raw.Trim();
        if (text.StartsWith('P') || text.StartsWith('p'))
        {
            try
            {
                return XmlConvert.ToTimeSpan(text.ToUpperInvariant());
            }
            catch (FormatException)
            {
                return null;
            }
        }

        var match = ShortPeriod().Match(text);
        if (!match.Success)
        {
            return null;
        }

        var amount = int.Parse(match.Groups[1].Value);
        return char.ToLowerInvariant(match.Groups[2].Value[0]) switch
        {
            'd' => TimeSpan.FromDays(amount),
            'h' => TimeSpan.FromHours(amount),
            'm' => TimeSpan.FromMinutes(amount),
            _ => TimeSpan.FromSeconds(amount),
        };
    }

    private static PermissionAction ParseAction(JsonElement action) => new(
        GraphJson.String(action, "action_name") ?? "",
        GraphJson.Bool(action, "can_perform_action") ?? false,
        GraphJson.Array(action, "limits").Where(l => l.ValueKind == JsonValueKind.Object).Select(ParseLimit).ToList());

    private static PermissionLimit ParseLimit(JsonElement limit)
    {
        var period = GraphJson.String(limit, "time_period") ?? "";
        return new PermissionLimit(
            period,
            NormalizeTimePeriod(period),
            GraphJson.Int(limit, "max_allowed") ?? 0,
            GraphJson.Int(limit, "current_usage") ?? 0,
            FromUnix(GraphJson.Long(limit, "limit_expiration_time")));
    }

    private static DateTimeOffset? FromUnix(long? seconds) =>
        seconds is { } s and > 0 ? DateTimeOffset.FromUnixTimeSeconds(s) : null;

    [GeneratedRegex(@"^(\d+)\s*([dhms])[a-z]*$", RegexOptions.IgnoreCase)]
    private static partial Regex ShortPeriod();
}
