using System.Net.Http.Json;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// Stands in for the Functions host on a laptop and in tests (architecture.md decision 2): polls each declared queue
/// in storage (Azurite locally) and fires timers, then invokes the function through the same
/// <c>POST /{FunctionName}</c> contract and payload shape the host uses. Honours host.json's polling interval, batch
/// size, retry visibility, dequeue count and the <c>-poison</c> queue. Only runs outside the Functions host.
/// </summary>
public sealed partial class LocalTriggerHost(
    FunctionCatalog catalog,
    StorageConnections connections,
    HostJsonSettings settings,
    IServer server,
    IHostApplicationLifetime lifetime,
    IHttpClientFactory httpClientFactory,
    ILogger<LocalTriggerHost> logger) : BackgroundService
{
    public const string HttpClientName = "local-trigger-host";

    // How long a received message stays invisible while its invocation runs (the host renews; we use one long lease).
    private static readonly TimeSpan ProcessingLease = TimeSpan.FromMinutes(5);
    private static readonly TimeSpan MinPollingInterval = TimeSpan.FromMilliseconds(100);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        var started = new TaskCompletionSource();
        await using var registration = lifetime.ApplicationStarted.Register(() => started.TrySetResult());
        await started.Task.WaitAsync(stoppingToken);

        var baseAddress = SelfAddress();
        var loops = catalog.QueueFunctions.Select(f => PollQueueAsync(f, baseAddress, stoppingToken))
            .Concat(catalog.TimerFunctions.Select(f => RunTimerAsync(f, baseAddress, stoppingToken)))
            .ToList();
        LogStarted(logger, loops.Count, baseAddress);
        await Task.WhenAll(loops);
    }

    private async Task PollQueueAsync(QueueFunctionDefinition function, Uri baseAddress, CancellationToken ct)
    {
        var service = new QueueServiceClient(connections.Get(function.Connection));
        var queue = service.GetQueueClient(function.QueueName);
        var poison = service.GetQueueClient(function.PoisonQueueName);
        var delay = MinPollingInterval;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                await queue.CreateIfNotExistsAsync(ct);
                while (!ct.IsCancellationRequested)
                {
                    var messages = await queue.ReceiveMessagesAsync(settings.BatchSize, ProcessingLease, ct);
                    if (messages.Count == 0)
                    {
                        // Exponential back-off between empty polls, capped by host.json's maxPollingInterval.
                        await Task.Delay(delay, ct);
                        delay = TimeSpan.FromTicks(Math.Min(delay.Ticks * 2, settings.MaxPollingInterval.Ticks));
                        continue;
                    }

                    delay = MinPollingInterval;
                    await Task.WhenAll(messages.Select(m => ProcessAsync(function, queue, poison, m, baseAddress, ct)));
                }
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested)
            {
                return;
            }
            catch (Exception ex)
            {
                // Storage unreachable or similar: keep the loop alive, as the host does, and try again shortly.
                LogPollFailed(logger, function.Name, function.QueueName, ex);
                await Task.Delay(settings.MaxPollingInterval, ct).ContinueWith(_ => { }, TaskScheduler.Default);
            }
        }
    }

    private async Task ProcessAsync(
        QueueFunctionDefinition function, QueueClient queue, QueueClient poison, QueueMessage message, Uri baseAddress, CancellationToken ct)
    {
        var succeeded = false;
        string? text = DecodeMessage(message.MessageText);
        if (text is not null)
        {
            var envelope = QueueEnvelope(function, message, text);
            succeeded = await InvokeAsync(baseAddress, function.Name, envelope, ct);
        }
        else
        {
            LogUndecodable(logger, function.Name, message.MessageId);
        }

        if (succeeded)
        {
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
        }
        else if (message.DequeueCount >= settings.MaxDequeueCount)
        {
            // Same rule as the host: after maxDequeueCount failed attempts the message moves to <queue>-poison.
            await poison.CreateIfNotExistsAsync(ct);
            await poison.SendMessageAsync(message.MessageText, timeToLive: TimeSpan.MaxValue, ct: ct);
            await queue.DeleteMessageAsync(message.MessageId, message.PopReceipt, ct);
            LogPoisoned(logger, function.Name, message.MessageId, message.DequeueCount, function.PoisonQueueName);
        }
        else
        {
            await queue.UpdateMessageAsync(message.MessageId, message.PopReceipt, settings.RetryVisibilityTimeout, ct: ct);
        }
    }

    private string? DecodeMessage(string messageText)
    {
        if (!settings.Base64MessageEncoding)
        {
            return messageText;
        }

        try
        {
            return QueueMessageEncoding.DecodeUtf8Base64(messageText);
        }
        catch (FormatException)
        {
            return null;
        }
    }

    // The host serializes string values a second time (azure-protocols.md §1.4); reproduce that exactly.
    private static JsonObject QueueEnvelope(QueueFunctionDefinition function, QueueMessage message, string text) => new()
    {
        ["Data"] = new JsonObject { [QueueFunctionDefinition.BindingName] = JsonSerializer.Serialize(text) },
        ["Metadata"] = new JsonObject
        {
            ["DequeueCount"] = message.DequeueCount.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Id"] = JsonSerializer.Serialize(message.MessageId),
            ["PopReceipt"] = JsonSerializer.Serialize(message.PopReceipt),
            ["InsertionTime"] = message.InsertionTime.ToString("O"),
            ["ExpirationTime"] = message.ExpirationTime.ToString("O"),
            ["NextVisibleTime"] = message.NextVisibleTime.ToString("O"),
            ["sys"] = Sys(function.Name),
        },
    };

    private async Task RunTimerAsync(TimerFunctionDefinition function, Uri baseAddress, CancellationToken ct)
    {
        var schedule = NCrontabSchedule.Parse(function.Schedule);
        DateTimeOffset? last = null;
        var runNow = function.RunOnStartup;
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var next = schedule.NextAfter(DateTimeOffset.UtcNow);
                if (!runNow)
                {
                    // Timers fire on the wall clock, as in Azure; domain time (TimeProvider) is separate.
                    var wait = next - DateTimeOffset.UtcNow;
                    if (wait > TimeSpan.Zero)
                    {
                        await Task.Delay(wait, ct);
                    }

                    next = schedule.NextAfter(DateTimeOffset.UtcNow);
                }

                runNow = false;
                var timerInfo = new JsonObject
                {
                    ["Schedule"] = new JsonObject { ["AdjustForDST"] = true },
                    ["ScheduleStatus"] = new JsonObject { ["Last"] = last?.ToString("O"), ["Next"] = next.ToString("O"), ["LastUpdated"] = DateTimeOffset.UtcNow.ToString("O") },
                    ["IsPastDue"] = false,
                };
                var envelope = new JsonObject
                {
                    ["Data"] = new JsonObject { [TimerFunctionDefinition.BindingName] = timerInfo },
                    ["Metadata"] = new JsonObject { ["sys"] = Sys(function.Name) },
                };
                await InvokeAsync(baseAddress, function.Name, envelope, ct);
                last = DateTimeOffset.UtcNow;
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
        }
    }

    private async Task<bool> InvokeAsync(Uri baseAddress, string functionName, JsonObject envelope, CancellationToken ct)
    {
        var client = httpClientFactory.CreateClient(HttpClientName);
        using var request = new HttpRequestMessage(HttpMethod.Post, new Uri(baseAddress, functionName))
        {
            Content = JsonContent.Create(envelope),
        };
        request.Headers.Add("X-Azure-Functions-InvocationId", Guid.NewGuid().ToString());
        request.Headers.UserAgent.ParseAdd("LocalTriggerHost/1.0");
        try
        {
            using var response = await client.SendAsync(request, ct);
            return response.IsSuccessStatusCode;
        }
        catch (HttpRequestException ex)
        {
            LogInvokeFailed(logger, functionName, ex);
            return false;
        }
    }

    private static JsonObject Sys(string functionName) => new()
    {
        ["MethodName"] = functionName,
        ["UtcNow"] = DateTimeOffset.UtcNow.ToString("O"),
        ["RandGuid"] = Guid.NewGuid().ToString(),
    };

    private Uri SelfAddress()
    {
        var addresses = server.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var address = addresses.FirstOrDefault(a => a.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
            ?? throw new InvalidOperationException("The local trigger host needs the app to listen on an http:// address.");
        var uri = new Uri(address.Replace("://+", "://localhost", StringComparison.Ordinal).Replace("://*", "://localhost", StringComparison.Ordinal)
            .Replace("://[::]", "://localhost", StringComparison.Ordinal).Replace("://0.0.0.0", "://localhost", StringComparison.Ordinal));
        return new UriBuilder(uri) { Host = "127.0.0.1", Path = "/" }.Uri;
    }

    [LoggerMessage(EventId = 1100, Level = LogLevel.Information, Message = "Local trigger host started {Count} trigger loops against {BaseAddress}")]
    private static partial void LogStarted(ILogger logger, int count, Uri baseAddress);

    [LoggerMessage(EventId = 1101, Level = LogLevel.Warning, Message = "Polling {QueueName} for {FunctionName} failed; retrying")]
    private static partial void LogPollFailed(ILogger logger, string functionName, string queueName, Exception exception);

    [LoggerMessage(EventId = 1102, Level = LogLevel.Warning, Message = "Message {MessageId} for {FunctionName} moved to {PoisonQueue} after {DequeueCount} attempts")]
    private static partial void LogPoisoned(ILogger logger, string functionName, string messageId, long dequeueCount, string poisonQueue);

    [LoggerMessage(EventId = 1103, Level = LogLevel.Warning, Message = "Message {MessageId} for {FunctionName} is not Base64 text; counted as a failed attempt")]
    private static partial void LogUndecodable(ILogger logger, string functionName, string messageId);

    [LoggerMessage(EventId = 1104, Level = LogLevel.Warning, Message = "Invoking {FunctionName} failed")]
    private static partial void LogInvokeFailed(ILogger logger, string functionName, Exception exception);
}
