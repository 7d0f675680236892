using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.Storage.Timers;
using WebhookResponse = WhatsAppCalling.Domain.Webhooks.PermissionResponse;

namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>Webhooks into the consent store: permission, window, connected calls, the unanswered streak, timers.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentEventHandlerTests(AzuriteFixture azurite)
{
    private static readonly ContactKey Bsuid = ContactKey.ForBsuid(ConsentTestApp.CustomerBsuid);
    private static readonly DateTimeOffset T0 = ConsentTestApp.Start;

    [Fact]
    public async Task A_reply_carrying_number_and_BSUID_is_found_by_the_number_with_or_without_plus_and_by_the_BSUID()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        await test.DeliverAsync(ConsentEvents.Reply(T0, permanent: false));

        foreach (var contact in new[] { ConsentTestApp.Customer, "+" + ConsentTestApp.Customer, ConsentTestApp.CustomerBsuid })
        {
            var report = await ConsentTestApp.CallingAsync(agent, contact);
            Assert.Equal(ConsentTestApp.CustomerBsuid, report.GetProperty("contact").GetString());
            Assert.Equal("temporary", report.GetProperty("permission").GetProperty("status").GetString());
        }
    }

    [Fact]
    public async Task Facts_stored_under_the_number_join_the_BSUID_record_once_a_webhook_links_them()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        var phoneKey = ContactKey.ForPhone(PhoneNumber.Parse(ConsentTestApp.Customer));
        await test.DeliverAsync(ConsentEvents.Text(T0, bsuid: null));
        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.early", T0.AddMinutes(1), pickedUp: true) with
        {
            Header = ConsentEvents.Header(T0.AddMinutes(1), bsuid: null),
        });

        await test.DeliverAsync(ConsentEvents.Reply(T0.AddMinutes(5), permanent: false));

        var merged = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);
        Assert.Contains(merged.State.Activity, a => a.Kind == CustomerActivityKind.Message && a.At == T0);
        Assert.Single(merged.State.ConnectedBusinessCalls);
        Assert.Equal(PermissionDecisionKind.Temporary, merged.State.Decision?.Kind);
        var orphan = await test.Store.GetAsync(ConsentTestApp.Number, phoneKey, CancellationToken.None);
        Assert.Equal(ConsentState.Empty(ConsentTestApp.Number, phoneKey), orphan.State);
    }

    [Fact]
    public async Task A_temporary_grant_schedules_an_expiry_timer_for_its_expiration_timestamp()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        var expires = T0.AddHours(100);

        await test.DeliverAsync(ConsentEvents.Reply(T0, permanent: false, expiresAt: expires));

        var stored = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);
        Assert.Equal(new ConsentTimer(expires, stored.State.Version, ConsentTimerKind.TemporaryPermissionExpiry), stored.ScheduledTimer);
    }

    [Fact]
    public async Task An_old_timer_does_not_expire_a_permission_renewed_since_it_was_set()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        await test.DeliverAsync(ConsentEvents.Reply(T0, permanent: false));
        var first = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);
        await test.DeliverAsync(ConsentEvents.Reply(T0.AddHours(100), permanent: false));
        test.Clock.Advance(TimeSpan.FromHours(169));

        var handler = test.App.Services.GetServices<IDurableTimerHandler>().OfType<ConsentExpiryTimerHandler>().Single();
        await handler.HandleAsync(new DurableTimer(ConsentStore.TimerKind, ConsentStore.InstanceId(ConsentTestApp.Number, Bsuid),
            first.State.Version, T0.AddHours(168)), CancellationToken.None);

        var stored = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);
        Assert.False(stored.State.Decision!.ExpiryApplied);
        Assert.True(new CallingEligibility(test.Store.Rules).Evaluate(stored.State, test.Clock.GetUtcNow()).Allowed);
    }

    [Fact]
    public async Task Four_unanswered_business_calls_revoke_the_permission_and_two_flag_the_customer()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        await test.DeliverAsync(ConsentEvents.Reply(T0, permanent: true));

        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.1", T0.AddMinutes(10), pickedUp: false));
        await test.DeliverAsync(ConsentEvents.BusinessCallStatus("wacid.2", T0.AddMinutes(20), CallStatus.Rejected));
        var flagged = (await ConsentTestApp.CallingAsync(agent)).GetProperty("call");
        Assert.True(flagged.GetProperty("allowed").GetBoolean());
        Assert.True(flagged.GetProperty("customerFlagged").GetBoolean());
        Assert.Equal(2, flagged.GetProperty("unansweredCallsUntilRevocation").GetInt32());

        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.3", T0.AddMinutes(30), pickedUp: false));
        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.4", T0.AddMinutes(40), pickedUp: false));
        var revoked = await ConsentTestApp.CallingAsync(agent);

        Assert.Equal("revoked", revoked.GetProperty("permission").GetProperty("status").GetString());
        Assert.Equal(4, revoked.GetProperty("call").GetProperty("unansweredStreak").GetInt32());
        Assert.Equal("permissionRevokedForUnansweredCalls",
            revoked.GetProperty("call").GetProperty("reasons")[0].GetProperty("code").GetString());
    }

    [Fact]
    public async Task A_connected_business_call_counts_toward_the_daily_limit_ends_the_streak_and_resets_the_request_limits()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");
        await test.DeliverAsync(ConsentEvents.Text(T0));
        using (var sent = await ConsentTestApp.RequestPermissionAsync(agent))
        {
            await ConsentTestApp.ExpectAsync(sent, System.Net.HttpStatusCode.Accepted);
        }

        await test.DeliverAsync(ConsentEvents.Reply(T0.AddMinutes(1), permanent: false));
        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.missed", T0.AddMinutes(5), pickedUp: false));
        await test.DeliverAsync(ConsentEvents.BusinessCallStatus("wacid.ok", T0.AddMinutes(10), CallStatus.Accepted));
        await test.DeliverAsync(ConsentEvents.BusinessCallEnded("wacid.ok", T0.AddMinutes(12), pickedUp: true));
        test.Clock.Advance(TimeSpan.FromMinutes(15));

        var report = await ConsentTestApp.CallingAsync(agent);
        var call = report.GetProperty("call");
        Assert.Equal(1, call.GetProperty("connectedCallsLast24Hours").GetInt32());
        Assert.Equal(99, call.GetProperty("connectedCallsLeft24Hours").GetInt32());
        Assert.Equal(0, call.GetProperty("unansweredStreak").GetInt32());
        Assert.Equal(1, report.GetProperty("permissionRequest").GetProperty("requestsLeftToday").GetInt32());
    }

    [Fact]
    public async Task A_stale_message_still_opens_the_window_and_a_redelivery_changes_nothing()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        var message = ConsentEvents.Text(T0.AddMinutes(-30));

        await test.DeliverAsync(message, stale: true);
        var first = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);
        await test.DeliverAsync(message);
        var second = await test.Store.GetAsync(ConsentTestApp.Number, Bsuid, CancellationToken.None);

        Assert.True(CustomerServiceWindow.IsOpenAt(second.State, T0, test.Store.Rules));
        Assert.Equal(first.State, second.State);
    }

    [Fact]
    public async Task A_decline_is_recorded_and_a_new_request_waits_24_hours()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        using var agent = await test.App.ClientForAsync("agent-1");

        await test.DeliverAsync(ConsentEvents.Reply(T0, permanent: false, response: WebhookResponse.Reject));
        var report = await ConsentTestApp.CallingAsync(agent);

        Assert.Equal("declined", report.GetProperty("permission").GetProperty("status").GetString());
        var request = report.GetProperty("permissionRequest");
        Assert.False(request.GetProperty("allowed").GetBoolean());
        Assert.Equal(T0.AddHours(24), request.GetProperty("nextAllowedAt").GetDateTimeOffset());
        Assert.Contains(request.GetProperty("reasons").EnumerateArray(), r => r.GetProperty("code").GetString() == "recentlyDeclined");
    }
}
