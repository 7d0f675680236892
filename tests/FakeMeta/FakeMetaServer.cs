using System.Text.Json.Serialization;
using FakeMeta.Hosting;
using FakeMeta.Recording;
using FakeMeta.Simulation;
using FakeMeta.Webhooks;

namespace FakeMeta;

/// <summary>
/// The fake Meta on Kestrel. Tests call <see cref="StartAsync"/> (127.0.0.1, a free port) and point the Graph
/// client at <see cref="BaseUrl"/>; <c>Program</c> uses <see cref="Configure"/> and <see cref="Map"/> to run it
/// standalone with <c>--urls</c>.
/// </summary>
public sealed class FakeMetaServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private FakeMetaServer(WebApplication app, Uri baseUrl)
    {
        this.app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>Root of the fake Graph API, e.g. <c>http://127.0.0.1:53211/</c>; use as <c>WhatsApp:GraphBaseUrl</c>.</summary>
    public Uri BaseUrl { get; }

    public FakeMetaOptions Options => app.Services.GetRequiredService<FakeMetaOptions>();

    /// <summary>Meta's state: users, permissions, calls, settings; also grants permission directly.</summary>
    public MetaSimulator Simulator => app.Services.GetRequiredService<MetaSimulator>();

    /// <summary>The user's side: call, answer, reject, ignore, hang up, reply to permission requests, write.</summary>
    public UserActions Users => app.Services.GetRequiredService<UserActions>();

    public RequestJournal Requests => app.Services.GetRequiredService<RequestJournal>();

    public FaultInjector Faults => app.Services.GetRequiredService<FaultInjector>();

    /// <summary>Every webhook the fake produced; <c>WhenIdleAsync</c> awaits those sent after Graph requests.</summary>
    public WebhookSender Webhooks => app.Services.GetRequiredService<WebhookSender>();

    public static async Task<FakeMetaServer> StartAsync(FakeMetaOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new FakeMetaOptions();
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        if (!options.EnableLogging)
        {
            builder.Logging.ClearProviders();
        }

        Configure(builder.Services, options);
        var app = builder.Build();
        Map(app);
        await app.StartAsync(cancellationToken);
        return new FakeMetaServer(app, new Uri(app.Urls.First().TrimEnd('/') + "/"));
    }

    public static void Configure(IServiceCollection services, FakeMetaOptions options)
    {
        services.AddSingleton(options);
        services.ConfigureHttpJsonOptions(o => o.SerializerOptions.Converters.Add(new JsonStringEnumConverter()));
        services.AddSingleton<WebhookSender>();
        services.AddSingleton<MetaSimulator>();
        services.AddSingleton<GraphRules>();
        services.AddSingleton<UserActions>();
        services.AddSingleton<RequestJournal>();
        services.AddSingleton<FaultInjector>();
    }

    public static void Map(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        app.UseGraphGate();
        app.MapGet("/health", () => Results.Ok());
        app.MapGraph();
        app.MapControl();
    }

    /// <summary>
    /// §1.5 end to end: the user calls <paramref name="phoneNumberId"/> (default: the first number) and Meta posts a
    /// signed connect webhook with <paramref name="sdpOffer"/> to <paramref name="callbackUrl"/>.
    /// </summary>
    public Task<UserInitiatedCall> SendUserInitiatedConnectAsync(Uri callbackUrl, string appSecret, FakeUser user,
        string sdpOffer, string? phoneNumberId = null, CancellationToken cancellationToken = default) =>
        Users.CallBusinessAsync(user, sdpOffer, phoneNumberId, new WebhookTarget(callbackUrl, appSecret), cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await Webhooks.WhenIdleAsync();
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
