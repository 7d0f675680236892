using FakeMeta.Simulation;
using FakeMeta.Webhooks;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>The fake's own per-pair limits behave as whatsapp-calling-api.md §3.5 says.</summary>
public sealed class FakeMetaLimitsTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    private Task<GraphResult<SentMessage>> AskAsync(FakeUser user) =>
        h.Client.SendCallPermissionRequestAsync(h.Number, GraphHarness.To(user));

    private async Task<string> StartBusinessCallAsync(FakeUser user)
    {
        var started = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));
        Assert.True(started.IsSuccess, started.Error?.Message);
        return started.Value.CallId.Value;
    }

    [Fact]
    public async Task A_second_request_is_allowed_once_24_hours_have_passed()
    {
        var user = h.Customer();
        await AskAsync(user);
        h.Clock.Advance(TimeSpan.FromHours(23));
        Assert.Equal(138009, (await AskAsync(user)).Error?.Code);

        h.Clock.Advance(TimeSpan.FromHours(1) + TimeSpan.FromSeconds(1));

        Assert.True((await AskAsync(user)).IsSuccess);
    }

    [Fact]
    public async Task A_third_request_within_7_days_is_refused_even_a_day_apart()
    {
        var user = h.Customer();
        await AskAsync(user);
        h.Clock.Advance(TimeSpan.FromDays(2));
        await AskAsync(user);
        h.Clock.Advance(TimeSpan.FromDays(2));

        Assert.Equal(138009, (await AskAsync(user)).Error?.Code);
        h.Clock.Advance(TimeSpan.FromDays(3) + TimeSpan.FromSeconds(1));
        Assert.True((await AskAsync(user)).IsSuccess);
    }

    [Fact]
    public async Task Limits_count_per_business_number_and_user_pair()
    {
        await AskAsync(h.Customer("4915111111111"));

        Assert.True((await AskAsync(h.Customer("4915122222222"))).IsSuccess);
    }

    [Fact]
    public async Task A_connected_user_initiated_call_resets_the_request_limits()
    {
        var user = h.Customer();
        await AskAsync(user);
        var call = await h.Meta.Users.CallBusinessAsync(user, SdpRules.MetaOffer());
        await h.Client.AcceptAsync(h.Number, new CallId(call.CallId), SdpRules.BusinessAnswer());

        Assert.True((await AskAsync(user)).IsSuccess);
    }

    [Fact]
    public async Task A_connected_business_initiated_call_resets_the_request_limits()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        await AskAsync(user);
        await h.Meta.Users.AnswerAsync(await StartBusinessCallAsync(user));

        Assert.Equal(0, h.Meta.Simulator.Permission(user).RequestsLast24Hours);
    }

    [Fact]
    public async Task A_missed_user_call_does_not_reset_the_request_limits()
    {
        var user = h.Customer();
        await AskAsync(user);
        var call = await h.Meta.Users.CallBusinessAsync(user, SdpRules.MetaOffer());
        await h.Client.RejectAsync(h.Number, new CallId(call.CallId));

        Assert.Equal(138009, (await AskAsync(user)).Error?.Code);
    }

    [Fact]
    public async Task A_temporary_permission_lapses_after_7_days()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        h.Clock.Advance(TimeSpan.FromDays(7));

        var result = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.Equal(CallingFailureReason.NoCallPermission, result.Error?.Reason);
    }

    [Fact]
    public async Task The_101st_connected_call_in_24_hours_is_refused_until_the_oldest_leaves_the_window()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        for (var i = 0; i < 100; i++)
        {
            var id = await StartBusinessCallAsync(user);
            await h.Meta.Users.AnswerAsync(id);
            await h.Meta.Users.HangUpAsync(id);
            h.Clock.Advance(TimeSpan.FromMinutes(1));
        }

        var refused = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));
        Assert.Equal(138012, refused.Error?.Code);
        Assert.Equal(CallingFailureReason.ConnectedCallLimit, refused.Error?.Reason);

        h.Clock.Advance(TimeSpan.FromDays(1) - TimeSpan.FromMinutes(100) + TimeSpan.FromSeconds(1));
        await StartBusinessCallAsync(user);
    }

    [Fact]
    public async Task Two_unanswered_business_calls_record_a_nudge_and_keep_the_permission()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        await h.Meta.Users.DoNotAnswerAsync(await StartBusinessCallAsync(user));
        await h.Meta.Users.RejectAsync(await StartBusinessCallAsync(user));

        Assert.Single(h.Meta.Simulator.Nudges);
        Assert.Equal(PermissionKind.Temporary, h.Meta.Simulator.Permission(user).Kind);
    }

    [Fact]
    public async Task Four_unanswered_business_calls_revoke_permission_with_a_signed_automatic_reject()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        for (var i = 0; i < 3; i++)
        {
            await h.Meta.Users.DoNotAnswerAsync(await StartBusinessCallAsync(user));
        }

        Assert.Equal(PermissionKind.Permanent, h.Meta.Simulator.Permission(user).Kind);
        await h.Meta.Users.RejectAsync(await StartBusinessCallAsync(user));

        Assert.Equal(PermissionKind.None, h.Meta.Simulator.Permission(user).Kind);
        var revocation = h.Receiver.Received[^1];
        Assert.True(WebhookSignature.IsValid(revocation.Body, GraphHarness.AppSecret, revocation.Signature));
        Assert.Equal("messages", revocation.Field);
        var reply = revocation.Value["messages"]![0]!;
        Assert.Null(reply["context"]);
        Assert.Equal("reject", (string?)reply["interactive"]!["call_permission_reply"]!["response"]);
        Assert.Equal("automatic", (string?)reply["interactive"]!["call_permission_reply"]!["response_source"]);
        var next = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));
        Assert.Equal(CallingFailureReason.NoCallPermission, next.Error?.Reason);
    }

    [Fact]
    public async Task An_answered_call_breaks_the_unanswered_streak()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        for (var i = 0; i < 3; i++)
        {
            await h.Meta.Users.DoNotAnswerAsync(await StartBusinessCallAsync(user));
        }

        await h.Meta.Users.AnswerAsync(await StartBusinessCallAsync(user));

        Assert.Equal(0, h.Meta.Simulator.Permission(user).UnansweredStreak);
        Assert.Equal(PermissionKind.Permanent, h.Meta.Simulator.Permission(user).Kind);
    }

    [Fact]
    public async Task Business_hang_ups_of_ringing_calls_count_as_unanswered_and_the_fourth_revokes()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);
        for (var i = 0; i < 4; i++)
        {
            var id = await StartBusinessCallAsync(user);
            Assert.True((await h.Client.TerminateAsync(h.Number, new CallId(id))).IsSuccess);
        }

        await h.Meta.Webhooks.WhenIdleAsync();

        Assert.Equal(PermissionKind.None, h.Meta.Simulator.Permission(user).Kind);
        Assert.Contains(h.Receiver.Received, w => w.Field == "messages"
            && (string?)w.Value["messages"]![0]!["interactive"]!["call_permission_reply"]!["response_source"] == "automatic");
    }
}
