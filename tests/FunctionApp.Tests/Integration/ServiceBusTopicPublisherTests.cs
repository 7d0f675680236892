using System.Collections.Concurrent;
using System.Net;
using Azure.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppCalling.FunctionApp.Integration;

namespace WhatsAppCalling.FunctionApp.Tests.Integration;

/// <summary>
/// The Service Bus publisher over real HTTP against <see cref="FakeServiceBus"/>, composed the way the app composes
/// it (<see cref="IntegrationEventsFeature"/> choosing by configuration).
/// </summary>
public sealed class ServiceBusTopicPublisherTests : IAsyncLifetime
{
    private static readonly IntegrationEvent Answered = IntegrationEvent.For(
        IntegrationEventTypes.Answered,
        new DateTimeOffset(2026, 11, 22, 9, 0, 5, TimeSpan.Zero),
        new IntegrationEventData { CallId = "wacid.HBgLNDQ3NzAwOTAwNTU1FQIAEhgg", Direction = "inbound", BusinessNumberId = "106540352242922", AgentId = "agent-1" });

    private readonly ListLoggerProvider _logs = new();
    private FakeServiceBus _bus = null!;

    public async Task InitializeAsync() => _bus = await FakeServiceBus.StartAsync();

    public async Task DisposeAsync() => await _bus.DisposeAsync();

    [Fact]
    public async Task An_event_goes_to_the_topic_signed_with_its_id_as_MessageId_and_the_CloudEvents_content_type()
    {
        using var services = Compose(new() { ["IntegrationEvents:ServiceBusConnectionString"] = _bus.ConnectionString() });
        var publisher = services.GetRequiredService<IIntegrationEventPublisher>();
        Assert.IsType<ServiceBusTopicPublisher>(publisher);

        await publisher.PublishAsync(Answered, CancellationToken.None);

        var sent = Assert.Single(_bus.Requests);
        Assert.Null(sent.AuthorizationFailure);
        Assert.Equal(201, sent.Status);
        Assert.Equal("/call-events/messages", sent.Path);
        Assert.Equal(Answered.Id, sent.MessageId);
        Assert.Equal("call.answered", sent.Label);
        Assert.Equal(IntegrationEventTypes.Answered, sent.EventType);
        Assert.StartsWith("application/cloudevents+json", sent.ContentType, StringComparison.Ordinal);
        Assert.Equal(Answered, IntegrationEvent.FromJson(sent.Body) with { Data = Answered.Data });
        Assert.Equal(Answered.Data, IntegrationEvent.FromJson(sent.Body).Data);
    }

    [Fact]
    public async Task A_busy_or_throttling_service_is_retried_until_it_takes_the_message()
    {
        using var services = Compose(new() { ["IntegrationEvents:ServiceBusConnectionString"] = _bus.ConnectionString() });
        _bus.Script.Enqueue(HttpStatusCode.ServiceUnavailable);
        _bus.Script.Enqueue(HttpStatusCode.TooManyRequests);

        await services.GetRequiredService<IIntegrationEventPublisher>().PublishAsync(Answered, CancellationToken.None);

        Assert.Equal([503, 429, 201], _bus.Requests.Select(r => r.Status).ToArray());
        Assert.All(_bus.Requests, r => Assert.Equal(Answered.Id, r.MessageId));
    }

    [Fact]
    public async Task A_service_that_stays_busy_fails_the_publish_after_the_configured_attempts()
    {
        using var services = Compose(new()
        {
            ["IntegrationEvents:ServiceBusConnectionString"] = _bus.ConnectionString(),
            ["IntegrationEvents:MaxAttempts"] = "3",
        });
        for (var i = 0; i < 5; i++)
        {
            _bus.Script.Enqueue(HttpStatusCode.ServiceUnavailable);
        }

        await Assert.ThrowsAsync<IntegrationEventPublishException>(() =>
            services.GetRequiredService<IIntegrationEventPublisher>().PublishAsync(Answered, CancellationToken.None));
        Assert.Equal(3, _bus.Requests.Count);
    }

    [Fact]
    public async Task A_wrong_key_is_refused_with_401_once_not_retried_and_no_secret_is_logged()
    {
        const string wrongKey = "d3Jvbmcta2V5LXRoYXQtdGhlLXNlcnZpY2UtZG9lcy1ub3Qta25vdw==";
        using var services = Compose(new() { ["IntegrationEvents:ServiceBusConnectionString"] = _bus.ConnectionString(wrongKey) });

        var error = await Assert.ThrowsAsync<IntegrationEventPublishException>(() =>
            services.GetRequiredService<IIntegrationEventPublisher>().PublishAsync(Answered, CancellationToken.None));

        Assert.Equal(401, error.Status);
        var refused = Assert.Single(_bus.Requests);
        Assert.Equal("signature mismatch", refused.AuthorizationFailure);
        Assert.NotEmpty(_logs.Lines);
        Assert.Contains(_logs.Lines, l => l.Contains(Answered.Data.CallId, StringComparison.Ordinal) && l.Contains("401", StringComparison.Ordinal));
        Assert.DoesNotContain(_logs.Lines, l => l.Contains(wrongKey, StringComparison.Ordinal) || l.Contains("SharedAccessSignature", StringComparison.Ordinal) || l.Contains("sig=", StringComparison.Ordinal));
        Assert.DoesNotContain(wrongKey, error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(wrongKey, services.GetRequiredService<ServiceBusTarget>().ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_Entra_form_sends_a_bearer_token_asked_for_the_Service_Bus_scope()
    {
        var credential = new FixedTokenCredential(FakeServiceBus.BearerToken);
        using var services = Compose(
            new() { ["IntegrationEvents:ServiceBusNamespace"] = _bus.Endpoint.ToString(), ["IntegrationEvents:Topic"] = FakeServiceBus.Topic },
            s => s.AddSingleton<TokenCredential>(credential));
        Assert.False(services.GetRequiredService<ServiceBusTarget>().UsesSas);

        await services.GetRequiredService<IIntegrationEventPublisher>().PublishAsync(Answered, CancellationToken.None);

        var sent = Assert.Single(_bus.Requests);
        Assert.Equal(201, sent.Status);
        Assert.Equal(Answered.Id, sent.MessageId);
        Assert.Equal(["https://servicebus.azure.net/.default"], credential.Scopes.Single());
    }

    [Fact]
    public void Without_a_connection_the_events_go_to_the_storage_queue()
    {
        using var services = Compose([]);
        Assert.IsType<QueueIntegrationEventPublisher>(services.GetRequiredService<IIntegrationEventPublisher>());
    }

    [Theory]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=;EntityPath=call-events", null, "https://ns.servicebus.windows.net/call-events")]
    [InlineData("Endpoint=sb://NS.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=", "crm-events", "https://ns.servicebus.windows.net/crm-events")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=abc=", null, "https://ns.servicebus.windows.net/call-events")]
    public void Connection_strings_name_the_topic_by_EntityPath_or_setting(string connectionString, string? topic, string entity)
    {
        var target = ServiceBusTarget.FromConnectionString(connectionString, topic);
        Assert.Equal(entity, target.EntityUri.AbsoluteUri);
        Assert.Equal("send", target.KeyName);
        Assert.Equal("abc=", target.Key);
    }

    [Theory]
    [InlineData("ns", "https://ns.servicebus.windows.net/call-events")]
    [InlineData("ns.servicebus.windows.net", "https://ns.servicebus.windows.net/call-events")]
    [InlineData("sb://ns.servicebus.windows.net/", "https://ns.servicebus.windows.net/call-events")]
    public void A_namespace_alone_means_the_Entra_form(string ns, string entity)
    {
        var target = ServiceBusTarget.From(new IntegrationEventOptions { ServiceBusNamespace = ns });
        Assert.False(target.UsesSas);
        Assert.Equal(entity, target.EntityUri.AbsoluteUri);
    }

    [Theory]
    [InlineData("SharedAccessKeyName=send;SharedAccessKey=abc")]
    [InlineData("Endpoint=sb://ns.servicebus.windows.net/;SharedAccessKeyName=send")]
    [InlineData("Endpoint=ftp://ns/;SharedAccessKeyName=send;SharedAccessKey=abc")]
    [InlineData("Endpoint")]
    public void A_bad_connection_string_is_refused_at_start_without_echoing_it(string connectionString)
    {
        var error = Assert.Throws<FormatException>(() => ServiceBusTarget.FromConnectionString(connectionString, null));
        Assert.DoesNotContain("abc", error.Message, StringComparison.Ordinal);
    }

    private ServiceProvider Compose(Dictionary<string, string?> settings, Action<IServiceCollection>? extra = null)
    {
        settings["IntegrationEvents:RetryDelay"] = "00:00:00.010";
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection();
        services.AddLogging(l => l.AddProvider(_logs).SetMinimumLevel(LogLevel.Debug));
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddSingleton(new FunctionApp.Storage.StorageNames(null));
        services.AddSingleton(new FunctionApp.Hosting.StorageConnections(configuration));
        services.AddSingleton<FunctionApp.Storage.AppStorage>();
        extra?.Invoke(services);
        services.AddIntegrationEvents(configuration);
        return services.BuildServiceProvider();
    }

    /// <summary>A credential that hands out one token and remembers the scopes asked for.</summary>
    private sealed class FixedTokenCredential(string token) : TokenCredential
    {
        public ConcurrentQueue<string[]> Scopes { get; } = new();

        public override AccessToken GetToken(TokenRequestContext requestContext, CancellationToken cancellationToken)
        {
            Scopes.Enqueue(requestContext.Scopes);
            return new AccessToken(token, DateTimeOffset.UtcNow.AddHours(1));
        }

        public override ValueTask<AccessToken> GetTokenAsync(TokenRequestContext requestContext, CancellationToken cancellationToken) =>
            ValueTask.FromResult(GetToken(requestContext, cancellationToken));
    }
}

/// <summary>Keeps every formatted log line, to check what reaches logs.</summary>
internal sealed class ListLoggerProvider : ILoggerProvider
{
    private readonly ConcurrentQueue<string> _lines = new();

    public IReadOnlyCollection<string> Lines => [.. _lines];

    public ILogger CreateLogger(string categoryName) => new Logger(_lines);

    public void Dispose()
    {
    }

    private sealed class Logger(ConcurrentQueue<string> lines) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            lines.Enqueue(formatter(state, exception) + (exception is null ? string.Empty : " " + exception));
    }
}
