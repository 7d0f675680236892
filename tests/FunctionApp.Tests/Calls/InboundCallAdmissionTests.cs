using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>A user call with the balance under the $10 minimum is rejected through Graph and rings nobody.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class InboundCallAdmissionTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        var options = new FakeMetaOptions { AccessToken = RunningFunctionApp.GraphToken, AppSecret = RunningFunctionApp.AppSecret };
        options.BusinessNumbers.Clear();
        options.BusinessNumbers.Add(new FakeBusinessNumber(RunningFunctionApp.BusinessNumberId, "442079460000", "GB"));
        _meta = await FakeMetaServer.StartAsync(options);
        _app = await RunningFunctionApp.StartAsync(
            azurite.ConnectionString,
            new Dictionary<string, string?> { ["WhatsApp:GraphBaseUrl"] = _meta.BaseUrl.ToString().TrimEnd('/') },
            b => b.Services.AddSingleton<IMediaRelay>(_relay));
        options.CallbackUrl = new Uri(_app.BaseAddress, "api/webhooks/whatsapp");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_call_under_the_minimum_balance_is_rejected_via_Graph_without_a_relay_session()
    {
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900999"), SdpRules.MetaOffer());
        var store = _app.Services.GetRequiredService<CallStore>();
        var deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(20);
        InboundCall? stored;
        while ((stored = await store.GetAsync(new CallId(call.CallId), CancellationToken.None))?.Phase != InboundCallPhase.Rejected)
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "The call was never rejected.");
            await Task.Delay(100);
        }

        Assert.Equal(CallAdmission.BalanceBelowMinimum, stored!.RejectedFor);
        deadline = DateTimeOffset.UtcNow + TimeSpan.FromSeconds(10);
        while (!_meta.Requests.All.Any(r => r.Path.EndsWith("/calls", StringComparison.Ordinal) && (string?)r.Json?["action"] == "reject"))
        {
            Assert.True(DateTimeOffset.UtcNow < deadline, "Graph reject was never sent.");
            await Task.Delay(100);
        }

        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "pre_accept");
        Assert.Empty(_relay.Operations);
    }
}
