using FakeMeta;
using FakeMeta.Simulation;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Webhooks;

namespace WhatsAppCalling.FunctionApp.Tests.EndToEnd;

/// <summary>The fake Meta (rules from Meta's docs, not our code) drives the function app's real webhook endpoint.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class FakeMetaWebhookTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task A_signed_user_initiated_connect_from_the_fake_meta_is_accepted_and_reaches_the_timeline()
    {
        await using var meta = await FakeMetaServer.StartAsync(new FakeMetaOptions
        {
            AccessToken = RunningFunctionApp.GraphToken,
            AppSecret = RunningFunctionApp.AppSecret,
        });
        var number = meta.Options.BusinessNumbers[0];
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WhatsApp:GraphBaseUrl"] = meta.BaseUrl.ToString(),
            ["BusinessNumbers:0:PhoneNumberId"] = number.PhoneNumberId,
            ["BusinessNumbers:0:DisplayNumber"] = number.DisplayNumber,
            ["BusinessNumbers:0:Country"] = number.Country,
        });
        var customer = FakeUser.WithNumber("447700900555", "Ada Customer");

        var call = await meta.SendUserInitiatedConnectAsync(
            new Uri(app.BaseAddress, "api/webhooks/whatsapp"), RunningFunctionApp.AppSecret, customer, SdpRules.MetaOffer());

        Assert.Equal(200, call.Connect.ResponseStatus);
        var timeline = await Eventually.UntilAsync(
            () => WebhookClient.TimelineAsync(app, customer.WaId!, number.PhoneNumberId), t => t.Entries.Count > 0, TimeSpan.FromSeconds(60), "the call on the timeline");
        var entry = Assert.Single(timeline.Entries);
        Assert.Equal(("call.incoming", call.CallId), (entry.Kind, entry.CallId));
        Assert.Contains(customer.UserId, timeline.KnownAs);
    }
}
