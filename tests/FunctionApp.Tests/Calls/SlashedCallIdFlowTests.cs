using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Tests.Notifications;
using static WhatsAppCalling.FunctionApp.Tests.Calls.AnsweredCall;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Meta's call ids are standard Base64 and may hold '/', '+' and '=', none of which is allowed or safe everywhere
/// (Table Storage keys forbid '/', a URL path splits on it). Such a call lives like any other.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class SlashedCallIdFlowTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string SlashedCallId = "wacid.HBgLNDQ3NzAw/OTAwNTU1FQIAEhgg+QUJDRA==";
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);
    private readonly RecordingMediaRelay _relay = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(azurite.ConnectionString, _relay);
        _meta.Options.CallIds = () => SlashedCallId;
        await CallsTestEnvironment.TopUpAsync(_app, "slashed-call-id-top-up");
    }

    public async Task DisposeAsync()
    {
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    [Fact]
    public async Task A_call_whose_id_holds_slash_plus_and_equals_rings_is_accepted_ends_and_shows_its_timeline()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        await GoAvailableAsync(agent);
        await using var console = await SignalRJsonClient.ConnectAsync(agent);
        var inUrl = Uri.EscapeDataString(SlashedCallId);

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900561"), SdpRules.MetaOffer());
        Assert.Equal(SlashedCallId, call.CallId);
        Assert.Equal(SlashedCallId, (await NextAsync(console, "incomingCall")).GetProperty("callId").GetString());

        using var accept = await agent.PostAsJsonAsync($"/api/calls/{inUrl}/accept", new { sdpOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n" });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        Assert.Equal("Connected", (await accept.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("call").GetProperty("phase").GetString());

        await _meta.Users.HangUpAsync(call.CallId);
        await NextAsync(console, "callEnded");
        Assert.Equal(InboundCallPhase.Ended, (await ClosedCallAsync()).Phase);

        var read = await agent.GetFromJsonAsync<JsonElement>($"/api/calls/{inUrl}");
        Assert.Equal(SlashedCallId, read.GetProperty("callId").GetString());
        var timeline = await agent.GetFromJsonAsync<JsonElement>($"/api/calls/{inUrl}/timeline");
        Assert.Equal(SlashedCallId, timeline.GetProperty("callId").GetString());
        var lines = timeline.GetProperty("entries").EnumerateArray().Select(e => e.GetProperty("what").GetString()).ToList();
        Assert.True(
            lines.IndexOf(nameof(CallTimelineKind.Ringing)) is >= 0 and var ringing
            && lines.IndexOf(nameof(CallTimelineKind.Accepted)) > ringing
            && lines.IndexOf(nameof(CallTimelineKind.Ended)) > lines.IndexOf(nameof(CallTimelineKind.Accepted)),
            "Timeline: " + string.Join(", ", lines));
    }

    [Theory]
    [InlineData("wacid.x%2Fy", "wacid.x/y")]
    [InlineData("wacid.x%2fy", "wacid.x/y")]
    [InlineData("wacid.x%252Fy", "wacid.x%2Fy")]
    [InlineData("wacid.x%2By%3D", "wacid.x+y=")]
    public async Task A_route_value_is_the_id_the_client_escaped(string inUrl, string callId)
    {
        using var agent = await _app.ClientForAsync("agent-1");

        using var response = await agent.GetAsync($"/api/calls/{inUrl}/timeline");

        var problem = await ProblemAsync(response, HttpStatusCode.NotFound);
        Assert.Equal($"No timeline is recorded for call {callId}.", problem.GetProperty("detail").GetString());
    }

    private async Task<InboundCall> ClosedCallAsync()
    {
        var store = _app.Services.GetRequiredService<CallStore>();
        var deadline = DateTimeOffset.UtcNow + Wait;
        while (true)
        {
            var call = await store.GetAsync(new CallId(SlashedCallId), CancellationToken.None);
            if (call is { IsClosed: true } || DateTimeOffset.UtcNow > deadline)
            {
                return call ?? throw new InvalidOperationException("The call was never stored.");
            }

            await Task.Delay(100);
        }
    }
}
