using OpenTelemetry;
using OpenTelemetry.Exporter;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;

namespace WhatsAppCalling.FunctionApp.Telemetry;

/// <summary>
/// Exports traces over OTLP when an endpoint is configured (<c>OTEL_EXPORTER_OTLP_ENDPOINT</c>, the standard
/// variable; <c>OTEL_EXPORTER_OTLP_PROTOCOL</c> picks <c>grpc</c> or <c>http/protobuf</c>). Without one nothing is
/// exported and spans cost almost nothing (no listener, no allocation). Listens to our own source and to ASP.NET
/// Core's and HttpClient's built-in sources, so incoming requests and Graph/relay calls appear in the same trace.
/// </summary>
public static class TracingFeature
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "whatsapp-calling-functions";

    public static IServiceCollection AddTracing(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        if (configuration[EndpointVariable] is not { Length: > 0 } endpoint || !Uri.TryCreate(endpoint, UriKind.Absolute, out var uri))
        {
            return services;
        }

        var protocol = string.Equals(configuration["OTEL_EXPORTER_OTLP_PROTOCOL"], "grpc", StringComparison.OrdinalIgnoreCase)
            ? OtlpExportProtocol.Grpc
            : OtlpExportProtocol.HttpProtobuf;
        services.AddSingleton(_ => Sdk.CreateTracerProviderBuilder()
            .SetResourceBuilder(ResourceBuilder.CreateDefault().AddService(ServiceName))
            .AddSource(AppTracing.SourceName, WhatsAppCalling.Storage.Timers.TimerTracing.SourceName, "Microsoft.AspNetCore", "System.Net.Http")
            .AddOtlpExporter(o =>
            {
                o.Protocol = protocol;
                // For http/protobuf the SDK wants the full traces URL; a base URL gets the standard path appended.
                o.Endpoint = protocol == OtlpExportProtocol.HttpProtobuf && uri.AbsolutePath is "/" or ""
                    ? new Uri(uri, "v1/traces")
                    : uri;
            })
            .Build());
        services.AddHostedService<TracerProviderStarter>();
        return services;
    }

    /// <summary>Builds the provider when the app starts (not on first use) and flushes it when the app stops.</summary>
    private sealed class TracerProviderStarter(TracerProvider provider) : IHostedService
    {
        public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

        public Task StopAsync(CancellationToken cancellationToken)
        {
            provider.ForceFlush(2_000);
            return Task.CompletedTask;
        }
    }
}
