using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace WhatsAppCalling.Storage.Blobs;

/// <summary>A user delegation key (Get User Delegation Key) used to sign SAS tokens when authenticated by Entra ID.</summary>
public sealed record UserDelegationKey(
    string SignedObjectId, string SignedTenantId, DateTimeOffset SignedStartsOn, DateTimeOffset SignedExpiresOn,
    string SignedService, string SignedVersion, string Value);

/// <summary>What a blob SAS grants: permissions ("r" = read), validity window and the blob it names.</summary>
public sealed record BlobSasRequest(
    string AccountName, string Container, string BlobName, string Permissions, DateTimeOffset? StartsOn, DateTimeOffset ExpiresOn,
    string Version = StorageClientOptions.DefaultServiceVersion, string Protocol = "");

/// <summary>
/// Service SAS (account key) and user delegation SAS (Entra ID) for a single blob, version 2020-12-06 string-to-sign
/// field order (REST docs "Create a service SAS" / "Create a user delegation SAS"; Azurite checks the same order).
/// </summary>
public static class BlobSas
{
    public static string ServiceSasStringToSign(BlobSasRequest sas)
    {
        ArgumentNullException.ThrowIfNull(sas);
        return string.Join('\n',
            sas.Permissions, Time(sas.StartsOn), Time(sas.ExpiresOn), CanonicalName(sas),
            string.Empty,          // signed identifier (stored access policy): not used
            string.Empty,          // signed IP range
            sas.Protocol,
            sas.Version,
            "b",                   // signed resource: blob
            string.Empty,          // snapshot time
            string.Empty,          // encryption scope
            string.Empty, string.Empty, string.Empty, string.Empty, string.Empty); // response header overrides
    }

    public static string UserDelegationSasStringToSign(BlobSasRequest sas, UserDelegationKey key)
    {
        ArgumentNullException.ThrowIfNull(sas);
        ArgumentNullException.ThrowIfNull(key);
        return string.Join('\n',
            sas.Permissions, Time(sas.StartsOn), Time(sas.ExpiresOn), CanonicalName(sas),
            key.SignedObjectId, key.SignedTenantId, Time(key.SignedStartsOn), Time(key.SignedExpiresOn),
            key.SignedService, key.SignedVersion,
            string.Empty, string.Empty, string.Empty, // authorized object id, unauthorized object id, correlation id
            string.Empty,                             // signed IP range
            sas.Protocol, sas.Version, "b",
            string.Empty, string.Empty,               // snapshot time, encryption scope
            string.Empty, string.Empty, string.Empty, string.Empty, string.Empty);
    }

    /// <summary>The SAS query string (no leading '?') signed with the account key.</summary>
    public static string ServiceSasQuery(BlobSasRequest sas, byte[] accountKey)
    {
        ArgumentNullException.ThrowIfNull(sas);
        var signature = Sign(accountKey, ServiceSasStringToSign(sas));
        return Query(sas, [], signature);
    }

    /// <summary>The SAS query string (no leading '?') signed with a user delegation key.</summary>
    public static string UserDelegationSasQuery(BlobSasRequest sas, UserDelegationKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        var signature = Sign(Convert.FromBase64String(key.Value), UserDelegationSasStringToSign(sas, key));
        return Query(sas,
        [
            ("skoid", key.SignedObjectId), ("sktid", key.SignedTenantId), ("skt", Time(key.SignedStartsOn)),
            ("ske", Time(key.SignedExpiresOn)), ("sks", key.SignedService), ("skv", key.SignedVersion),
        ], signature);
    }

    internal static string Time(DateTimeOffset? time) =>
        time is { } t ? t.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) : string.Empty;

    private static string CanonicalName(BlobSasRequest sas) => $"/blob/{sas.AccountName}/{sas.Container}/{sas.BlobName}";

    private static string Sign(byte[] key, string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(key, Encoding.UTF8.GetBytes(stringToSign)));

    private static string Query(BlobSasRequest sas, IEnumerable<(string Name, string Value)> keyFields, string signature)
    {
        var fields = new List<(string Name, string Value)> { ("sv", sas.Version) };
        if (sas.StartsOn is not null)
            fields.Add(("st", Time(sas.StartsOn)));
        fields.Add(("se", Time(sas.ExpiresOn)));
        if (sas.Protocol.Length > 0)
            fields.Add(("spr", sas.Protocol));
        fields.Add(("sr", "b"));
        fields.Add(("sp", sas.Permissions));
        fields.AddRange(keyFields);
        fields.Add(("sig", signature));
        return string.Join('&', fields.Select(f => f.Name + "=" + Uri.EscapeDataString(f.Value)));
    }
}
