using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using Azure.Core;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using WhatsAppCalling.FunctionApp.Auth;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.IdentityModel.Tokens;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Notifications;

/// <summary>The SignalR Service REST client and the Azure negotiate contract (azure-protocols.md §6.2–6.4).</summary>
[Collection(AzuriteCollection.Name)]
public sealed class SignalRServiceNotifierTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private static readonly DateTimeOffset At = new(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);

    private FakeSignalRService _service = null!;
    private HttpClient _http = null!;

    public async Task InitializeAsync()
    {
        _service = await FakeSignalRService.StartAsync();
        _http = new HttpClient();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _service.DisposeAsync();
    }

    private SignalRServiceNotifier Notifier()
    {
        var connection = SignalRServiceConnection.Parse(_service.ConnectionString);
        return new SignalRServiceNotifier(_http, connection, new SignalRServiceTokens(connection), NullLogger<SignalRServiceNotifier>.Instance);
    }

    /// <summary>Validates as the service does: HS256 with the UTF-8 bytes of the access key, exact audience, lifetime.</summary>
    private static JwtSecurityToken Validate(string token, string audience)
    {
        var parameters = new TokenValidationParameters
        {
            IssuerSigningKey = new SymmetricSecurityKey(Encoding.UTF8.GetBytes(FakeSignalRService.AccessKey)),
            ValidateIssuer = false,
            ValidAudience = audience,
            RequireExpirationTime = true,
            ValidAlgorithms = [SecurityAlgorithms.HmacSha256],
        };
        new JwtSecurityTokenHandler { MapInboundClaims = false }.ValidateToken(token, parameters, out var validated);
        return (JwtSecurityToken)validated;
    }

    private static string Bearer(FakeSignalRService.Recorded request) =>
        request.Authorization!.StartsWith("Bearer ", StringComparison.Ordinal) ? request.Authorization["Bearer ".Length..] : throw new InvalidOperationException();

    [Fact]
    public async Task A_user_send_posts_target_and_arguments_with_a_jwt_whose_audience_is_the_request_url()
    {
        await Notifier().NotifyAgentAsync(new AgentId("agent-1"), new CallEndedNotification("wacid.e", "customer", 42, DispositionRequired: true) { At = At },
            CancellationToken.None);

        var request = Assert.Single(_service.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/api/v1/hubs/agents/users/agent-1", request.Path);
        using var body = JsonDocument.Parse(request.Body);
        Assert.Equal("callEnded", body.RootElement.GetProperty("target").GetString());
        var argument = Assert.Single(body.RootElement.GetProperty("arguments").EnumerateArray());
        Assert.Equal(42, argument.GetProperty("durationSeconds").GetInt32());
        Assert.True(argument.GetProperty("dispositionRequired").GetBoolean());

        var token = Validate(Bearer(request), $"http://127.0.0.1:{_service.Endpoint.Port}/api/v1/hubs/agents/users/agent-1");
        Assert.InRange(token.ValidTo, DateTime.UtcNow.AddMinutes(4), DateTime.UtcNow.AddMinutes(6));
    }

    [Fact]
    public async Task User_ids_are_escaped_and_several_agents_get_one_request_each()
    {
        await Notifier().NotifyAgentsAsync([new AgentId("a b/c"), new AgentId("agent-2"), new AgentId("agent-2")],
            new BalanceLowNotification("waba", "9.98", "10") { At = At }, CancellationToken.None);

        var paths = _service.Requests.Select(r => r.Path).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/api/v1/hubs/agents/users/a b%2Fc", "/api/v1/hubs/agents/users/agent-2"], paths);
        var escaped = _service.Requests.Single(r => r.Path.Contains("a b", StringComparison.Ordinal));
        Validate(Bearer(escaped), $"http://127.0.0.1:{_service.Endpoint.Port}/api/v1/hubs/agents/users/a%20b%2Fc");
    }

    [Fact]
    public async Task Supervisors_are_addressed_as_a_group()
    {
        await Notifier().NotifySupervisorsAsync(new BalanceLowNotification("waba", "9.98", "10") { At = At }, CancellationToken.None);

        var request = Assert.Single(_service.Requests);
        Assert.Equal("/api/v1/hubs/agents/groups/supervisors", request.Path);
        Validate(Bearer(request), $"http://127.0.0.1:{_service.Endpoint.Port}/api/v1/hubs/agents/groups/supervisors");
    }

    [Fact]
    public async Task A_refusal_from_the_service_surfaces_as_a_typed_error()
    {
        _service.Status = StatusCodes.Status401Unauthorized;

        var error = await Assert.ThrowsAsync<SignalRServiceException>(() =>
            Notifier().NotifyAgentAsync(new AgentId("agent-1"), new BalanceLowNotification("waba", "9.98", "10") { At = At }, CancellationToken.None));
        Assert.Equal(HttpStatusCode.Unauthorized, error.Status);
        Assert.DoesNotContain(FakeSignalRService.AccessKey, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Connection_strings_parse_with_port_padded_keys_and_identity()
    {
        var keyed = SignalRServiceConnection.Parse("Endpoint=https://x.service.signalr.net;AccessKey=abc==;Version=1.0;");
        Assert.Equal("abc==", keyed.AccessKey);
        Assert.Equal("https://x.service.signalr.net/client/?hub=agents", keyed.ClientUrl("agents").AbsoluteUri);
        Assert.DoesNotContain("abc==", keyed.ToString(), StringComparison.Ordinal);

        var local = SignalRServiceConnection.Parse("Endpoint=http://localhost;Port=8888;AccessKey=k;Version=1.0;");
        Assert.Equal("http://localhost:8888/api/v1/hubs/agents/users/u1", local.UserUrl("agents", "u1").AbsoluteUri);

        var identity = SignalRServiceConnection.Parse("Endpoint=https://x.service.signalr.net;AuthType=azure.msi;ClientId=1234;Version=1.0;");
        Assert.True(identity.UsesIdentity);
        Assert.Equal("1234", identity.ClientId);

        Assert.Throws<FormatException>(() => SignalRServiceConnection.Parse("AccessKey=k;Version=1.0;"));
        Assert.Throws<FormatException>(() => SignalRServiceConnection.Parse("Endpoint=https://x.service.signalr.net;Version=1.0;"));
    }

    [Fact]
    public async Task In_azure_mode_negotiate_redirects_to_the_client_url_with_a_client_token_for_the_agent()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString,
            new Dictionary<string, string?> { ["SignalR:ConnectionString"] = _service.ConnectionString });
        using var agent = await app.ClientForAsync("agent-1");

        using var response = await agent.PostAsync("/api/negotiate?negotiateVersion=1", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        var url = body.GetProperty("url").GetString()!;
        Assert.Equal($"http://127.0.0.1:{_service.Endpoint.Port}/client/?hub=agents", url);
        var token = Validate(body.GetProperty("accessToken").GetString()!, url);
        Assert.Equal("agent-1", token.Claims.Single(c => c.Type == "nameid").Value);
        Assert.InRange(token.ValidTo, DateTime.UtcNow.AddMinutes(55), DateTime.UtcNow.AddMinutes(65));
        Assert.Empty(_service.Requests);
        Assert.IsType<SignalRServiceNotifier>(app.Services.GetRequiredService<IAgentNotifier>());
    }

    [Fact]
    public async Task In_azure_mode_a_supervisors_negotiate_puts_them_in_the_supervisors_group()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString,
            new Dictionary<string, string?> { ["SignalR:ConnectionString"] = _service.ConnectionString });
        using var supervisor = await app.ClientForAsync("supervisor-1");

        using var response = await supervisor.PostAsync("/api/negotiate", content: null);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var request = Assert.Single(_service.Requests);
        Assert.Equal("PUT", request.Method);
        Assert.Equal("/api/v1/hubs/agents/groups/supervisors/users/supervisor-1", request.Path);
    }

    [Fact]
    public async Task With_an_identity_connection_requests_carry_the_entra_token_and_the_service_mints_client_tokens()
    {
        var connection = SignalRServiceConnection.Parse($"Endpoint=http://127.0.0.1;Port={_service.Endpoint.Port};AuthType=azure;Version=1.0;");
        var credential = new RecordingCredential();
        var tokens = new SignalRServiceTokens(connection, credential);
        var service = new SignalRServiceNotifier(_http, connection, tokens, NullLogger<SignalRServiceNotifier>.Instance);
        var http = new DefaultHttpContext
        {
            User = new ClaimsPrincipal(new ClaimsIdentity([new Claim("roles", Roles.Agent)], "test", "oid", "roles")),
        };

        await service.NotifyAgentAsync(new AgentId("agent-1"), new BalanceLowNotification("waba", "9.98", "10") { At = At }, CancellationToken.None);
        var negotiated = await new SignalRServiceNegotiator(connection, tokens, service).NegotiateAsync(http, "agent-1", CancellationToken.None);

        Assert.False(tokens.CanMintClientTokens);
        Assert.Equal([SignalRServiceTokens.EntraScope], credential.Scopes.Distinct());
        Assert.All(_service.Requests, r => Assert.Equal("Bearer entra-token", r.Authorization));
        var generate = _service.Requests.Single(r => r.Path.EndsWith("/:generateToken", StringComparison.Ordinal));
        Assert.Equal("/api/hubs/agents/:generateToken", generate.Path);
        Assert.Contains("userId=agent-1", generate.Query, StringComparison.Ordinal);
        Assert.Equal(new NegotiateResponse($"http://127.0.0.1:{_service.Endpoint.Port}/client/?hub=agents", "service-minted-token"), negotiated);
    }

    private sealed class RecordingCredential : TokenCredential
    {
        public List<string> Scopes { get; } = [];

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.AddRange(requestContext.Scopes);
            return new AccessToken("entra-token", DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
