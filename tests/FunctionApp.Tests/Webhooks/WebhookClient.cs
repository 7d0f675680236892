using System.Net.Http.Json;
using System.Text;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Tests.Webhooks;

/// <summary>Posts bodies to the webhook endpoint the way Meta does: raw bytes, signed with the app secret.</summary>
public static class WebhookClient
{
    public static async Task<HttpResponseMessage> PostSignedAsync(RunningFunctionApp app, string body, string? secret = RunningFunctionApp.AppSecret)
    {
        var bytes = Encoding.UTF8.GetBytes(body);
        return await PostRawAsync(app, bytes, secret is null ? null : WebhookSignature.Sign(bytes, secret));
    }

    public static async Task<HttpResponseMessage> PostRawAsync(RunningFunctionApp app, byte[] body, string? signature)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
        request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.HeaderName, signature);
        }

        return await app.Client.SendAsync(request);
    }

    public static async Task<TimelineBody> TimelineAsync(RunningFunctionApp app, string contact, string phoneNumberId)
    {
        using var client = await app.ClientForAsync("agent-1");
        return (await client.GetFromJsonAsync<TimelineBody>($"/api/contacts/{Uri.EscapeDataString(contact)}/timeline?phoneNumberId={phoneNumberId}&limit=1000"))!;
    }

    public sealed record TimelineBody(string Contact, string PhoneNumberId, IReadOnlyList<string> KnownAs, IReadOnlyList<EntryBody> Entries);

    public sealed record EntryBody(string Id, DateTimeOffset? At, string Kind, string Summary, string? CallId, string? MessageId, string? Direction, string? Status, string? Details, string ContactKey);
}
