using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp.Tests.Support;

/// <summary>
/// A fake Meta on loopback with a manual clock, a webhook receiver, and our Graph client wired through
/// <c>AddWhatsAppGraphClient</c> exactly as the function app wires it (only the base URL and backoff differ).
/// </summary>
public sealed class GraphHarness : IAsyncDisposable
{
    public const string Token = "EAAG-test-token-that-must-never-be-logged-1234567890";
    public const string AppSecret = "test-app-secret";

    private ServiceProvider? provider;

    public FakeMetaServer Meta { get; private set; } = null!;

    public WebhookReceiver Receiver { get; private set; } = null!;

    public ManualTimeProvider Clock { get; } = new();

    public CapturingLoggerProvider Logs { get; } = new();

    public IWhatsAppClient Client { get; private set; } = null!;

    public BusinessNumberId Number => new(Meta.Simulator.DefaultNumber.PhoneNumberId);

    public static async Task<GraphHarness> StartAsync(Action<FakeMetaOptions>? configure = null)
    {
        var harness = new GraphHarness();
        harness.Receiver = await WebhookReceiver.StartAsync();
        var options = new FakeMetaOptions
        {
            AccessToken = Token,
            AppSecret = AppSecret,
            CallbackUrl = harness.Receiver.Url,
            Time = harness.Clock,
        };
        options.BusinessNumbers.Add(new FakeBusinessNumber("100000000000002", "15551230002", "US"));
        configure?.Invoke(options);
        harness.Meta = await FakeMetaServer.StartAsync(options);

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["WhatsApp:AccessToken"] = Token,
            ["WhatsApp:GraphBaseUrl"] = harness.Meta.BaseUrl.ToString(),
            ["WhatsApp:RetryBaseDelay"] = "00:00:00.001",
            ["WhatsApp:RetryMaxDelay"] = "00:00:00.010",
            ["WhatsApp:MaxRetries"] = "3",
            ["BusinessNumbers:0:PhoneNumberId"] = "100000000000001",
            ["BusinessNumbers:0:DisplayNumber"] = "+49 30 123456701",
            ["BusinessNumbers:0:Country"] = "DE",
        }).Build();
        var services = new ServiceCollection();
        services.AddLogging(b => b.SetMinimumLevel(LogLevel.Trace).AddProvider(harness.Logs));
        services.AddWhatsAppGraphClient(configuration);
        harness.provider = services.BuildServiceProvider();
        harness.Client = harness.provider.GetRequiredService<IWhatsAppClient>();
        return harness;
    }

    /// <summary>A customer known to the fake, with permission (or not) to be called.</summary>
    public FakeUser Customer(string waId = "4915112345678", PermissionKind permission = PermissionKind.None)
    {
        var user = Meta.Simulator.AddUser(FakeUser.WithNumber(waId));
        if (permission != PermissionKind.None)
        {
            Meta.Simulator.GrantPermission(user, permission);
        }

        return user;
    }

    public static Recipient To(FakeUser user) => Recipient.ForPhone(PhoneNumber.Parse(user.WaId!));

    public async ValueTask DisposeAsync()
    {
        if (provider is not null)
        {
            await provider.DisposeAsync();
        }

        await Meta.DisposeAsync();
        await Receiver.DisposeAsync();
    }
}
