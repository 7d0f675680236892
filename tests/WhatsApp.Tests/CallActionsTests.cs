using FakeMeta.Simulation;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>POST /{phone-number-id}/calls against the fake (whatsapp-calling-api.md §2).</summary>
public sealed class CallActionsTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task Connect_with_permission_returns_the_call_id_and_sends_the_documented_body()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);

        var result = await h.Client.ConnectAsync(h.Number,
            new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer(), "ticket-42"));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.StartsWith("wacid.", result.Value.CallId.Value, StringComparison.Ordinal);
        var body = Assert.Single(h.Meta.Requests.To("/calls")).Json!;
        Assert.Equal("whatsapp", (string?)body["messaging_product"]);
        Assert.Equal(user.WaId, (string?)body["to"]);
        Assert.Equal("connect", (string?)body["action"]);
        Assert.Equal("offer", (string?)body["session"]!["sdp_type"]);
        Assert.Equal("ticket-42", (string?)body["biz_opaque_callback_data"]);
    }

    [Fact]
    public async Task Connect_by_bsuid_sends_recipient_and_no_to()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);

        var result = await h.Client.ConnectAsync(h.Number,
            new ConnectCallRequest(Recipient.ForBsuid(user.UserId), SdpRules.BusinessOffer()));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var body = Assert.Single(h.Meta.Requests.To("/calls")).Json!;
        Assert.Equal(user.UserId, (string?)body["recipient"]);
        Assert.Null(body["to"]);
    }

    [Fact]
    public async Task Connect_without_permission_fails_with_no_call_permission_and_keeps_meta_fields()
    {
        var user = h.Customer();

        var result = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.False(result.IsSuccess);
        Assert.Equal(138006, result.Error.Code);
        Assert.Equal(401, result.Error.HttpStatus);
        Assert.Equal(CallingFailureReason.NoCallPermission, result.Error.Reason);
        Assert.StartsWith("FakeTrace", result.Error.FbTraceId, StringComparison.Ordinal);
        Assert.Contains("no call permission", result.Error.AgentMessage, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task Connect_from_a_us_business_number_fails_with_country_not_allowed()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        h.Meta.Simulator.GrantPermission(user, PermissionKind.Permanent, "100000000000002");

        var result = await h.Client.ConnectAsync(new BusinessNumberId("100000000000002"),
            new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.Equal(CallingFailureReason.BusinessCountryNotAllowed, result.Error?.Reason);
        Assert.Equal(138013, result.Error?.Code);
    }

    [Fact]
    public async Task Connect_on_a_number_with_calling_disabled_fails_with_calling_not_enabled()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        h.Meta.Simulator.SetCallingEnabled(h.Number.Value, false);

        var result = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.Equal(CallingFailureReason.CallingNotEnabled, result.Error?.Reason);
    }

    [Fact]
    public async Task Connect_with_lf_line_ends_fails_as_invalid_parameter_with_details()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);

        var result = await h.Client.ConnectAsync(h.Number,
            new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer().Replace("\r\n", "\n", StringComparison.Ordinal)));

        Assert.Equal(100, result.Error?.Code);
        Assert.Equal(CallingFailureReason.InvalidParameter, result.Error?.Reason);
        Assert.Contains("CRLF", result.Error?.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_to_an_uncallable_user_fails_with_customer_unreachable()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        h.Meta.Simulator.MarkUncallable(user);

        var result = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.Equal(CallingFailureReason.CustomerUnreachable, result.Error?.Reason);
        Assert.Contains("not reachable on WhatsApp", result.Error?.AgentMessage, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_second_connect_while_the_first_rings_fails_as_duplicate_call()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        var request = new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer());
        await h.Client.ConnectAsync(h.Number, request);

        var second = await h.Client.ConnectAsync(h.Number, request);

        Assert.Equal(CallingFailureReason.DuplicateCall, second.Error?.Reason);
    }

    [Theory]
    [InlineData(429)]
    [InlineData(503)]
    public async Task Connect_is_not_retried_after_a_transient_failure(int status)
    {
        var user = h.Customer(permission: PermissionKind.Permanent);
        h.Meta.Faults.FailNext("/calls", 1, status);

        var result = await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.Equal(status, result.Error?.HttpStatus);
        Assert.Single(h.Meta.Requests.To("/calls"));
    }

    [Fact]
    public async Task Callback_data_longer_than_512_characters_is_refused_before_sending()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);

        await Assert.ThrowsAsync<ArgumentException>(() => h.Client.ConnectAsync(h.Number,
            new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer(), new string('x', 513))));
        Assert.Empty(h.Meta.Requests.All);
    }

    [Fact]
    public async Task Pre_accept_then_accept_with_the_same_answer_succeeds()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        var id = new CallId(call.CallId);

        var pre = await h.Client.PreAcceptAsync(h.Number, id, SdpRules.BusinessAnswer());
        var accept = await h.Client.AcceptAsync(h.Number, id, SdpRules.BusinessAnswer(), "case-7");

        Assert.True(pre.IsSuccess, pre.Error?.Message);
        Assert.True(accept.IsSuccess, accept.Error?.Message);
        Assert.Equal(CallState.Connected, h.Meta.Simulator.FindCall(call.CallId)!.State);
        Assert.Equal("answer", (string?)h.Meta.Requests.To("/calls")[1].Json!["session"]!["sdp_type"]);
    }

    [Fact]
    public async Task Accept_with_an_answer_other_than_the_pre_accepted_one_fails()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        var id = new CallId(call.CallId);
        await h.Client.PreAcceptAsync(h.Number, id, SdpRules.BusinessAnswer());

        var accept = await h.Client.AcceptAsync(h.Number, id, SdpRules.BusinessAnswer().Replace("3480", "3490", StringComparison.Ordinal));

        Assert.Equal(CallingFailureReason.InvalidParameter, accept.Error?.Reason);
        Assert.Contains("identical", accept.Error?.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Pre_accept_of_an_unknown_call_fails_as_invalid_parameter()
    {
        var result = await h.Client.PreAcceptAsync(h.Number, new CallId("wacid.unknown"), SdpRules.BusinessAnswer());

        Assert.Equal(100, result.Error?.Code);
    }

    [Fact]
    public async Task Accept_with_a_passive_dtls_role_fails_as_invalid_parameter()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());

        var result = await h.Client.AcceptAsync(h.Number, new CallId(call.CallId),
            SdpRules.BusinessAnswer().Replace("a=setup:active", "a=setup:passive", StringComparison.Ordinal));

        Assert.Contains("setup:active", result.Error?.Details, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reject_ends_the_call_and_meta_sends_terminate()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());

        var result = await h.Client.RejectAsync(h.Number, new CallId(call.CallId));
        await h.Meta.Webhooks.WhenIdleAsync();

        Assert.True(result.IsSuccess, result.Error?.Message);
        var terminate = h.Receiver.Received[^1].Value["calls"]![0]!;
        Assert.Equal("terminate", (string?)terminate["event"]);
        Assert.Equal(call.CallId, (string?)terminate["id"]);
    }

    [Fact]
    public async Task Terminate_is_retried_after_a_503_and_then_succeeds()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        await h.Client.AcceptAsync(h.Number, new CallId(call.CallId), SdpRules.BusinessAnswer());
        h.Meta.Faults.FailNext("/calls", 2, 503);

        var result = await h.Client.TerminateAsync(h.Number, new CallId(call.CallId));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(4, h.Meta.Requests.To("/calls").Count);
    }

    [Fact]
    public async Task Terminating_an_ended_call_fails()
    {
        var call = await h.Meta.Users.CallBusinessAsync(h.Customer(), SdpRules.MetaOffer());
        await h.Meta.Users.HangUpAsync(call.CallId);

        var result = await h.Client.TerminateAsync(h.Number, new CallId(call.CallId));

        Assert.Equal(CallingFailureReason.InvalidParameter, result.Error?.Reason);
    }
}
