using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>The two documented shapes of GET call_permissions (§3.4), read from literal bodies.</summary>
public sealed class CallPermissionsParserTests
{
    private const string GuideSample = """
        {"messaging_product":"whatsapp",
         "permission":{"status":"temporary","expiration_time":1745343479},
         "actions":[
           {"action_name":"send_call_permission_request","can_perform_action":true,
            "limits":[{"time_period":"PT24H","max_allowed":1,"current_usage":0},
                      {"time_period":"P7D","max_allowed":2,"current_usage":1}]},
           {"action_name":"start_call","can_perform_action":false,
            "limits":[{"time_period":"PT24H","max_allowed":100,"current_usage":100,"limit_expiration_time":1745622600}]}]}
        """;

    private const string OpenApiSample = """
        {"permission":{"status":"Pending"},
         "actions":[{"action_name":"start_call","can_perform_action":"false","limits":""},
                    {"action_name":"send_call_permission_request","can_perform_action":true,
                     "limits":[{"time_period":"24h","max_allowed":"1","current_usage":"1"}]}]}
        """;

    [Fact]
    public void The_guide_shape_reads_status_expiry_and_an_exhausted_call_limit()
    {
        var state = Parse(GuideSample);

        Assert.Equal(CallPermissionStatus.Temporary, state.Status);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1745343479), state.ExpiresAt);
        var start = state.Action("start_call")!;
        Assert.False(start.CanPerform);
        Assert.True(start.Limits[0].IsExhausted);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1745622600), start.Limits[0].LimitExpiresAt);
        Assert.Equal(TimeSpan.FromDays(7), state.Action("send_call_permission_request")!.Limits[1].TimePeriod);
    }

    [Fact]
    public void The_openapi_shape_reads_free_strings_and_an_empty_string_as_no_limits()
    {
        var state = Parse(OpenApiSample);

        Assert.Equal(CallPermissionStatus.Pending, state.Status);
        Assert.Null(state.ExpiresAt);
        Assert.Empty(state.Action("start_call")!.Limits);
        Assert.False(state.CanStartCall);
        Assert.True(state.Action("send_call_permission_request")!.Limits[0].IsExhausted);
    }

    [Fact]
    public void Absent_limits_and_an_unknown_status_are_tolerated()
    {
        var state = Parse("""{"permission":{"status":"something_new"},"actions":[{"action_name":"start_call"}]}""");

        Assert.Equal(CallPermissionStatus.Unknown, state.Status);
        Assert.Equal("something_new", state.RawStatus);
        Assert.Empty(state.Actions[0].Limits);
    }

    [Theory]
    [InlineData("PT24H", 24 * 60)]
    [InlineData("P7D", 7 * 24 * 60)]
    [InlineData("24h", 24 * 60)]
    [InlineData("7d", 7 * 24 * 60)]
    [InlineData(" 7 days", 7 * 24 * 60)]
    public void Time_periods_in_either_notation_normalize_to_a_length(string raw, int minutes) =>
        Assert.Equal(TimeSpan.FromMinutes(minutes), CallPermissionsParser.NormalizeTimePeriod(raw));

    [Fact]
    public void Status_normalization_ignores_case_and_surrounding_space() =>
        Prop.ForAll(
            Gen.Elements("no_permission", "temporary", "permanent", "granted", "pending", "denied", "expired").ToArbitrary(),
            Gen.Elements(0, 1, 2).ToArbitrary(),
            (status, variant) =>
            {
                var spelled = variant switch { 0 => status, 1 => status.ToUpperInvariant(), _ => "  " + status + " " };
                return CallPermissionsParser.NormalizeStatus(spelled) == CallPermissionsParser.NormalizeStatus(status)
                    && CallPermissionsParser.NormalizeStatus(status) != CallPermissionStatus.Unknown;
            }).QuickCheckThrowOnFailure();

    private static CallPermissionState Parse(string json)
    {
        using var doc = JsonDocument.Parse(json);
        return CallPermissionsParser.Parse(doc.RootElement);
    }
}
