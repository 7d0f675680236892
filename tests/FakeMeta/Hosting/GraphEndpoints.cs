using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using FakeMeta.Recording;
using FakeMeta.Simulation;

namespace FakeMeta.Hosting;

/// <summary>
/// The fake Graph API: <c>/{version}/{phone-number-id}/calls|messages|call_permissions|settings</c>. Every request
/// is recorded first, then may meet an injected fault, then needs the bearer token (Graph error 190 otherwise).
/// </summary>
internal static partial class GraphEndpoints
{
    // Calling needs Graph v17.0 or later (whatsapp-calling-api.md §0).
    private const int MinimumVersion = 17;

    public static void UseGraphGate(this WebApplication app)
    {
        app.Use(async (context, next) =>
        {
            var path = context.Request.Path.Value ?? "";
            if (path.StartsWith("/_fake", StringComparison.Ordinal) || path == "/health")
            {
                await next(context);
                return;
            }

            var services = context.RequestServices;
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, Encoding.UTF8, leaveOpen: true);
            var body = await reader.ReadToEndAsync(context.RequestAborted);
            context.Request.Body.Position = 0;
            var authorization = context.Request.Headers.Authorization.ToString();
            services.GetRequiredService<RequestJournal>().Add(new RecordedRequest(
                context.Request.Method, path, context.Request.QueryString.Value ?? "", body,
                context.Request.Headers.Where(h => !h.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase))
                    .ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                authorization.StartsWith("Bearer ", StringComparison.Ordinal),
                services.GetRequiredService<FakeMetaOptions>().Time.GetUtcNow()));

            if (services.GetRequiredService<FaultInjector>().Take(context.Request.Method, path) is { } fault)
            {
                await WriteAsync(context, fault.Status, fault.Body);
                return;
            }

            var token = services.GetRequiredService<FakeMetaOptions>().AccessToken;
            if (authorization != "Bearer " + token)
            {
                var denied = GraphOutcome.Error(401, 190, "Invalid OAuth access token - Cannot parse access token");
                await WriteAsync(context, denied.Status, denied.Body.ToJsonString());
                return;
            }

            await next(context);
        });
    }

    public static void MapGraph(this WebApplication app)
    {
        app.MapPost("/{version}/{phoneNumberId}/calls", (HttpContext context, string version, string phoneNumberId, GraphRules rules) =>
            Handle(context, version, body => rules.Calls(phoneNumberId, body)));
        app.MapPost("/{version}/{phoneNumberId}/messages", (HttpContext context, string version, string phoneNumberId, GraphRules rules) =>
            Handle(context, version, body => rules.Messages(phoneNumberId, body)));
        app.MapPost("/{version}/{phoneNumberId}/settings", (HttpContext context, string version, string phoneNumberId, GraphRules rules) =>
            Handle(context, version, body => rules.PostSettings(phoneNumberId, body)));
        app.MapGet("/{version}/{phoneNumberId}/settings", (HttpContext context, string version, string phoneNumberId, GraphRules rules) =>
            Handle(context, version, _ => rules.GetSettings(phoneNumberId)));
        app.MapGet("/{version}/{phoneNumberId}", (HttpContext context, string version, string phoneNumberId, string? fields, GraphRules rules) =>
            Handle(context, version, _ => rules.GetNumber(phoneNumberId, fields)));
        app.MapGet("/{version}/{phoneNumberId}/call_permissions",
            (HttpContext context, string version, string phoneNumberId, string? user_wa_id, string? recipient, GraphRules rules) =>
                Handle(context, version, _ => rules.CallPermissions(phoneNumberId, user_wa_id, recipient)));
    }

    private static async Task Handle(HttpContext context, string version, Func<JsonElement, GraphOutcome> rule)
    {
        var match = VersionPattern().Match(version);
        if (!match.Success || int.Parse(match.Groups[1].Value) < MinimumVersion)
        {
            var old = GraphOutcome.Error(400, 100, $"Calling needs Graph v{MinimumVersion}.0 or later; got '{version}'.");
            await WriteAsync(context, old.Status, old.Body.ToJsonString());
            return;
        }

        JsonDocument? doc = null;
        try
        {
            if (HttpMethods.IsPost(context.Request.Method))
            {
                try
                {
                    doc = await JsonDocument.ParseAsync(context.Request.Body, cancellationToken: context.RequestAborted);
                }
                catch (JsonException)
                {
                    var bad = GraphOutcome.InvalidParameter("The request body is not valid JSON.");
                    await WriteAsync(context, bad.Status, bad.Body.ToJsonString());
                    return;
                }
            }

            var outcome = rule(doc?.RootElement ?? default);
            var sim = context.RequestServices.GetRequiredService<MetaSimulator>();
            foreach (var (field, envelope) in outcome.Webhooks)
            {
                sim.Webhooks.SendInBackground(field, envelope, sim.DefaultTarget);
            }

            await WriteAsync(context, outcome.Status, outcome.Body.ToJsonString());
        }
        finally
        {
            doc?.Dispose();
        }
    }

    private static async Task WriteAsync(HttpContext context, int status, string json)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(json, context.RequestAborted);
    }

    [GeneratedRegex(@"^v(\d+)\.\d+$")]
    private static partial Regex VersionPattern();
}
