using System.Net;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Webhooks;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

/// <summary>The whole path: Meta's signed terminate webhook → queue → event processor → billing handler → ledger.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class TerminateWebhookChargingTests(AzuriteFixture azurite)
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task A_terminate_webhook_delivered_twice_and_after_a_late_connect_charges_the_call_once()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WhatsApp:WabaId"] = P.WabaId,
            ["BusinessNumbers:0:PhoneNumberId"] = P.BusinessPhoneNumberId,
        });
        const string india = "919876543210";
        var callId = "wacid.billing" + Guid.NewGuid().ToString("N");
        var terminate = P.SingleChange("calls", P.CallsValue(P.Contact(india, "IN.1234567890"), [P.TerminateItem(
            callId, "BUSINESS_INITIATED", "COMPLETED", P.Timestamp + 66, P.Timestamp + 10, P.Timestamp + 66, 56, userPhone: india, userBsuid: "IN.1234567890")]));
        var connect = P.BusinessInitiatedConnect(callId, india, "IN.1234567890");

        foreach (var body in new[] { terminate, terminate, connect })
        {
            using var response = await WebhookClient.PostSignedAsync(app, body);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var ledger = app.Services.GetRequiredService<LedgerStore>();
        var queue = await app.Services.GetRequiredService<AppStorage>().QueueAsync(AppQueues.WebhookEvents, CancellationToken.None);
        await Eventually.UntilAsync(() => ledger.GetBalanceAsync(P.WabaId, CancellationToken.None), b => b.Entries > 0, HangGuard, "the call to be charged");
        await Eventually.UntilAsync(() => queue.GetApproximateMessageCountAsync(), n => n == 0, HangGuard, "the work queue to drain");

        var entry = Assert.Single(await ledger.ReadAllAsync(P.WabaId, CancellationToken.None)).Entry;
        Assert.Equal("call:" + callId, entry.Key);
        Assert.Equal(new Money(-0.0053m), entry.Amount);
        Assert.Equal(new Money(-0.0053m), (await ledger.GetBalanceAsync(P.WabaId, CancellationToken.None)).Balance);
    }
}
