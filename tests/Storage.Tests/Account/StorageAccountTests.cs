using Azure.Core;
using WhatsAppCalling.Storage.Account;

namespace WhatsAppCalling.Storage.Tests.Account;

public sealed class StorageAccountTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    [Fact]
    public void Development_storage_is_the_Azurite_well_known_account_on_default_ports()
    {
        var account = StorageAccount.Parse("UseDevelopmentStorage=true");

        Assert.Equal("devstoreaccount1", account.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:10000/devstoreaccount1"), account.BlobEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10001/devstoreaccount1"), account.QueueEndpoint);
        Assert.Equal(new Uri("http://127.0.0.1:10002/devstoreaccount1"), account.TableEndpoint);
        Assert.NotNull(account.SharedKey);
    }

    [Fact]
    public void An_account_key_string_derives_endpoints_from_the_suffix()
    {
        var account = StorageAccount.Parse($"DefaultEndpointsProtocol=https;AccountName=contoso;AccountKey={Key};EndpointSuffix=core.windows.net");

        Assert.Equal("contoso", account.AccountName);
        Assert.Equal(new Uri("https://contoso.table.core.windows.net"), account.TableEndpoint);
        Assert.Equal(new Uri("https://contoso.queue.core.windows.net"), account.QueueEndpoint);
        Assert.Equal("contoso", account.SharedKey!.AccountName);
    }

    [Fact]
    public void Explicit_endpoints_win_and_a_path_style_endpoint_names_the_account()
    {
        var account = StorageAccount.Parse($"AccountKey={Key};QueueEndpoint=http://127.0.0.1:41001/devstoreaccount1/");

        Assert.Equal("devstoreaccount1", account.AccountName);
        Assert.Equal(new Uri("http://127.0.0.1:41001/devstoreaccount1"), account.QueueEndpoint);
        Assert.Null(account.BlobEndpoint);
    }

    [Fact]
    public void A_SAS_connection_string_keeps_the_token_without_its_question_mark()
    {
        var account = StorageAccount.Parse("BlobEndpoint=https://contoso.blob.core.windows.net;SharedAccessSignature=?sv=2020-12-06&sig=abc%3D");

        Assert.Equal("contoso", account.AccountName);
        Assert.Equal("sv=2020-12-06&sig=abc%3D", account.SasToken);
        Assert.Null(account.SharedKey);
    }

    [Fact]
    public void A_string_without_credentials_or_endpoints_is_refused()
    {
        Assert.Throws<FormatException>(() => StorageAccount.Parse("AccountName=contoso"));
        Assert.Throws<FormatException>(() => StorageAccount.Parse("DefaultEndpointsProtocol=https"));
        Assert.Throws<FormatException>(() => StorageAccount.Parse("garbage"));
    }

    [Fact]
    public void Endpoints_with_a_token_credential_name_the_account_from_the_host()
    {
        var account = StorageAccount.FromEndpoints(null, new Uri("https://contoso.queue.core.windows.net"), null, new FakeCredential());

        Assert.Equal("contoso", account.AccountName);
        Assert.NotNull(account.TokenCredential);
    }

    private sealed class FakeCredential : TokenCredential
    {
        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            new("token", DateTimeOffset.MaxValue);

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}
