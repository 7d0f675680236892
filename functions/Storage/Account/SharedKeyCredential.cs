using System.Security.Cryptography;
using System.Text;

namespace WhatsAppCalling.Storage.Account;

/// <summary>An account name and its Base64 account key; signs strings-to-sign with HMAC-SHA256.</summary>
public sealed class SharedKeyCredential
{
    private readonly byte[] _key;

    public SharedKeyCredential(string accountName, string accountKey)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(accountName);
        ArgumentException.ThrowIfNullOrWhiteSpace(accountKey);
        AccountName = accountName;
        try
        {
            _key = Convert.FromBase64String(accountKey);
        }
        catch (FormatException ex)
        {
            throw new FormatException("The storage account key is not valid Base64.", ex);
        }
    }

    public string AccountName { get; }

    /// <summary>The decoded key, for signing SAS tokens.</summary>
    internal byte[] KeyBytes => _key;

    /// <summary>Base64(HMAC-SHA256(key, UTF-8(stringToSign))) — docs "Authorize with Shared Key".</summary>
    public string ComputeSignature(string stringToSign) =>
        Convert.ToBase64String(HMACSHA256.HashData(_key, Encoding.UTF8.GetBytes(stringToSign)));
}
