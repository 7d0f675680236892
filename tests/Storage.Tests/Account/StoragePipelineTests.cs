using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.Storage.Tests.Account;

public sealed class StoragePipelineTests
{
    private const string Key = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

    private static StorageClientOptions FastRetries(int maxRetries = 3)
    {
        var options = new StorageClientOptions();
        options.Retry.MaxRetries = maxRetries;
        options.Retry.Delay = TimeSpan.FromMilliseconds(1);
        options.Retry.MaxDelay = TimeSpan.FromMilliseconds(5);
        return options;
    }

    private static QueueClient Queue(LoopbackStorageServer server, StorageClientOptions options) =>
        new QueueServiceClient(StorageAccount.Parse($"AccountName=devstoreaccount1;AccountKey={Key};QueueEndpoint={server.BaseUri}"), options)
            .GetQueueClient("jobs");

    [Fact]
    public async Task Server_busy_and_throttling_answers_are_retried_with_a_fresh_signature()
    {
        using var server = new LoopbackStorageServer((i, context) => i switch
        {
            0 => LoopbackStorageServer.ReplyAsync(context, 503, "<Error><Code>ServerBusy</Code><Message>busy</Message></Error>", "ServerBusy"),
            1 => LoopbackStorageServer.ReplyAsync(context, 429),
            _ => LoopbackStorageServer.ReplyAsync(context, 201),
        });

        await Queue(server, FastRetries()).CreateIfNotExistsAsync();

        Assert.Equal(3, server.Requests.Count);
        Assert.All(server.Requests, r =>
        {
            Assert.Equal("PUT", r.Method);
            Assert.Equal("2020-12-06", r.Headers["x-ms-version"]);
            Assert.False(string.IsNullOrEmpty(r.Headers["x-ms-date"]));
            Assert.StartsWith("SharedKey devstoreaccount1:", r.Headers["Authorization"], StringComparison.Ordinal);
        });
    }

    [Fact]
    public async Task A_persistent_server_error_surfaces_with_its_status_code_and_message()
    {
        using var server = new LoopbackStorageServer((_, context) => LoopbackStorageServer.ReplyAsync(
            context, 500, "<?xml version=\"1.0\"?><Error><Code>InternalError</Code><Message>boom</Message></Error>", "InternalError"));

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => Queue(server, FastRetries(2)).GetApproximateMessageCountAsync());

        Assert.Equal(500, error.Status);
        Assert.Equal("InternalError", error.ErrorCode);
        Assert.Equal("boom", error.ServiceMessage);
        Assert.Equal(3, server.Requests.Count);
    }

    [Fact]
    public async Task Client_errors_are_not_retried()
    {
        using var server = new LoopbackStorageServer((_, context) => LoopbackStorageServer.ReplyAsync(
            context, 403, "<Error><Code>AuthenticationFailed</Code><Message>bad signature</Message></Error>"));

        var error = await Assert.ThrowsAsync<StorageRequestException>(() => Queue(server, FastRetries()).PeekMessagesAsync(1));

        Assert.Equal(("AuthenticationFailed", 403), (error.ErrorCode, error.Status));
        Assert.Single(server.Requests);
    }

    [Fact]
    public async Task An_attempt_over_the_network_timeout_is_abandoned_and_retried()
    {
        using var server = new LoopbackStorageServer(async (i, context) =>
        {
            if (i == 0)
                await Task.Delay(TimeSpan.FromSeconds(3));
            await LoopbackStorageServer.ReplyAsync(context, 201);
        });
        var options = FastRetries();
        options.NetworkTimeout = TimeSpan.FromMilliseconds(300);

        await Queue(server, options).CreateIfNotExistsAsync();

        Assert.Equal(2, server.Requests.Count);
    }

    [Fact]
    public async Task A_SAS_connection_string_appends_the_token_and_sends_no_authorization_header()
    {
        using var server = new LoopbackStorageServer((_, context) => LoopbackStorageServer.ReplyAsync(context, 201));
        var account = StorageAccount.Parse($"QueueEndpoint={server.BaseUri};SharedAccessSignature=sv=2020-12-06&sig=abc%3D");

        await new QueueServiceClient(account, FastRetries()).GetQueueClient("jobs").CreateIfNotExistsAsync();

        var request = Assert.Single(server.Requests);
        Assert.EndsWith("/devstoreaccount1/jobs?sv=2020-12-06&sig=abc%3D", request.Url, StringComparison.Ordinal);
        Assert.False(request.Headers.ContainsKey("Authorization"));
    }

    [Fact]
    public async Task The_configured_service_version_is_sent()
    {
        using var server = new LoopbackStorageServer((_, context) => LoopbackStorageServer.ReplyAsync(context, 201));
        var options = FastRetries();
        options.ServiceVersion = "2021-12-02";

        await Queue(server, options).CreateIfNotExistsAsync();

        Assert.Equal("2021-12-02", Assert.Single(server.Requests).Headers["x-ms-version"]);
    }
}
