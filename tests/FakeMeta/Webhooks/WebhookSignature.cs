using System.Security.Cryptography;
using System.Text;

namespace FakeMeta.Webhooks;

/// <summary>
/// <c>X-Hub-Signature-256: sha256=&lt;hex&gt;</c>: lowercase hex HMAC-SHA256 of the raw body bytes keyed with the app
/// secret (whatsapp-calling-api.md §1.3). Tests use <see cref="IsValid"/> to check what a receiver got.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "X-Hub-Signature-256";
    private const string Prefix = "sha256=";

    public static string Compute(ReadOnlySpan<byte> body, string appSecret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(appSecret), body));

    public static bool IsValid(ReadOnlySpan<byte> body, string appSecret, string? header)
    {
        if (header is null || !header.StartsWith(Prefix, StringComparison.Ordinal))
        {
            return false;
        }

        var expected = Encoding.ASCII.GetBytes(Compute(body, appSecret));
        return CryptographicOperations.FixedTimeEquals(expected, Encoding.ASCII.GetBytes(header));
    }
}
