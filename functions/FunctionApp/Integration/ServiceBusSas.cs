using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WhatsAppCalling.FunctionApp.Integration;

/// <summary>
/// Service Bus shared access signatures (azure-protocols.md §5): HMAC-SHA256 keyed with the UTF-8 bytes of the key
/// text (not Base64-decoded, unlike Storage) over <c>urlencode(resource) + "\n" + expiry</c>, expiry in Unix
/// seconds. The service verifies the signature over the <c>sr</c> value exactly as sent, so it is signed as sent.
/// </summary>
public static class ServiceBusSas
{
    public const string Scheme = "SharedAccessSignature";

    public static string Token(Uri resource, string keyName, string key, DateTimeOffset expiresAt)
    {
        ArgumentNullException.ThrowIfNull(resource);
        ArgumentException.ThrowIfNullOrEmpty(keyName);
        ArgumentException.ThrowIfNullOrEmpty(key);
        var encodedResource = Uri.EscapeDataString(resource.AbsoluteUri.ToLowerInvariant());
        var expiry = expiresAt.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signature = Sign(key, encodedResource, expiry);
        return $"{Scheme} sr={encodedResource}&sig={Uri.EscapeDataString(signature)}&se={expiry}&skn={Uri.EscapeDataString(keyName)}";
    }

    /// <summary>Base64 HMAC-SHA256 of <c>{encodedResource}\n{expiry}</c>; also what a verifier recomputes.</summary>
    public static string Sign(string key, string encodedResource, string expiry)
    {
        ArgumentNullException.ThrowIfNull(key);
        var data = Encoding.UTF8.GetBytes(encodedResource + "\n" + expiry);
        return Convert.ToBase64String(HMACSHA256.HashData(Encoding.UTF8.GetBytes(key), data));
    }
}
