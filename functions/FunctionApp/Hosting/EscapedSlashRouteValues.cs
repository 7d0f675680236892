using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http.Features;

namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>
/// Route values as the client meant them. Meta's call ids are Base64 and may hold '/', which a client sends as
/// <c>%2F</c> inside one path segment; the server decodes every escape of the path except <c>%2F</c> (so that it
/// cannot split a segment), and routing hands the value on with <c>%2F</c> still in it. This runs after routing and
/// replaces such a value by its segment of the raw request target, fully unescaped, so <c>%252F</c> (a literal
/// "%2F") and <c>%2F</c> ('/') stay distinct. Only single-segment parameters of the matched route are touched.
/// </summary>
public static partial class EscapedSlashRouteValues
{
    public static IApplicationBuilder UseEscapedSlashRouteValues(this IApplicationBuilder app) =>
        app.Use(next => context =>
        {
            Unescape(context);
            return next(context);
        });

    internal static void Unescape(HttpContext context)
    {
        var values = context.Request.RouteValues;
        var pattern = (context.GetEndpoint() as RouteEndpoint)?.RoutePattern;
        string[]? rawSegments = null;
        foreach (var (name, value) in values.ToArray())
        {
            // A catch-all ({*path}) already spans segments; a '/' decoded into it would be one more (../ included).
            if (value is not string text || !text.Contains("%2F", StringComparison.OrdinalIgnoreCase)
                || pattern?.GetParameter(name) is not { IsCatchAll: false })
            {
                continue;
            }

            rawSegments ??= RawSegments(context);
            var segment = Array.Find(rawSegments, s => string.Equals(AsServerDecodes(s), text, StringComparison.Ordinal));
            values[name] = segment is null
                ? EscapedSlash().Replace(text, "/")
                : Uri.UnescapeDataString(segment);
        }
    }

    private static string[] RawSegments(HttpContext context)
    {
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget ?? string.Empty;
        var query = target.IndexOf('?', StringComparison.Ordinal);
        return (query < 0 ? target : target[..query]).Split('/');
    }

    // What the server made of a raw segment: every escape decoded but %2F, which is kept as it was written.
    private static string AsServerDecodes(string rawSegment) =>
        string.Join(string.Empty, EscapedSlashSplit().Split(rawSegment).Select(part =>
            EscapedSlash().IsMatch(part) ? part : Uri.UnescapeDataString(part)));

    [GeneratedRegex("%2F", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EscapedSlash();

    [GeneratedRegex("(%2F)", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EscapedSlashSplit();
}
