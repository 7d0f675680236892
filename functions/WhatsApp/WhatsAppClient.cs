using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Configuration;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.WhatsApp;

/// <summary>The Graph implementation of <see cref="IWhatsAppClient"/>, a typed client of IHttpClientFactory.</summary>
public sealed class WhatsAppClient : IWhatsAppClient
{
    private const string Product = "whatsapp";
    private readonly GraphTransport transport;

    public WhatsAppClient(HttpClient http, IOptionsMonitor<WhatsAppOptions> options, ILogger<WhatsAppClient> logger,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(http);
        ArgumentNullException.ThrowIfNull(options);
        var current = options.CurrentValue;
        http.BaseAddress ??= current.VersionedBaseAddress;
        transport = new GraphTransport(http, current, logger, time ?? TimeProvider.System);
    }

    public async Task<GraphResult<StartedCall>> ConnectAsync(BusinessNumberId number, ConnectCallRequest request,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(request);
        request.Validate();
        var body = new JsonObject { ["messaging_product"] = Product };
        AddRecipient(body, request.To);
        body["action"] = "connect";
        body["session"] = Session("offer", request.SdpOffer);
        if (request.BizOpaqueCallbackData is not null)
        {
            body["biz_opaque_callback_data"] = request.BizOpaqueCallbackData;
        }

        var (doc, error) = await transport.SendAsync("connect", HttpMethod.Post, CallsPath(number), body,
            Repeatability.Once, cancellationToken);
        using (doc)
        {
            if (error is not null)
            {
                return GraphResult<StartedCall>.Failure(error);
            }

            var id = GraphJson.Array(doc!.RootElement, "calls").Select(c => GraphJson.String(c, "id")).FirstOrDefault();
            return id is null
                ? GraphResult<StartedCall>.Failure(MissingField("connect", "calls[0].id"))
                : GraphResult<StartedCall>.Success(new StartedCall(new CallId(id)));
        }
    }

    public Task<GraphResult> PreAcceptAsync(BusinessNumberId number, CallId callId, string sdpAnswer,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sdpAnswer);
        var body = CallAction(callId, "pre_accept");
        body["session"] = Session("answer", sdpAnswer);
        return SendActionAsync("pre_accept", number, body, Repeatability.Once, cancellationToken);
    }

    public Task<GraphResult> AcceptAsync(BusinessNumberId number, CallId callId, string sdpAnswer,
        string? bizOpaqueCallbackData = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(sdpAnswer);
        if (bizOpaqueCallbackData is { Length: > ConnectCallRequest.MaxCallbackDataLength })
        {
            throw new ArgumentException($"biz_opaque_callback_data is limited to {ConnectCallRequest.MaxCallbackDataLength} characters.");
        }

        var body = CallAction(callId, "accept");
        body["session"] = Session("answer", sdpAnswer);
        if (bizOpaqueCallbackData is not null)
        {
            body["biz_opaque_callback_data"] = bizOpaqueCallbackData;
        }

        return SendActionAsync("accept", number, body, Repeatability.Once, cancellationToken);
    }

    public Task<GraphResult> RejectAsync(BusinessNumberId number, CallId callId, CancellationToken cancellationToken = default) =>
        SendActionAsync("reject", number, CallAction(callId, "reject"), Repeatability.Idempotent, cancellationToken);

    public Task<GraphResult> TerminateAsync(BusinessNumberId number, CallId callId, CancellationToken cancellationToken = default) =>
        SendActionAsync("terminate", number, CallAction(callId, "terminate"), Repeatability.Idempotent, cancellationToken);

    public Task<GraphResult<SentMessage>> SendTextAsync(BusinessNumberId number, Recipient to, string text,
        CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(text);
        var body = MessageBody(to, "text");
        body["text"] = new JsonObject { ["body"] = text };
        return SendMessageAsync("send_text", number, body, cancellationToken);
    }

    public Task<GraphResult<SentMessage>> SendCallPermissionRequestAsync(BusinessNumberId number, Recipient to,
        string? bodyText = null, CancellationToken cancellationToken = default)
    {
        var interactive = new JsonObject
        {
            ["type"] = "call_permission_request",
            ["action"] = new JsonObject { ["name"] = "call_permission_request" },
        };
        if (!string.IsNullOrWhiteSpace(bodyText))
        {
            interactive["body"] = new JsonObject { ["text"] = bodyText };
        }

        var body = MessageBody(to, "interactive");
        body["interactive"] = interactive;
        return SendMessageAsync("send_call_permission_request", number, body, cancellationToken);
    }

    public Task<GraphResult<SentMessage>> SendTemplateAsync(BusinessNumberId number, Recipient to, TemplateMessage template,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(template);
        template.Validate();
        var components = new JsonArray();
        if (template.BodyParameters.Count > 0)
        {
            var parameters = new JsonArray();
            foreach (var p in template.BodyParameters)
            {
                parameters.Add(new JsonObject { ["type"] = "text", ["text"] = p });
            }

            components.Add(new JsonObject { ["type"] = "body", ["parameters"] = parameters });
        }

        var body = MessageBody(to, "template");
        body["template"] = new JsonObject
        {
            ["name"] = template.Name,
            ["language"] = new JsonObject { ["code"] = template.LanguageCode },
            ["components"] = components,
        };
        return SendMessageAsync("send_template", number, body, cancellationToken);
    }

    public async Task<GraphResult<CallPermissionState>> GetCallPermissionsAsync(BusinessNumberId number, Recipient user,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(user);
        var query = user.Phone is { } phone
            ? $"user_wa_id={phone.Digits}"
            : $"recipient={Uri.EscapeDataString(user.Bsuid!)}";
        var (doc, error) = await transport.SendAsync("get_call_permissions", HttpMethod.Get,
            $"{Escape(number)}/call_permissions?{query}", null, Repeatability.Idempotent, cancellationToken);
        using (doc)
        {
            return error is not null
                ? GraphResult<CallPermissionState>.Failure(error)
                : GraphResult<CallPermissionState>.Success(CallPermissionsParser.Parse(doc!.RootElement));
        }
    }

    public async Task<GraphResult<CallingSettings>> GetCallingSettingsAsync(BusinessNumberId number,
        CancellationToken cancellationToken = default)
    {
        var (doc, error) = await transport.SendAsync("get_settings", HttpMethod.Get, $"{Escape(number)}/settings", null,
            Repeatability.Idempotent, cancellationToken);
        using (doc)
        {
            if (error is not null)
            {
                return GraphResult<CallingSettings>.Failure(error);
            }

            // A number that never configured calling may have no calling object: that means "all defaults".
            var settings = doc!.RootElement.TryGetProperty("calling", out var calling) && calling.ValueKind == JsonValueKind.Object
                ? calling.Deserialize<CallingSettings>() ?? new CallingSettings()
                : new CallingSettings();
            return GraphResult<CallingSettings>.Success(settings);
        }
    }

    public async Task<GraphResult<MessagingLimit>> GetMessagingLimitAsync(BusinessNumberId number,
        CancellationToken cancellationToken = default)
    {
        var (doc, error) = await transport.SendAsync("get_messaging_limit", HttpMethod.Get,
            $"{Escape(number)}?fields=whatsapp_business_manager_messaging_limit,messaging_limit_tier", null,
            Repeatability.Idempotent, cancellationToken);
        using (doc)
        {
            if (error is not null)
            {
                return GraphResult<MessagingLimit>.Failure(error);
            }

            var tier = GraphJson.String(doc!.RootElement, "whatsapp_business_manager_messaging_limit")
                ?? GraphJson.String(doc.RootElement, "messaging_limit_tier");
            return tier is null
                ? GraphResult<MessagingLimit>.Failure(MissingField("get_messaging_limit", "whatsapp_business_manager_messaging_limit"))
                : GraphResult<MessagingLimit>.Success(new MessagingLimit(tier));
        }
    }

    public Task<GraphResult> UpdateCallingSettingsAsync(BusinessNumberId number, CallingSettings settings,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var body = new JsonObject
        {
            ["calling"] = JsonSerializer.SerializeToNode(settings, SettingsJson),
        };
        return SendPlainAsync("update_settings", $"{Escape(number)}/settings", body, Repeatability.Idempotent,
            cancellationToken);
    }

    private static readonly JsonSerializerOptions SettingsJson = new()
    {
        DefaultIgnoreCondition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull,
    };

    private Task<GraphResult> SendActionAsync(string operation, BusinessNumberId number, JsonObject body,
        Repeatability repeatability, CancellationToken cancellationToken) =>
        SendPlainAsync(operation, CallsPath(number), body, repeatability, cancellationToken);

    private async Task<GraphResult> SendPlainAsync(string operation, string path, JsonObject body,
        Repeatability repeatability, CancellationToken cancellationToken)
    {
        var (doc, error) = await transport.SendAsync(operation, HttpMethod.Post, path, body, repeatability, cancellationToken);
        using (doc)
        {
            if (error is not null)
            {
                return GraphResult.Failure(error);
            }

            // Meta answers {"success":true} (the reference adds messaging_product); an explicit false is a failure.
            return GraphJson.Bool(doc!.RootElement, "success") == false
                ? GraphResult.Failure(MissingField(operation, "success=true"))
                : GraphResult.Success;
        }
    }

    private async Task<GraphResult<SentMessage>> SendMessageAsync(string operation, BusinessNumberId number,
        JsonObject body, CancellationToken cancellationToken)
    {
        var (doc, error) = await transport.SendAsync(operation, HttpMethod.Post, $"{Escape(number)}/messages", body,
            Repeatability.Once, cancellationToken);
        using (doc)
        {
            if (error is not null)
            {
                return GraphResult<SentMessage>.Failure(error);
            }

            var root = doc!.RootElement;
            var id = GraphJson.Array(root, "messages").Select(m => GraphJson.String(m, "id")).FirstOrDefault();
            var contact = GraphJson.Array(root, "contacts").FirstOrDefault();
            return id is null
                ? GraphResult<SentMessage>.Failure(MissingField(operation, "messages[0].id"))
                : GraphResult<SentMessage>.Success(new SentMessage(id, GraphJson.String(contact, "wa_id"),
                    GraphJson.String(contact, "user_id")));
        }
    }

    private static JsonObject CallAction(CallId callId, string action)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(callId.Value, nameof(callId));
        return new JsonObject { ["messaging_product"] = Product, ["call_id"] = callId.Value, ["action"] = action };
    }

    private static JsonObject MessageBody(Recipient to, string type)
    {
        ArgumentNullException.ThrowIfNull(to);
        var body = new JsonObject { ["messaging_product"] = Product, ["recipient_type"] = "individual" };
        AddRecipient(body, to);
        body["type"] = type;
        return body;
    }

    private static void AddRecipient(JsonObject body, Recipient to)
    {
        if (to.Phone is { } phone)
        {
            body["to"] = phone.Digits;
        }

        if (to.Bsuid is not null)
        {
            body["recipient"] = to.Bsuid;
        }
    }

    private static JsonObject Session(string type, string sdp) => new() { ["sdp_type"] = type, ["sdp"] = sdp };

    private static string CallsPath(BusinessNumberId number) => $"{Escape(number)}/calls";

    private static string Escape(BusinessNumberId number)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(number.Value, nameof(number));
        return Uri.EscapeDataString(number.Value);
    }

    private static GraphError MissingField(string operation, string field) =>
        new(200, 0, null, $"Graph answered {operation} without {field}.", null, null, null);
}
