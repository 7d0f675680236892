using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using FakeMeta;
using FakeMeta.Simulation;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using TestSupport;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// Steps shared by the tests that start from a call in progress: agent-1 alone in the ring order, the fake Meta's
/// customer calls, agent-1 hears it over SignalR and accepts through the API.
/// </summary>
internal static class AnsweredCall
{
    public const string BrowserOffer = "v=0\r\no=browser 1 1 IN IP4 127.0.0.1\r\ns=-\r\n";

    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(20);

    public static async Task<string> StartAsync(FakeMetaServer meta, RunningFunctionApp app, HttpClient agentOne, SignalRJsonClient consoleOne, string customerPhone)
    {
        using var admin = await app.ClientForAsync("admin-1");
        using (var order = await admin.PutAsJsonAsync(
            $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/ring-order", new { agents = new[] { "agent-1" } }))
        {
            order.EnsureSuccessStatusCode();
        }

        var call = await meta.SendUserInitiatedConnectAsync(meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber(customerPhone), SdpRules.MetaOffer());
        var incoming = await NextAsync(consoleOne, "incomingCall");
        Assert.Equal(call.CallId, incoming.GetProperty("callId").GetString());
        using var accept = await agentOne.PostAsJsonAsync($"/api/calls/{call.CallId}/accept", new { sdpOffer = BrowserOffer });
        Assert.Equal(HttpStatusCode.OK, accept.StatusCode);
        return call.CallId;
    }

    public static async Task GoAvailableAsync(HttpClient agent)
    {
        using var response = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" });
        response.EnsureSuccessStatusCode();
    }

    /// <summary>The next message for <paramref name="target"/>, skipping others; throws when none comes in <paramref name="wait"/> (default <see cref="Wait"/>).</summary>
    public static async Task<JsonElement> NextAsync(SignalRJsonClient console, string target, TimeSpan? wait = null)
    {
        var guard = wait ?? Wait;
        var deadline = DateTimeOffset.UtcNow + guard;
        while (DateTimeOffset.UtcNow < deadline)
        {
            if (await console.NextAsync(deadline - DateTimeOffset.UtcNow) is { } message && message.Target == target)
            {
                return message.Arguments[0];
            }
        }

        throw new TimeoutException($"No {target} within {guard}.");
    }

    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, HttpStatusCode status)
    {
        Assert.Equal(status, response.StatusCode);
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }
}
