using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace MediaRelay.Api;

/// <summary>
/// Bearer <c>Relay__ApiKey</c> on every route but <c>GET /health</c>, compared in constant time (docs/RELAY-API.md,
/// "Authentication"); anything else is a 401 problem with code <c>unauthorized</c>. The key is never logged.
/// </summary>
internal sealed class ApiKeyMiddleware(RequestDelegate next, IOptions<RelayServiceOptions> options)
{
    private readonly byte[] _expected = Encoding.UTF8.GetBytes(options.Value.ApiKey ?? string.Empty);

    public async Task InvokeAsync(HttpContext context)
    {
        if (context.Request.Path.Equals("/health", StringComparison.OrdinalIgnoreCase) || IsAuthorized(context.Request))
        {
            await next(context);
            return;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer";
        await RelayProblems.Create(401, "unauthorized", "A valid bearer key (Relay__ApiKey) is required.").ExecuteAsync(context);
    }

    private bool IsAuthorized(HttpRequest request)
    {
        string? header = request.Headers.Authorization;
        if (_expected.Length == 0 || header is null || !header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[] presented = Encoding.UTF8.GetBytes(header[7..].Trim());
        return CryptographicOperations.FixedTimeEquals(presented, _expected);
    }
}
