using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.FunctionApp.Contacts;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// <c>POST /api/contacts/{contact}/permission-requests</c>: checks <see cref="PermissionRequestPolicy"/> first (409
/// with the reasons when a rule forbids it), sends the free-form request inside the window or the configured
/// template outside it (§3.1–§3.3), then records it in the sent-message log and the consent state.
/// </summary>
public sealed class PermissionRequestSender(
    IWhatsAppClient whatsApp,
    ConsentStore store,
    ContactDirectory contacts,
    SentMessageLog sentMessages,
    CallingConsent consent,
    IOptions<ConsentOptions> options,
    TimeProvider time,
    ILogger<PermissionRequestSender> logger)
{
    public async Task<IResult> SendAsync(BusinessNumberId number, ContactKey requested, string? bodyText, string agentId, CancellationToken ct)
    {
        var contact = await contacts.ResolveAsync(number, requested, ct);
        var stored = await store.GetAsync(number, contact, ct);
        var now = time.GetUtcNow();
        var settings = options.Value;
        var decision = new PermissionRequestPolicy(store.Rules).Evaluate(stored.State, now, settings.TemplateConfigured);
        if (!decision.Allowed)
        {
            var blocking = decision.Reasons.Where(r => r.Blocks).ToList();
            ConsentLog.RequestRefused(logger, ConsentLog.Redact(contact), number.Value, string.Join(", ", blocking.Select(r => r.Code)));
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "A permission request is not possible now",
                detail: string.Join(" ", blocking.Select(r => r.Message)),
                extensions: new Dictionary<string, object?>
                {
                    ["reasons"] = decision.Reasons.Select(ConsentReasonResponse.From).ToList(),
                    ["nextAllowedAt"] = decision.NextAllowedAt,
                });
        }

        var recipient = Recipient.ForContact(contact);
        var template = decision.Channel == RequestChannel.Template
            ? new TemplateMessage(settings.PermissionRequestTemplate!, settings.PermissionRequestTemplateLanguage, [])
            : null;
        var sent = template is null
            ? await whatsApp.SendCallPermissionRequestAsync(number, recipient, bodyText, ct)
            : await whatsApp.SendTemplateAsync(number, recipient, template, ct);
        if (!sent.IsSuccess)
        {
            return await GraphProblemAsync(number, contact, sent.Error, ct);
        }

        // Meta's answer names the BSUID of a number we addressed (§7.2): link it so both forms reach these facts.
        if (!contact.IsBsuid && sent.Value.UserId is { } userId && ContactKey.TryParse(userId, out var bsuid) && bsuid.IsBsuid)
        {
            await contacts.RecordAsync(number, new WebhookContact(bsuid.Value, contact.Phone, null, null, null, null), ct);
            await store.AdoptAsync(number, contact, bsuid, ct);
            contact = bsuid;
        }

        var sentAt = time.GetUtcNow();
        var messageId = sent.Value.MessageId;
        await sentMessages.RecordAsync(new SentMessageRecord(
            number, contact, messageId, sentAt,
            template is null ? SentMessageKind.FreeForm : SentMessageKind.Template,
            SentMessagePurpose.PermissionRequest, template?.Name, agentId), ct);
        var updated = await store.UpdateAsync(number, contact,
            state => store.Machine.Apply(state, new PermissionRequestSent(messageId, sentAt, decision.Channel)), ct);
        ConsentLog.RequestSent(logger, messageId, ConsentLog.Redact(contact), number.Value, decision.Channel.ToString(), agentId);

        var body = new PermissionRequestSentResponse(
            messageId, ConsentNames.Of(decision.Channel), template?.Name, sentAt,
            CallingEligibilityResponse.From(consent.Report(updated.State), updated));
        return Results.Accepted($"/api/contacts/{Uri.EscapeDataString(contact.Value)}/calling?phoneNumberId={number.Value}", body);
    }

    private async Task<IResult> GraphProblemAsync(BusinessNumberId number, ContactKey contact, GraphError error, CancellationToken ct)
    {
        ConsentLog.GraphFailed(logger, "permission request", ConsentLog.Redact(contact), number.Value, error.Code, error.Reason.ToString(), error.FbTraceId);
        if (error.Reason == CallingFailureReason.PermanentPermissionExists)
        {
            // 138017 is Meta telling us the customer already granted permanent permission; Meta wins (issue 6).
            var observed = new MetaPermissionSnapshot(time.GetUtcNow(), MetaPermissionStatus.Permanent, null);
            var result = store.Machine.Reconcile((await store.GetAsync(number, contact, ct)).State, observed);
            if (result.Correction is { } correction)
            {
                await store.UpdateAsync(number, contact, state => store.Machine.Reconcile(state, observed).State, ct, correction);
                ConsentLog.Corrected(logger, ConsentLog.Redact(contact), number.Value, correction.Describe());
            }
        }

        return Results.Problem(
            statusCode: GraphStatus(error.Reason),
            title: "WhatsApp did not send the permission request",
            detail: error.AgentMessage,
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = ConsentNames.Of(error.Reason),
                ["graphCode"] = error.Code,
                ["fbtraceId"] = error.FbTraceId,
            });
    }

    /// <summary>409 when Meta's rules refuse (the agent must wait or change something); 502 when Meta failed.</summary>
    internal static int GraphStatus(CallingFailureReason reason) => reason switch
    {
        CallingFailureReason.TooManyPermissionRequests
            or CallingFailureReason.PermanentPermissionExists
            or CallingFailureReason.OutdatedClient
            or CallingFailureReason.RecipientNotInAllowedList
            or CallingFailureReason.CustomerUnreachable
            or CallingFailureReason.InteractiveCallNotSupported
            or CallingFailureReason.InvalidParameter => StatusCodes.Status409Conflict,
        CallingFailureReason.RateLimited or CallingFailureReason.PermissionsRateLimited => StatusCodes.Status503ServiceUnavailable,
        _ => StatusCodes.Status502BadGateway,
    };
}
