using System.Collections.Concurrent;
using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.IdentityModel.Tokens;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// A stand-in for Microsoft Entra ID's v2.0 endpoints, enough for a single-page app's authorization code flow with
/// PKCE: OpenID discovery, signing keys, an authorize endpoint that signs <see cref="SignedInAs"/> in at once and
/// sends the browser back with a code, and a token endpoint that checks the client, the redirect URI and the PKCE
/// verifier (S256) before issuing an RS256 access token with the agent's <c>oid</c> and roles. CORS is open, as
/// Entra's is for SPA redirect URIs.
/// </summary>
public sealed class FakeEntraAuthority : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly RsaSecurityKey _key = new(RSA.Create(2048)) { KeyId = "fake-entra-key" };
    private readonly ConcurrentDictionary<string, (string ClientId, string RedirectUri, string Challenge)> _codes = new();

    private FakeEntraAuthority(WebApplication app) => _app = app;

    public Uri Issuer { get; private set; } = null!;

    public required string Audience { get; init; }

    public required string ClientId { get; init; }

    /// <summary>Who the next sign-in is (<c>oid</c>) and their app roles.</summary>
    public (string AgentId, string[] Roles) SignedInAs { get; set; } = ("entra-agent", ["agent"]);

    /// <summary>Token requests whose PKCE verifier matched the challenge of their code.</summary>
    public ConcurrentQueue<string> VerifiedExchanges { get; } = new();

    public static async Task<FakeEntraAuthority> StartAsync(string audience, string clientId)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        var authority = new FakeEntraAuthority(app) { Audience = audience, ClientId = clientId };
        authority.Map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        authority.Issuer = new Uri(address.TrimEnd('/') + "/tenant/v2.0");
        return authority;
    }

    private string Base => Issuer.ToString().TrimEnd('/');

    private void Map(WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            context.Response.Headers.AccessControlAllowOrigin = "*";
            await next();
        });
        app.MapGet("/tenant/v2.0/.well-known/openid-configuration", () => Results.Json(new Dictionary<string, object>
        {
            ["issuer"] = Base,
            ["authorization_endpoint"] = Base + "/oauth2/v2.0/authorize",
            ["token_endpoint"] = Base + "/oauth2/v2.0/token",
            ["jwks_uri"] = Base + "/discovery/v2.0/keys",
            ["response_types_supported"] = new[] { "code" },
            ["id_token_signing_alg_values_supported"] = new[] { "RS256" },
        }));
        app.MapGet("/tenant/v2.0/discovery/v2.0/keys", () =>
        {
            var jwk = JsonWebKeyConverter.ConvertFromRSASecurityKey(_key);
            return Results.Json(new { keys = new[] { new { kty = jwk.Kty, use = "sig", kid = jwk.Kid, n = jwk.N, e = jwk.E } } });
        });
        app.MapGet("/tenant/v2.0/oauth2/v2.0/authorize", (HttpRequest request) =>
        {
            var query = request.Query;
            if (query["client_id"] != ClientId || query["response_type"] != "code" || query["code_challenge_method"] != "S256" || string.IsNullOrEmpty(query["code_challenge"]))
            {
                return Results.BadRequest("unexpected authorize request: " + request.QueryString);
            }

            var code = Convert.ToHexString(RandomNumberGenerator.GetBytes(16));
            _codes[code] = (ClientId, query["redirect_uri"]!, query["code_challenge"]!);
            return Results.Redirect($"{query["redirect_uri"]}?code={code}&state={Uri.EscapeDataString(query["state"]!)}");
        });
        app.MapPost("/tenant/v2.0/oauth2/v2.0/token", async (HttpRequest request) =>
        {
            var form = await request.ReadFormAsync();
            if (form["grant_type"] != "authorization_code" || !_codes.TryRemove(form["code"]!, out var issued))
            {
                return Results.Json(new { error = "invalid_grant", error_description = "The code is unknown or was used." }, statusCode: 400);
            }

            var challenge = Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(form["code_verifier"].ToString())));
            if (form["client_id"] != issued.ClientId || form["redirect_uri"] != issued.RedirectUri || challenge != issued.Challenge)
            {
                return Results.Json(new { error = "invalid_grant", error_description = "The PKCE verifier, client or redirect URI does not match." }, statusCode: 400);
            }

            VerifiedExchanges.Enqueue(form["code"]!);
            return Results.Json(new { token_type = "Bearer", expires_in = 3600, access_token = AccessToken() });
        });
    }

    private string AccessToken()
    {
        var (agentId, roles) = SignedInAs;
        var claims = new List<Claim> { new("oid", agentId), new("name", agentId) };
        claims.AddRange(roles.Select(r => new Claim("roles", r)));
        var token = new JwtSecurityToken(Base, Audience, claims, DateTime.UtcNow.AddMinutes(-1), DateTime.UtcNow.AddHours(1),
            new SigningCredentials(_key, SecurityAlgorithms.RsaSha256));
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
