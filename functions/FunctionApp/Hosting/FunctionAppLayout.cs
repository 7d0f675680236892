using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Routing;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// Writes the deployable function-app folder: <c>host.json</c> and one <c>&lt;Name&gt;/function.json</c> per function
/// (azure-protocols.md §1.1, §1.7), beside the handler executable, so that <c>func start</c> or a zip deployment
/// runs it. HTTP functions come from the named <c>/api</c> endpoints; queue and timer functions from the catalog.
/// </summary>
public static class FunctionAppLayout
{
    private const string ApiPrefix = "api/";
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    /// <summary>The HTTP functions: every named endpoint under <c>/api</c>, grouped by name.</summary>
    public static IReadOnlyList<HttpFunctionDefinition> HttpFunctions(IEnumerable<EndpointDataSource> sources)
    {
        var functions = new Dictionary<string, HttpFunctionDefinition>(StringComparer.OrdinalIgnoreCase);
        foreach (var endpoint in sources.SelectMany(s => s.Endpoints).OfType<RouteEndpoint>())
        {
            var route = endpoint.RoutePattern.RawText?.TrimStart('/') ?? string.Empty;
            if (!route.StartsWith(ApiPrefix, StringComparison.OrdinalIgnoreCase) ||
                endpoint.Metadata.GetMetadata<LocalOnlyEndpointMetadata>() is not null)
            {
                continue;
            }

            var name = endpoint.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName
                ?? throw new InvalidOperationException($"Endpoint '/{route}' needs a name (WithName) to become a function.");
            var methods = endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET", "POST"];
            var function = new HttpFunctionDefinition(name, route[ApiPrefix.Length..], methods.Select(m => m.ToUpperInvariant()).ToList());
            if (functions.TryGetValue(name, out var existing))
            {
                if (!string.Equals(existing.Route, function.Route, StringComparison.OrdinalIgnoreCase))
                {
                    throw new InvalidOperationException($"Endpoint name '{name}' is used for two routes.");
                }

                function = existing with { Methods = existing.Methods.Union(function.Methods).ToList() };
            }

            functions[name] = function;
        }

        return functions.Values.OrderBy(f => f.Name, StringComparer.Ordinal).ToList();
    }

    public static JsonObject FunctionJson(FunctionDefinition function) => function switch
    {
        HttpFunctionDefinition http => new JsonObject
        {
            ["bindings"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "httpTrigger",
                    ["direction"] = "in",
                    ["name"] = "req",
                    // The app authenticates every route itself (JWT, webhook signature); host keys would break Meta.
                    ["authLevel"] = "anonymous",
                    ["methods"] = new JsonArray(http.Methods.Select(m => (JsonNode)m.ToLowerInvariant()).ToArray()),
                    ["route"] = http.Route,
                },
                new JsonObject { ["type"] = "http", ["direction"] = "out", ["name"] = "res" }),
        },
        QueueFunctionDefinition queue => new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["type"] = "queueTrigger",
                ["direction"] = "in",
                ["name"] = QueueFunctionDefinition.BindingName,
                ["queueName"] = queue.QueueName,
                ["connection"] = queue.Connection,
            }),
        },
        TimerFunctionDefinition timer => new JsonObject
        {
            ["bindings"] = new JsonArray(new JsonObject
            {
                ["type"] = "timerTrigger",
                ["direction"] = "in",
                ["name"] = TimerFunctionDefinition.BindingName,
                ["schedule"] = timer.Schedule,
                ["runOnStartup"] = timer.RunOnStartup,
            }),
        },
        _ => throw new ArgumentOutOfRangeException(nameof(function)),
    };

    /// <summary>Writes host.json (copied from <paramref name="hostJsonPath"/>) and every function.json.</summary>
    public static IReadOnlyList<string> Write(string outputDirectory, string hostJsonPath, IEnumerable<FunctionDefinition> functions)
    {
        Directory.CreateDirectory(outputDirectory);
        var hostJson = Path.Combine(outputDirectory, "host.json");
        // The publish step emits into the folder the handler runs from, where host.json already is.
        if (!string.Equals(Path.GetFullPath(hostJsonPath), Path.GetFullPath(hostJson), StringComparison.Ordinal))
        {
            File.Copy(hostJsonPath, hostJson, overwrite: true);
        }

        var written = new List<string>();
        foreach (var function in functions)
        {
            var folder = Path.Combine(outputDirectory, function.Name);
            Directory.CreateDirectory(folder);
            var path = Path.Combine(folder, "function.json");
            File.WriteAllText(path, FunctionJson(function).ToJsonString(Indented));
            written.Add(path);
        }

        return written;
    }
}

/// <summary>Marks endpoints that exist only in local runs (e.g. the self-hosted SignalR hub), not as functions.</summary>
public sealed class LocalOnlyEndpointMetadata;
