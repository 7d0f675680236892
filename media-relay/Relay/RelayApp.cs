using MediaRelay.Api;
using MediaRelay.Bridge;
using MediaRelay.Events;
using MediaRelay.Recording;
using MediaRelay.Sessions;
using Microsoft.Extensions.Options;

namespace MediaRelay;

/// <summary>
/// Builds the relay process: control API (bearer key), sessions in memory, the media clock, the event publisher
/// and the recording store. Tests build it with their own configuration and free ports.
/// </summary>
public static class RelayApp
{
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(args);
        configure?.Invoke(builder);
        var settings = builder.Configuration.GetSection(RelayServiceOptions.Section).Get<RelayServiceOptions>() ?? new RelayServiceOptions();
        var failures = settings.Validate();
        if (failures.Count > 0)
        {
            throw new InvalidOperationException("Relay configuration is invalid: " + string.Join(" ", failures));
        }

        var services = builder.Services;
        services.Configure<RelayServiceOptions>(builder.Configuration.GetSection(RelayServiceOptions.Section));
        services.AddProblemDetails();
        services.TryAddSingleton(TimeProvider.System);
        // One publisher for the process (it owns the in-flight deliveries) on a named client.
        services.AddHttpClient(nameof(RelayEventPublisher), http => http.Timeout = TimeSpan.FromSeconds(10));
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<RelayEventPublisher>(sp,
            sp.GetRequiredService<IHttpClientFactory>().CreateClient(nameof(RelayEventPublisher))));
        services.AddSingleton<IRelayEventPublisher>(sp => sp.GetRequiredService<RelayEventPublisher>());
        services.AddSingleton<RecordingStore>();
        services.AddSingleton<RelayMedia>();
        services.AddSingleton<SessionRegistry>();
        services.AddHostedService<MediaClock>();

        var app = builder.Build();
        app.UseMiddleware<ApiKeyMiddleware>();

        // Liveness for run.sh, the VM health probe and the function app's start-up check (anonymous).
        app.MapGet("/health", () => Results.Ok(new { status = "ok", service = "media-relay" }))
            .WithName("Health").WithTags("health").WithSummary("Liveness: 200 when the relay accepts sessions");
        app.MapSessionRoutes();
        return app;
    }

    /// <summary>Tests may register their own clock first.</summary>
    private static void TryAddSingleton<T>(this IServiceCollection services, T instance) where T : class
    {
        if (!services.Any(d => d.ServiceType == typeof(T)))
        {
            services.AddSingleton(instance);
        }
    }
}
