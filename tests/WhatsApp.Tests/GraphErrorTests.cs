using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.WhatsApp.Errors;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>Meta's error envelope (§2.7) kept whole, and the calling codes mapped to actionable reasons.</summary>
public sealed class GraphErrorTests
{
    private static readonly int[] CallingCodes =
    [
        100, 613, 131009, 131026, 131030, 131044, 131055, 138000, 138001, 138002, 138003, 138004, 138005, 138006,
        138007, 138009, 138012, 138013, 138014, 138015, 138017, 138018, 138019, 138020, 138021, 138022, 138023,
    ];

    [Fact]
    public void An_error_body_keeps_code_subcode_message_type_data_and_trace_id()
    {
        var error = GraphError.FromResponse(400, """
            {"error":{"message":"(#138012) limit","type":"OAuthException","code":138012,"error_subcode":2494010,
             "error_data":{"details":"Next call allowed at 1745622600"},"fbtrace_id":"AbC123"}}
            """);

        Assert.Equal((400, 138012, 2494010, "(#138012) limit", "OAuthException", "AbC123"),
            (error.HttpStatus, error.Code, error.Subcode, error.Message, error.Type, error.FbTraceId));
        Assert.Equal("Next call allowed at 1745622600", error.Details);
        Assert.Equal(CallingFailureReason.ConnectedCallLimit, error.Reason);
    }

    [Fact]
    public void A_body_that_is_not_graph_json_still_yields_an_error_keyed_by_status()
    {
        var error = GraphError.FromResponse(502, "<html>Bad gateway</html>");

        Assert.Equal(CallingFailureReason.MetaUnavailable, error.Reason);
        Assert.Equal(0, error.Code);
    }

    [Fact]
    public void Every_documented_calling_code_has_its_own_reason_and_an_agent_message() =>
        Prop.ForAll(Gen.Elements(CallingCodes).ToArbitrary(), code =>
        {
            var reason = CallingFailures.FromCode(code, 400);
            return reason != CallingFailureReason.Unknown
                && CallingFailures.AgentMessage(reason) != CallingFailures.AgentMessage(CallingFailureReason.Unknown);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Documented_codes_map_to_distinct_reasons() =>
        Assert.Equal(CallingCodes.Length, CallingCodes.Select(c => CallingFailures.FromCode(c, 400)).Distinct().Count());

    [Theory]
    [InlineData(138006, "no call permission")]
    [InlineData(138009, "Too many permission requests")]
    [InlineData(138013, "Business number country not allowed")]
    [InlineData(138001, "not reachable on WhatsApp")]
    public void Agent_messages_name_the_problem(int code, string phrase) =>
        Assert.Contains(phrase, CallingFailures.AgentMessage(CallingFailures.FromCode(code, 400)), StringComparison.OrdinalIgnoreCase);

    [Fact]
    public void Unknown_codes_fall_back_to_the_http_status() =>
        Prop.ForAll(Gen.Choose(1_000_000, 2_000_000).ToArbitrary(), code =>
            CallingFailures.FromCode(code, 429) == CallingFailureReason.RateLimited
            && CallingFailures.FromCode(code, 503) == CallingFailureReason.MetaUnavailable
            && CallingFailures.FromCode(code, 400) == CallingFailureReason.Unknown).QuickCheckThrowOnFailure();
}
