using FakeMeta.Simulation;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>GET /{phone-number-id}/call_permissions in both documented shapes (§3.4), over loopback.</summary>
public sealed class CallPermissionsTests : IAsyncLifetime
{
    private GraphHarness h = null!;

    public async Task InitializeAsync() => h = await GraphHarness.StartAsync();

    public async Task DisposeAsync() => await h.DisposeAsync();

    [Fact]
    public async Task A_temporary_permission_reads_with_its_expiry_and_limits_in_the_guide_shape()
    {
        var user = h.Customer(permission: PermissionKind.Temporary);

        var result = await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(user));

        Assert.True(result.IsSuccess, result.Error?.Message);
        var state = result.Value;
        Assert.Equal(CallPermissionStatus.Temporary, state.Status);
        Assert.True(state.HasPermission);
        Assert.Equal(h.Clock.GetUtcNow().AddDays(7).ToUnixTimeSeconds(), state.ExpiresAt?.ToUnixTimeSeconds());
        var request = state.Action(CallPermissionState.SendPermissionRequestAction)!;
        Assert.Equal([TimeSpan.FromHours(24), TimeSpan.FromDays(7)], request.Limits.Select(l => l.TimePeriod));
        Assert.Equal("PT24H", request.Limits[0].RawTimePeriod);
        Assert.True(state.CanStartCall);
        Assert.Contains("user_wa_id=" + user.WaId, h.Meta.Requests.To("/call_permissions")[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_openapi_shape_with_empty_limits_reads_as_granted()
    {
        h.Meta.Simulator.PermissionResponseShape = PermissionResponseShape.OpenApi;
        var user = h.Customer(permission: PermissionKind.Permanent);

        var result = await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(user));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(CallPermissionStatus.Granted, result.Value.Status);
        Assert.Equal("granted", result.Value.RawStatus);
        Assert.Empty(result.Value.Action(CallPermissionState.StartCallAction)!.Limits);
        Assert.Equal(TimeSpan.FromHours(24), result.Value.Action(CallPermissionState.SendPermissionRequestAction)!.Limits[0].TimePeriod);
    }

    [Fact]
    public async Task A_user_without_permission_reads_as_no_permission_and_may_be_asked()
    {
        var result = await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(h.Customer()));

        Assert.Equal(CallPermissionStatus.NoPermission, result.Value?.Status);
        Assert.True(result.Value?.CanSendPermissionRequest);
        Assert.False(result.Value?.HasPermission);
    }

    [Fact]
    public async Task A_bsuid_is_looked_up_with_the_recipient_parameter()
    {
        var user = h.Customer(permission: PermissionKind.Permanent);

        var result = await h.Client.GetCallPermissionsAsync(h.Number, Recipient.ForBsuid(user.UserId));

        Assert.Equal(CallPermissionStatus.Permanent, result.Value?.Status);
        Assert.Contains("recipient=" + user.UserId, h.Meta.Requests.To("/call_permissions")[0].Query, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_429_on_the_lookup_is_retried_until_it_succeeds()
    {
        h.Meta.Faults.FailNext("/call_permissions", 2, 429);

        var result = await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(h.Customer()));

        Assert.True(result.IsSuccess, result.Error?.Message);
        Assert.Equal(3, h.Meta.Requests.To("/call_permissions").Count);
    }

    [Fact]
    public async Task A_persistent_429_ends_as_the_permissions_rate_limit_after_the_configured_retries()
    {
        h.Meta.Faults.FailNext("/call_permissions", 10, 429);

        var result = await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(h.Customer()));

        Assert.Equal(613, result.Error?.Code);
        Assert.Equal(CallingFailureReason.PermissionsRateLimited, result.Error?.Reason);
        Assert.Equal(4, h.Meta.Requests.To("/call_permissions").Count);
    }

    [Fact]
    public async Task A_400_on_the_lookup_is_not_retried()
    {
        var result = await h.Client.GetCallPermissionsAsync(new WhatsAppCalling.Domain.Primitives.BusinessNumberId("999"),
            GraphHarness.To(h.Customer()));

        Assert.Equal(100, result.Error?.Code);
        Assert.Equal(33, result.Error?.Subcode);
        Assert.Single(h.Meta.Requests.To("/call_permissions"));
    }
}
