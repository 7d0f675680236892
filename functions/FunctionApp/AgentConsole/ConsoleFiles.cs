using Microsoft.AspNetCore.StaticFiles;
using Microsoft.Extensions.FileProviders;

namespace WhatsAppCalling.FunctionApp.AgentConsole;

/// <summary>
/// Serves the agent console (plain HTML, CSS and ES modules) as one anonymous HTTP function,
/// <c>GET /api/console/{*path}</c>. It lives under <c>/api</c> so that the same URL works on the local Kestrel run and
/// behind the Functions host, whose <c>routePrefix</c> stays <c>api</c> for every other route (docs/ARCHITECTURE.md,
/// "Agent console"). The files are copied beside the handler at build and publish time, including the SignalR
/// browser bundle from <c>node_modules</c>; nothing here needs a token because every API call the page makes does.
/// </summary>
public static class ConsoleFiles
{
    public const string RoutePrefix = "/api/console";
    public const string FolderName = "console";

    private static readonly FileExtensionContentTypeProvider ContentTypes = new();

    public static IEndpointRouteBuilder MapConsoleFiles(this IEndpointRouteBuilder endpoints)
    {
        var provider = new PhysicalFileProvider(Path.Combine(AppContext.BaseDirectory, FolderName));
        endpoints.MapGet(RoutePrefix + "/{*path}", (HttpContext http, string? path) => Serve(http, provider, path))
            .AllowAnonymous().WithName("AgentConsole").WithTags("console")
            .WithSummary("The agent console's static files (anonymous; the page signs in and sends a token on every API call)");
        return endpoints;
    }

    private static IResult Serve(HttpContext http, PhysicalFileProvider provider, string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            // Relative links in index.html resolve against the folder, so the folder URL must end with '/'.
            if (!http.Request.Path.Value!.EndsWith('/'))
            {
                return Results.Redirect(RoutePrefix + "/" + http.Request.QueryString);
            }

            path = "index.html";
        }

        // PhysicalFileProvider refuses '..', absolute paths and hidden files, so nothing outside the folder is served.
        var file = provider.GetFileInfo(path);
        if (!file.Exists || file.IsDirectory || file.PhysicalPath is null)
        {
            return Results.Problem(statusCode: StatusCodes.Status404NotFound, title: "No such console file",
                detail: $"The console has no file '{path}'.", extensions: new Dictionary<string, object?> { ["field"] = "path" });
        }

        if (!ContentTypes.TryGetContentType(file.Name, out var contentType))
        {
            contentType = "application/octet-stream";
        }

        // The files change with every deployment and are small: revalidate rather than cache stale modules.
        http.Response.Headers.CacheControl = "no-cache";
        return Results.File(file.PhysicalPath, contentType, enableRangeProcessing: false);
    }
}
