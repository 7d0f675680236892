using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using TestSupport;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Auth;

[Collection(AzuriteCollection.Name)]
public sealed class AuthenticationTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() =>
        _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, map: app =>
        {
            // Probe routes standing for any agent, admin and relay route: the policies are what is under test.
            app.MapGet("/api/test/agent", (HttpContext c) => c.User.Identity!.Name).RequireAuthorization(Policies.Agent).WithName("TestAgent");
            app.MapGet("/api/test/admin", () => "ok").RequireAuthorization(Policies.Admin).WithName("TestAdmin");
            app.MapGet("/api/relay/test", () => "ok").RequireAuthorization(Policies.Relay).WithName("TestRelay");
        });

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task An_api_call_without_a_token_gets_401_with_a_problem_body()
    {
        using var response = await _app.Client.GetAsync("/api/test/agent");

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal(401, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task A_forged_token_gets_401()
    {
        using var client = new HttpClient { BaseAddress = _app.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl");
        using var response = await client.GetAsync("/api/test/agent");
        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task A_development_token_signs_in_the_agent_it_names()
    {
        using var client = await _app.ClientForAsync("agent-2");
        Assert.Equal("agent-2", await client.GetStringAsync("/api/test/agent"));
    }

    [Fact]
    public async Task An_agent_without_the_admin_role_gets_403_with_a_problem_body()
    {
        using var client = await _app.ClientForAsync("agent-1");
        using var response = await client.GetAsync("/api/test/admin");

        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task An_admin_reaches_admin_routes()
    {
        using var client = await _app.ClientForAsync("admin-1");
        Assert.Equal("ok", await client.GetStringAsync("/api/test/admin"));
    }

    [Fact]
    public async Task The_dev_sign_in_refuses_an_unknown_agent_naming_the_field()
    {
        using var response = await _app.Client.PostAsJsonAsync("/api/auth/dev-token", new { agentId = "mallory" });

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.True(problem.GetProperty("errors").TryGetProperty("agentId", out _));
    }

    [Fact]
    public async Task Relay_routes_accept_only_the_relay_key()
    {
        using var agent = await _app.ClientForAsync("admin-1");
        using var agentResponse = await agent.GetAsync("/api/relay/test");
        Assert.Equal(HttpStatusCode.Unauthorized, agentResponse.StatusCode);

        using var relay = new HttpClient { BaseAddress = _app.BaseAddress };
        relay.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-relay-key");
        Assert.Equal("ok", await relay.GetStringAsync("/api/relay/test"));

        relay.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", "test-relay-kez");
        using var wrongKey = await relay.GetAsync("/api/relay/test");
        Assert.Equal(HttpStatusCode.Unauthorized, wrongKey.StatusCode);
    }

    [Fact]
    public async Task The_openapi_document_describes_the_api_in_development()
    {
        var document = await _app.Client.GetFromJsonAsync<JsonElement>("/api/openapi/v1.json");
        Assert.True(document.GetProperty("paths").TryGetProperty("/api/health", out _));
    }
}
