using System.Net;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>The agent routes: refusals with reasons, channels, field-naming 400s, and authentication.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentApiTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_second_permission_request_within_24_hours_is_refused_with_409_and_the_daily_limit_reason()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        using (var first = await ConsentTestApp.RequestPermissionAsync(agent))
        {
            await ConsentTestApp.ExpectAsync(first, HttpStatusCode.Accepted);
        }

        test.Clock.Advance(TimeSpan.FromHours(23));
        using var second = await ConsentTestApp.RequestPermissionAsync(agent, ConsentTestApp.CustomerBsuid);
        var problem = await ConsentTestApp.ExpectAsync(second, HttpStatusCode.Conflict);

        var codes = problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("dailyRequestLimitReached", codes);
        Assert.Equal(ConsentTestApp.Start.AddHours(24), problem.GetProperty("nextAllowedAt").GetDateTimeOffset(), TimeSpan.FromSeconds(1));
        Assert.Single(test.Meta.Requests.To("/messages", "POST"));
    }

    [Fact]
    public async Task Outside_the_window_the_request_goes_as_the_configured_template_and_the_answer_counts_it()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        using var sent = await ConsentTestApp.RequestPermissionAsync(agent);
        var body = await ConsentTestApp.ExpectAsync(sent, HttpStatusCode.Accepted);

        Assert.Equal("template", body.GetProperty("channel").GetString());
        Assert.Equal("call_permission_request", body.GetProperty("templateName").GetString());
        var graph = Assert.Single(test.Meta.Requests.To("/messages", "POST"));
        Assert.Contains("\"template\"", graph.Body, StringComparison.Ordinal);
        var eligibility = body.GetProperty("eligibility");
        Assert.Equal("pending", eligibility.GetProperty("permission").GetProperty("status").GetString());
        var logged = Assert.Single(await test.App.Services.GetRequiredService<SentMessageLog>().ListAsync(
            ConsentTestApp.Number, ContactKey.ForBsuid(ConsentTestApp.CustomerBsuid), CancellationToken.None));
        Assert.Equal((body.GetProperty("messageId").GetString(), SentMessageKind.Template, SentMessagePurpose.PermissionRequest, "agent-1"),
            (logged.MessageId, logged.Kind, logged.Purpose, logged.AgentId));
        Assert.Equal(0, eligibility.GetProperty("permissionRequest").GetProperty("requestsLeftToday").GetInt32());
        Assert.Equal(1, eligibility.GetProperty("permissionRequest").GetProperty("requestsLeftThisWeek").GetInt32());
    }

    [Fact]
    public async Task Without_a_template_and_outside_the_window_the_request_is_refused_with_the_reason()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite, new Dictionary<string, string?> { ["WhatsApp:PermissionRequestTemplate"] = "" });
        using var agent = await test.App.ClientForAsync("agent-1");

        using var sent = await ConsentTestApp.RequestPermissionAsync(agent);
        var problem = await ConsentTestApp.ExpectAsync(sent, HttpStatusCode.Conflict);

        var codes = problem.GetProperty("reasons").EnumerateArray().Select(r => r.GetProperty("code").GetString()).ToList();
        Assert.Contains("noTemplateConfigured", codes);
        Assert.Empty(test.Meta.Requests.To("/messages", "POST"));
    }

    [Fact]
    public async Task When_Meta_fails_the_send_the_agent_gets_a_502_with_an_actionable_message_and_nothing_is_recorded()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        test.Meta.Faults.FailNext("/messages", 1, 503);

        using var response = await ConsentTestApp.RequestPermissionAsync(agent);
        var problem = await ConsentTestApp.ExpectAsync(response, HttpStatusCode.BadGateway);

        Assert.Equal("metaUnavailable", problem.GetProperty("reason").GetString());
        Assert.Contains("try again", problem.GetProperty("detail").GetString()!, StringComparison.OrdinalIgnoreCase);
        var report = await ConsentTestApp.CallingAsync(agent);
        Assert.Equal("none", report.GetProperty("permission").GetProperty("status").GetString());
        Assert.True(report.GetProperty("permissionRequest").GetProperty("allowed").GetBoolean());
    }

    [Fact]
    public async Task Consent_rules_the_domain_cannot_run_on_stop_the_app_at_start_up()
    {
        var error = await Assert.ThrowsAnyAsync<Exception>(() => ConsentTestApp.StartAsync(azurite,
            new Dictionary<string, string?> { ["Consent:MaxRequestsPerDay"] = "0" }));

        Assert.Contains("MaxRequestsPerDay must be at least 1", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("12")]
    public async Task A_contact_that_is_neither_a_number_nor_a_BSUID_is_a_400_naming_contact(string contact)
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        using var response = await agent.GetAsync(new Uri($"api/contacts/{contact}/calling", UriKind.Relative));
        var problem = await ConsentTestApp.ExpectAsync(response, HttpStatusCode.BadRequest);

        Assert.Equal("contact", problem.GetProperty("field").GetString());
    }

    [Fact]
    public async Task With_two_business_numbers_a_missing_or_unknown_phoneNumberId_is_a_400_naming_it()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["BusinessNumbers:1:PhoneNumberId"] = "200000000000002",
            ["BusinessNumbers:1:DisplayNumber"] = "+442079460001",
            ["BusinessNumbers:1:Country"] = "GB",
        });
        using var agent = await test.App.ClientForAsync("agent-1");

        using var missing = await agent.GetAsync(new Uri($"api/contacts/{ConsentTestApp.Customer}/calling", UriKind.Relative));
        Assert.Equal("phoneNumberId", (await ConsentTestApp.ExpectAsync(missing, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        using var unknown = await agent.PostAsync(
            new Uri($"api/contacts/{ConsentTestApp.Customer}/permission-requests?phoneNumberId=999", UriKind.Relative), null);
        Assert.Equal("phoneNumberId", (await ConsentTestApp.ExpectAsync(unknown, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
        using var named = await agent.GetAsync(
            new Uri($"api/contacts/{ConsentTestApp.Customer}/calling?phoneNumberId=200000000000002", UriKind.Relative));
        var report = await ConsentTestApp.ExpectAsync(named, HttpStatusCode.OK);
        Assert.Equal("200000000000002", report.GetProperty("phoneNumberId").GetString());
    }

    [Fact]
    public async Task A_bodyText_that_is_not_a_string_is_a_400_naming_bodyText()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        using var response = await ConsentTestApp.RequestPermissionAsync(agent, body: new { bodyText = 5 });

        Assert.Equal("bodyText", (await ConsentTestApp.ExpectAsync(response, HttpStatusCode.BadRequest)).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Without_a_token_the_routes_answer_401_and_without_the_agent_role_403()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite, new Dictionary<string, string?>
        {
            ["Auth:DevAgents"] = RunningFunctionApp.DevAgents + ";viewer-1:supervisor",
        });
        using var viewer = await test.App.ClientForAsync("viewer-1");

        using var anonymous = await test.App.Client.GetAsync(new Uri($"api/contacts/{ConsentTestApp.Customer}/calling", UriKind.Relative));
        using var anonymousPost = await ConsentTestApp.RequestPermissionAsync(test.App.Client);
        using var forbidden = await viewer.GetAsync(new Uri($"api/contacts/{ConsentTestApp.Customer}/calling", UriKind.Relative));
        using var forbiddenPost = await ConsentTestApp.RequestPermissionAsync(viewer);

        Assert.Equal(
            [HttpStatusCode.Unauthorized, HttpStatusCode.Unauthorized, HttpStatusCode.Forbidden, HttpStatusCode.Forbidden],
            new[] { anonymous.StatusCode, anonymousPost.StatusCode, forbidden.StatusCode, forbiddenPost.StatusCode });
        Assert.Empty(test.Meta.Requests.To("/messages", "POST"));
    }

    [Fact]
    public async Task Refresh_applies_Meta_s_answer_when_it_disagrees_and_records_the_correction()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        test.Meta.Simulator.GrantPermission(test.User, FakeMeta.Simulation.PermissionKind.Permanent, RunningFunctionApp.BusinessNumberId);

        using var response = await agent.PostAsync(
            new Uri($"api/contacts/{ConsentTestApp.Customer}/calling/refresh", UriKind.Relative), null);
        var body = await ConsentTestApp.ExpectAsync(response, HttpStatusCode.OK);

        Assert.True(body.GetProperty("corrected").GetBoolean());
        var eligibility = body.GetProperty("eligibility");
        Assert.Equal("permanent", eligibility.GetProperty("permission").GetProperty("status").GetString());
        Assert.Equal("metaCorrection", eligibility.GetProperty("permission").GetProperty("source").GetString());
        Assert.True(eligibility.GetProperty("call").GetProperty("allowed").GetBoolean());
        Assert.Contains("Meta reported Permanent", eligibility.GetProperty("lastCorrection").GetProperty("description").GetString()!, StringComparison.Ordinal);
    }
}
