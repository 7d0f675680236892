using System.Globalization;
using Azure.Core;
using Azure.Core.Pipeline;

namespace WhatsAppCalling.Storage.Account;

/// <summary>
/// Stamps x-ms-date and signs every attempt (it runs per retry, so a retried request gets a fresh date;
/// requests older than 15 minutes are refused, azure-protocols.md §2.2).
/// </summary>
internal sealed class SharedKeyAuthenticationPolicy(SharedKeyCredential credential, SharedKeyScheme scheme, TimeProvider clock)
    : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var request = message.Request;
        request.Headers.SetValue("x-ms-date", clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
        long length = 0;
        if (request.Content is not null && request.Content.TryComputeLength(out var computed))
            length = computed;
        var headers = request.Headers.Select(h => new KeyValuePair<string, string>(h.Name, h.Value)).ToList();
        var canonical = new CanonicalRequest(request.Method.Method, request.Uri.ToUri(), headers, length);
        var signature = credential.ComputeSignature(SharedKeySigning.StringToSign(scheme, credential.AccountName, canonical));
        request.Headers.SetValue(
            HttpHeader.Names.Authorization,
            $"{SharedKeySigning.AuthorizationScheme(scheme)} {credential.AccountName}:{signature}");
    }
}

/// <summary>Appends a connection string's SAS token to every request's query.</summary>
internal sealed class SasQueryPolicy(string sasToken) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        var uri = message.Request.Uri;
        var existing = uri.Query;
        uri.Query = string.IsNullOrEmpty(existing) || existing == "?" ? "?" + sasToken : existing + "&" + sasToken;
    }
}

/// <summary>Stamps the storage REST version and a date on every request (Bearer requests need x-ms-date too).</summary>
internal sealed class StorageHeadersPolicy(string version, TimeProvider clock) : HttpPipelineSynchronousPolicy
{
    public override void OnSendingRequest(HttpMessage message)
    {
        message.Request.Headers.SetValue("x-ms-version", version);
        message.Request.Headers.SetValue("x-ms-date", clock.GetUtcNow().ToString("r", CultureInfo.InvariantCulture));
    }
}
