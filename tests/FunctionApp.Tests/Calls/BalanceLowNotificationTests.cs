using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using WhatsAppCalling.FunctionApp.Tests.Webhooks;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// The charge that takes the prepaid balance under the $10 minimum tells agents over SignalR ("balance low", issue 8),
/// through the whole path: Meta's signed terminate → queue → billing handler → ledger → notification.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class BalanceLowNotificationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_call_charge_that_crosses_the_minimum_sends_balanceLow_to_a_connected_agent()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WhatsApp:WabaId"] = P.WabaId,
            ["BusinessNumbers:0:PhoneNumberId"] = P.BusinessPhoneNumberId,
        });
        using (var admin = await app.ClientForAsync("admin-1"))
        using (var request = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups") { Content = JsonContent.Create(new { amountUsd = 10.001m }) })
        {
            request.Headers.Add("Idempotency-Key", "balance-low-top-up");
            using var topUp = await admin.SendAsync(request);
            topUp.EnsureSuccessStatusCode();
        }

        using var agent = await app.ClientForAsync("agent-1");
        await using var console = await SignalRJsonClient.ConnectAsync(agent);
        const string india = "919876543210";
        var callId = "wacid.low" + Guid.NewGuid().ToString("N");
        var terminate = P.SingleChange("calls", P.CallsValue(P.Contact(india, "IN.1234567890"), [P.TerminateItem(
            callId, "BUSINESS_INITIATED", "COMPLETED", P.Timestamp + 66, P.Timestamp + 10, P.Timestamp + 66, 56, userPhone: india, userBsuid: "IN.1234567890")]));

        using (var response = await WebhookClient.PostSignedAsync(app, terminate))
        {
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var low = await NextAsync(console, "balanceLow", TimeSpan.FromSeconds(30));
        // $10.001 less the call's $0.0053 (the same call TerminateWebhookChargingTests prices).
        Assert.Equal(("9.9957", "10"), (low.GetProperty("balanceUsd").GetString(), low.GetProperty("minimumUsd").GetString()));
        Assert.Equal(P.WabaId, low.GetProperty("wabaId").GetString());
    }
}
