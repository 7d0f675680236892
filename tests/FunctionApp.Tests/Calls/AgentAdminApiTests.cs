using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>Admins set who may receive and make calls and who is restricted; the call rules obey it at once.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class AgentAdminApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_admin_takes_away_the_make_calls_capability_and_the_agents_dial_out_is_refused_saying_so()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var agent = await _app.ClientForAsync("agent-2");
        using (var available = await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" }))
        {
            available.EnsureSuccessStatusCode();
        }

        using var put = await admin.PutAsJsonAsync("/api/admin/agents/agent-2", new { name = "Ana Lima", mayReceiveCalls = true, mayMakeCalls = false, restricted = false });
        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        var saved = await put.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("Ana Lima", saved.GetProperty("name").GetString());
        Assert.False(saved.GetProperty("mayMakeCalls").GetBoolean());
        Assert.Equal("available", saved.GetProperty("presence").GetString());

        var listed = await admin.GetFromJsonAsync<JsonElement>("/api/admin/agents");
        var two = listed.EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == "agent-2");
        Assert.False(two.GetProperty("mayMakeCalls").GetBoolean());
        Assert.True(two.GetProperty("mayReceiveCalls").GetBoolean());
        Assert.True(listed.EnumerateArray().Single(a => a.GetProperty("agentId").GetString() == "agent-1").GetProperty("mayMakeCalls").GetBoolean());

        // The agent's own view says so too, so the console can disable the dial pad before a refused dial.
        var me = await agent.GetFromJsonAsync<JsonElement>("/api/agents/me");
        var capabilities = me.GetProperty("capabilities");
        Assert.Equal((true, false, false), (capabilities.GetProperty("mayReceiveCalls").GetBoolean(), capabilities.GetProperty("mayMakeCalls").GetBoolean(),
            capabilities.GetProperty("restricted").GetBoolean()));
        using var newcomer = await _app.ClientForAsync("agent-3");
        Assert.True((await newcomer.GetFromJsonAsync<JsonElement>("/api/agents/me")).GetProperty("capabilities").GetProperty("mayMakeCalls").GetBoolean());

        using var dial = await agent.PostAsJsonAsync("/api/calls", new { to = "+447700900777", sdpOffer = "v=0\r\ns=-\r\n" });
        Assert.Equal(HttpStatusCode.Conflict, dial.StatusCode);
        Assert.Equal("agentMayNotMakeCalls", (await dial.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("reason").GetString());
    }

    [Theory]
    [InlineData("""{"mayReceiveCalls":true,"mayMakeCalls":true}""", "restricted")]
    [InlineData("""{"mayReceiveCalls":"yes","mayMakeCalls":true,"restricted":false}""", "body")]
    [InlineData("""{"name":"","mayReceiveCalls":true,"mayMakeCalls":true,"restricted":false}""", "name")]
    [InlineData("""[]""", "body")]
    public async Task A_bad_body_is_400_naming_the_field(string json, string field)
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var response = await admin.PutAsync("/api/admin/agents/agent-3", new StringContent(json, System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal(field, (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("field").GetString());
    }

    [Fact]
    public async Task Only_admins_may_change_agents()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        using var response = await agent.PutAsJsonAsync("/api/admin/agents/agent-1", new { mayReceiveCalls = true, mayMakeCalls = true, restricted = false });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
    }
}
