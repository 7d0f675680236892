using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Outbound;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Steps shared by the tests of calls an agent places: the customer grants permission through the fake Meta, the
/// agent dials through the API, and the call's relay session is read from its row.
/// </summary>
internal static class PlacedCall
{
    /// <summary>The customer approves permanently in WhatsApp; the app learns it from the signed reply webhook.</summary>
    public static async Task GrantPermissionAsync(FakeMetaServer meta, RunningFunctionApp app, FakeUser user)
    {
        await meta.Users.ReplyToPermissionAsync(user, PermissionReplyScenario.PermanentApproval);
        using var agent = await app.ClientForAsync("agent-1");
        await Eventually.UntilAsync(
            () => agent.GetFromJsonAsync<JsonElement>($"/api/contacts/%2B{user.WaId}/calling"),
            r => r.GetProperty("call").GetProperty("allowed").GetBoolean(), AnsweredCall.Wait, "the permission reply to allow calls");
    }

    /// <summary>Dials <paramref name="to"/> and returns Meta's call id and the relay session the call runs in.</summary>
    public static async Task<(string CallId, CallId Session)> DialAsync(RunningFunctionApp app, HttpClient agent, string to)
    {
        using var placed = await agent.PostAsJsonAsync("/api/calls", new { to, sdpOffer = AnsweredCall.BrowserOffer });
        Assert.Equal(HttpStatusCode.Created, placed.StatusCode);
        var callId = (await placed.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("callId").GetString()!;
        var stored = await app.Services.GetRequiredService<OutboundCallStore>().GetAsync(new CallId(callId), CancellationToken.None);
        return (callId, stored!.Value.Relay.SessionId!.Value);
    }

    public static async Task<OutboundCall> PhaseAsync(RunningFunctionApp app, string callId, OutboundCallPhase phase) =>
        (await Eventually.UntilAsync(
            () => app.Services.GetRequiredService<OutboundCalls>().GetAsync(new CallId(callId), CancellationToken.None),
            c => c?.Phase == phase, AnsweredCall.Wait, $"call {callId} to reach {phase}"))!;
}
