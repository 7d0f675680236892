using System.Buffers;
using System.Diagnostics;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Telemetry;

namespace WhatsAppCalling.FunctionApp.Webhooks;

/// <summary>
/// <c>GET /api/webhooks/whatsapp</c>: Meta's verification handshake (whatsapp-calling-api.md §1.2).
/// <c>POST /api/webhooks/whatsapp</c>: signed deliveries (§1.3), stored and queued before the 200 (§1.4: ACK fast,
/// process asynchronously; Meta's POST timeout is about 20 s and the accept window 30–60 s).
/// </summary>
public static partial class WebhookEndpoints
{
    public const string Route = "/api/webhooks/whatsapp";

    public static void MapWebhookEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet(Route, Verify).AllowAnonymous().WithName("WebhookVerify").WithTags("webhooks")
            .WithSummary("Meta's webhook verification handshake");
        endpoints.MapPost(Route, ReceiveAsync).AllowAnonymous().WithName("WebhookReceive").WithTags("webhooks")
            .WithSummary("Signed WhatsApp webhook deliveries");
    }

    private static IResult Verify(HttpRequest request, IOptions<WebhookOptions> options)
    {
        var query = request.Query;
        var mode = query["hub.mode"].ToString();
        var token = query["hub.verify_token"].ToString();
        var challenge = query["hub.challenge"].ToString();
        if (mode != "subscribe" || !FixedTimeEquals(token, options.Value.VerifyToken) || challenge.Length == 0)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status403Forbidden,
                title: "Webhook verification refused",
                detail: mode != "subscribe" ? "'hub.mode' must be 'subscribe'."
                    : challenge.Length == 0 ? "'hub.challenge' is missing."
                    : "'hub.verify_token' does not match the configured token.");
        }

        // Meta expects the raw challenge as the body (§1.2).
        return Results.Text(challenge, "text/plain");
    }

    private static async Task<IResult> ReceiveAsync(
        HttpContext http, IOptions<WebhookOptions> options, WebhookDeliveryStore store, TimeProvider time, ILoggerFactory loggers, CancellationToken ct)
    {
        var limit = options.Value.WebhookBodyLimitBytes;
        if (http.Request.ContentLength > limit)
        {
            return TooLarge(limit);
        }

        using var received = new MemoryStream((int)Math.Min(http.Request.ContentLength ?? 16 * 1024, limit));
        if (!await CopyWithinLimitAsync(http.Request.Body, received, limit, ct))
        {
            return TooLarge(limit);
        }

        var body = received.GetBuffer().AsMemory(0, (int)received.Length);
        var logger = loggers.CreateLogger("Webhooks");
        var signature = http.Request.Headers[WebhookSignature.HeaderName].ToString();
        if (!WebhookSignature.IsValid(body.Span, signature.Length == 0 ? null : signature, options.Value.Secrets()))
        {
            LogSignatureRejected(logger, body.Length, signature.Length == 0);
            return Results.Problem(
                statusCode: StatusCodes.Status401Unauthorized,
                title: "Invalid webhook signature",
                detail: signature.Length == 0
                    ? $"The '{WebhookSignature.HeaderName}' header is missing."
                    : $"The '{WebhookSignature.HeaderName}' header does not match the body signed with the app secret.");
        }

        if (!WebhookEnvelope.TryParse(body.Span, out var envelope, out var error))
        {
            return Results.Problem(
                statusCode: StatusCodes.Status400BadRequest,
                title: "Not a WhatsApp webhook delivery",
                detail: error!.ToString());
        }

        var receivedAt = time.GetUtcNow();
        using var activity = AppTracing.Source.StartActivity("webhook.receive", ActivityKind.Server);
        var delivery = await store.SaveAsync(body, envelope!.Changes, receivedAt, ct);
        activity?.SetTag(AppTracing.DeliveryTag, delivery);
        LogAccepted(logger, delivery, envelope.Changes.Count);
        return Results.Ok();
    }

    // Copies at most `limit` bytes; a longer body (with or without Content-Length) is refused, not truncated.
    private static async Task<bool> CopyWithinLimitAsync(Stream source, MemoryStream destination, int limit, CancellationToken ct)
    {
        var chunk = ArrayPool<byte>.Shared.Rent(16 * 1024);
        try
        {
            int read;
            while ((read = await source.ReadAsync(chunk, ct)) > 0)
            {
                if (destination.Length + read > limit)
                {
                    return false;
                }

                destination.Write(chunk, 0, read);
            }

            return true;
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk);
        }
    }

    private static IResult TooLarge(int limit) => Results.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge,
        title: "Webhook body too large",
        detail: $"The body exceeds WhatsApp__WebhookBodyLimitBytes ({limit} bytes).");

    private static bool FixedTimeEquals(string a, string b) =>
        System.Security.Cryptography.CryptographicOperations.FixedTimeEquals(
            System.Text.Encoding.UTF8.GetBytes(a), System.Text.Encoding.UTF8.GetBytes(b));

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Webhook delivery of {Length} bytes refused: signature missing={Missing} or invalid")]
    private static partial void LogSignatureRejected(ILogger logger, int length, bool missing);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Webhook delivery {Delivery} stored with {Changes} changes queued")]
    private static partial void LogAccepted(ILogger logger, string delivery, int changes);
}
