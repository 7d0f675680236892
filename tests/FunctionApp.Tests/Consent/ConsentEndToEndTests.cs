using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta.Simulation;
using TestSupport;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>
/// Issue 6 "done when": a request through the API, the customer's approval as a signed webhook from the fake Meta
/// through the app's ingest and event processor, the eligibility answer, and the 168 h expiry applied by the
/// durable timer on the test clock.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentEndToEndTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(60);

    [Fact]
    public async Task A_temporary_approval_allows_calls_until_the_expiry_timer_fires_after_168_hours_and_then_calls_are_refused_as_expired()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        ConsentTestApp.AssertAccepted(await test.Meta.Users.SendTextAsync(test.User, "Please call me"));
        await Eventually.UntilAsync(() => ConsentTestApp.CallingAsync(agent), r => r.GetProperty("window").GetProperty("open").GetBoolean(),
            HangGuard, "the customer's message to open the window");

        using var sent = await ConsentTestApp.RequestPermissionAsync(agent, "+" + ConsentTestApp.Customer, new { bodyText = "May we call you about your order?" });
        var request = await ConsentTestApp.ExpectAsync(sent, HttpStatusCode.Accepted);
        Assert.Equal("freeForm", request.GetProperty("channel").GetString());
        var messageId = request.GetProperty("messageId").GetString()!;
        var graphRequest = Assert.Single(test.Meta.Requests.To("/messages", "POST"));
        Assert.Contains("call_permission_request", graphRequest.Body, StringComparison.Ordinal);

        ConsentTestApp.AssertAccepted(await test.Meta.Users.ReplyToPermissionAsync(test.User, PermissionReplyScenario.TemporaryApproval, messageId));
        var allowed = await Eventually.UntilAsync(() => ConsentTestApp.CallingAsync(agent),
            r => r.GetProperty("call").GetProperty("allowed").GetBoolean(), HangGuard, "the approval webhook to allow calls");
        Assert.True(allowed.GetProperty("call").GetProperty("allowed").GetBoolean());
        Assert.Equal("temporary", allowed.GetProperty("permission").GetProperty("status").GetString());
        var expiresAt = allowed.GetProperty("permission").GetProperty("expiresAt").GetDateTimeOffset();
        Assert.Equal(ConsentTestApp.Start.AddHours(168), expiresAt, TimeSpan.FromSeconds(1));

        test.Clock.Advance(TimeSpan.FromHours(168) + TimeSpan.FromMinutes(1));
        var contact = ContactKey.ForBsuid(ConsentTestApp.CustomerBsuid);
        await Eventually.UntilAsync(
            () => test.Store.GetAsync(ConsentTestApp.Number, contact, CancellationToken.None),
            s => s.State.Decision?.ExpiryApplied == true, HangGuard, "the expiry timer to mark the permission expired");

        var refused = await ConsentTestApp.CallingAsync(agent);
        var call = refused.GetProperty("call");
        Assert.False(call.GetProperty("allowed").GetBoolean());
        Assert.Equal("expired", refused.GetProperty("permission").GetProperty("status").GetString());
        var reason = Assert.Single(call.GetProperty("reasons").EnumerateArray());
        Assert.Equal("permissionExpired", reason.GetProperty("code").GetString());
        Assert.Contains("permission expired", reason.GetProperty("message").GetString()!, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_permanent_approval_never_expires_and_sets_no_expiry_timer()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        using var sent = await ConsentTestApp.RequestPermissionAsync(agent);
        var request = await ConsentTestApp.ExpectAsync(sent, HttpStatusCode.Accepted);
        Assert.Equal("template", request.GetProperty("channel").GetString());
        ConsentTestApp.AssertAccepted(await test.Meta.Users.ReplyToPermissionAsync(
            test.User, PermissionReplyScenario.PermanentApproval, request.GetProperty("messageId").GetString()));

        var stored = await Eventually.UntilAsync(
            () => test.Store.GetAsync(ConsentTestApp.Number, ContactKey.ForBsuid(ConsentTestApp.CustomerBsuid), CancellationToken.None),
            s => s.State.Decision is not null, HangGuard, "the approval webhook to reach the consent store");
        Assert.Equal(PermissionDecisionKind.Permanent, stored.State.Decision?.Kind);
        Assert.Null(stored.ScheduledTimer);

        test.Clock.Advance(TimeSpan.FromDays(400));
        var later = await ConsentTestApp.CallingAsync(agent);
        Assert.True(later.GetProperty("call").GetProperty("allowed").GetBoolean());
        Assert.Equal("permanent", later.GetProperty("permission").GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, later.GetProperty("permission").GetProperty("expiresAt").ValueKind);
        Assert.False(later.GetProperty("permissionRequest").GetProperty("allowed").GetBoolean());
    }
}
