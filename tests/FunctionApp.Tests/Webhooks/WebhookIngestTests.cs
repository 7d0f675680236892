using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Webhooks;

/// <summary>The webhook endpoint's contract: verification, signature, limits, and nothing stored unless verified.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookIngestTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["WhatsApp:AppSecretNext"] = "the-next-secret",
            ["WhatsApp:WebhookBodyLimitBytes"] = "4096",
            // Only the intake is under test here: nothing consumes the queue, so its contents can be counted.
            ["LocalTriggers:Enabled"] = "false",
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task Verification_echoes_the_raw_challenge_for_the_configured_token()
    {
        var body = await _app.Client.GetStringAsync($"/api/webhooks/whatsapp?hub.mode=subscribe&hub.challenge=1158201444&hub.verify_token={RunningFunctionApp.VerifyToken}");
        Assert.Equal("1158201444", body);
    }

    [Theory]
    [InlineData("subscribe", "wrong-token", "hub.verify_token")]
    [InlineData("unsubscribe", RunningFunctionApp.VerifyToken, "hub.mode")]
    public async Task Verification_with_a_wrong_token_or_mode_is_refused_with_403(string mode, string token, string named)
    {
        using var response = await _app.Client.GetAsync($"/api/webhooks/whatsapp?hub.mode={mode}&hub.challenge=42&hub.verify_token={token}");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_unsigned_delivery_gets_401_and_nothing_is_stored()
    {
        using var response = await WebhookClient.PostSignedAsync(_app, P.UserInitiatedConnect(), secret: null);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredDeliveriesAsync());
    }

    [Fact]
    public async Task A_delivery_signed_with_another_secret_gets_401_and_nothing_is_stored()
    {
        using var response = await WebhookClient.PostSignedAsync(_app, P.UserInitiatedConnect(), secret: "not-the-app-secret");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal(0, await StoredDeliveriesAsync());
    }

    [Fact]
    public async Task During_a_rotation_a_delivery_signed_with_the_next_secret_is_accepted_and_queued_per_change()
    {
        var before = await QueuedWorkItemsAsync();

        using var response = await WebhookClient.PostSignedAsync(_app, P.Batched("wacid.rot1", "wacid.rot2", "wacid.rot3"), secret: "the-next-secret");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var document = JsonDocument.Parse(P.Batched("wacid.rot1", "wacid.rot2", "wacid.rot3"));
        var changes = document.RootElement.GetProperty("entry").EnumerateArray().Sum(e => e.GetProperty("changes").GetArrayLength());
        Assert.Equal(before + changes, await QueuedWorkItemsAsync());
    }

    [Fact]
    public async Task A_body_over_the_limit_gets_413()
    {
        var huge = P.UserInitiatedConnect(sdp: new string('a', 5000));

        using var response = await WebhookClient.PostSignedAsync(_app, huge);

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
    }

    [Theory]
    [InlineData("this is not json", "$")]
    [InlineData("""{"object":"page","entry":[]}""", "object")]
    [InlineData("""{"object":"whatsapp_business_account"}""", "entry")]
    public async Task A_signed_body_that_is_not_a_whatsapp_delivery_gets_400_naming_what_is_wrong(string body, string named)
    {
        using var response = await WebhookClient.PostSignedAsync(_app, body);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    private async Task<int> StoredDeliveriesAsync()
    {
        var container = await _app.Services.GetRequiredService<AppStorage>().ContainerAsync(AppContainers.WebhookDeliveries, CancellationToken.None);
        var count = 0;
        await foreach (var _ in container.ListBlobsAsync())
        {
            count++;
        }

        return count;
    }

    private async Task<int> QueuedWorkItemsAsync()
    {
        var queue = await _app.Services.GetRequiredService<AppStorage>().QueueAsync(AppQueues.WebhookEvents, CancellationToken.None);
        return await queue.GetApproximateMessageCountAsync();
    }
}
