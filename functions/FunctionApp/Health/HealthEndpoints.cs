using System.Diagnostics;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.Storage.Queues;

namespace WhatsAppCalling.FunctionApp.Health;

public sealed record StorageProbeResult(bool Reachable, double LatencyMs, string? Error);

public sealed record HealthReport(string Status, string Service, StorageProbeResult Storage, DateTimeOffset CheckedAt);

/// <summary>Checks that the app's storage account answers (any service answer counts, even "queue not found").</summary>
public sealed class StorageProbe(StorageConnections connections, TimeProvider time)
{
    private const string ProbeQueue = "health-probe";

    public async Task<StorageProbeResult> ProbeAsync(CancellationToken ct)
    {
        var started = time.GetTimestamp();
        try
        {
            var queue = new QueueServiceClient(connections.Get("AzureWebJobsStorage")).GetQueueClient(ProbeQueue);
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(5));
            await queue.PeekMessagesAsync(1, timeout.Token);
            return new StorageProbeResult(true, time.GetElapsedTime(started).TotalMilliseconds, null);
        }
        catch (Exception ex) when (ex is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var answered = ex is WhatsAppCalling.Storage.StorageRequestException;
            return new StorageProbeResult(answered, time.GetElapsedTime(started).TotalMilliseconds, answered ? null : ex.GetType().Name + ": " + ex.Message);
        }
    }
}

public static class HealthEndpoints
{
    public static IServiceCollection AddStorageHealth(this IServiceCollection services) => services.AddSingleton<StorageProbe>();

    public static void MapHealth(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/health", async (StorageProbe probe, TimeProvider time, CancellationToken ct) =>
            {
                var storage = await probe.ProbeAsync(ct);
                var report = new HealthReport(storage.Reachable ? "healthy" : "unhealthy", "functions", storage, time.GetUtcNow());
                return Results.Json(report, statusCode: storage.Reachable ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
            })
            .AllowAnonymous()
            .WithName("Health")
            .WithTags("health")
            .WithSummary("Liveness and storage reachability");
    }
}
