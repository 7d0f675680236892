using System.IdentityModel.Tokens.Jwt;
using System.Security.Claims;
using System.Text;
using Azure.Core;
using Azure.Identity;
using Microsoft.IdentityModel.Tokens;

namespace WhatsAppCalling.FunctionApp.Calls.Notifications;

/// <summary>
/// Bearer tokens for SignalR Service (azure-protocols.md §6.3): HS256 JWTs signed with the UTF-8 bytes of the
/// access key, or, with <c>AuthType=azure</c>, Entra tokens for <c>https://signalr.azure.com/.default</c>.
/// </summary>
public sealed class SignalRServiceTokens
{
    public const string EntraScope = "https://signalr.azure.com/.default";

    /// <summary>The claim the service reads the user id from; user-targeted sends find connections by it (§6.3).</summary>
    public const string UserIdClaim = "nameid";

    public static readonly TimeSpan ServerTokenLifetime = TimeSpan.FromMinutes(5);
    public static readonly TimeSpan ClientTokenLifetime = TimeSpan.FromHours(1);

    private readonly SignalRServiceConnection _connection;
    private readonly TokenCredential? _credential;
    private readonly SigningCredentials? _signing;

    public SignalRServiceTokens(SignalRServiceConnection connection, TokenCredential? credential = null)
    {
        ArgumentNullException.ThrowIfNull(connection);
        _connection = connection;
        if (connection.AccessKey is { } key)
        {
            // Not Base64-decoded: the service and its emulator both use the key string's UTF-8 bytes (§6.3).
            _signing = new SigningCredentials(new SymmetricSecurityKey(Encoding.UTF8.GetBytes(key)), SecurityAlgorithms.HmacSha256);
        }
        else
        {
            _credential = credential ?? CredentialFor(connection);
        }
    }

    public bool CanMintClientTokens => _signing is not null;

    /// <summary>Authorization for one REST request; <paramref name="requestUrl"/>'s query is not part of the audience.</summary>
    public async ValueTask<string> ServerTokenAsync(Uri requestUrl, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(requestUrl);
        if (_credential is not null)
        {
            var token = await _credential.GetTokenAsync(new TokenRequestContext([EntraScope]), cancellationToken).ConfigureAwait(false);
            return token.Token;
        }

        var audience = requestUrl.GetLeftPart(UriPartial.Path).TrimEnd('/');
        return Mint(audience, [], ServerTokenLifetime);
    }

    /// <summary>The token a browser presents to the client endpoint: audience = the client URL, user id in <c>nameid</c>.</summary>
    public string ClientToken(string userId, Uri clientUrl)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(userId);
        ArgumentNullException.ThrowIfNull(clientUrl);
        if (_signing is null)
        {
            throw new InvalidOperationException("Client tokens need an AccessKey; with AuthType=azure use the generateToken API.");
        }

        return Mint(clientUrl.AbsoluteUri, [new Claim(UserIdClaim, userId)], ClientTokenLifetime);
    }

    private string Mint(string audience, IEnumerable<Claim> claims, TimeSpan lifetime)
    {
        // Wall clock on purpose: the service checks exp against its own clock, so a test TimeProvider would only
        // produce tokens that Azure rejects.
        var now = DateTime.UtcNow;
        var token = new JwtSecurityToken(
            issuer: null,
            audience: audience,
            claims: [.. claims, new Claim(JwtRegisteredClaimNames.Iat, EpochTime.GetIntDate(now).ToString(System.Globalization.CultureInfo.InvariantCulture), ClaimValueTypes.Integer64)],
            notBefore: now,
            expires: now.Add(lifetime),
            signingCredentials: _signing);
        return new JwtSecurityTokenHandler().WriteToken(token);
    }

    private static TokenCredential CredentialFor(SignalRServiceConnection connection) =>
        string.Equals(connection.AuthType, "azure.msi", StringComparison.OrdinalIgnoreCase)
            ? new ManagedIdentityCredential(connection.ClientId is { Length: > 0 } clientId
                ? ManagedIdentityId.FromUserAssignedClientId(clientId)
                : ManagedIdentityId.SystemAssigned)
            : new DefaultAzureCredential();
}
