using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Models;
using MetaStatus = WhatsAppCalling.WhatsApp.Models.CallPermissionStatus;
using WhatsAppCalling.FunctionApp.Contacts;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// <c>POST /api/contacts/{contact}/calling/refresh</c>: reads Meta's <c>GET call_permissions</c> (§3.4) and
/// reconciles. Where Meta disagrees with what we derived, Meta wins and the correction is kept on the consent row
/// (issue 6), so the agent sees why the answer changed.
/// </summary>
public sealed class PermissionRefresher(
    IWhatsAppClient whatsApp,
    ConsentStore store,
    ContactDirectory contacts,
    CallingConsent consent,
    TimeProvider time,
    ILogger<PermissionRefresher> logger)
{
    public async Task<IResult> RefreshAsync(BusinessNumberId number, ContactKey requested, CancellationToken ct)
    {
        var contact = await contacts.ResolveAsync(number, requested, ct);
        var answer = await whatsApp.GetCallPermissionsAsync(number, Recipient.ForContact(contact), ct);
        if (!answer.IsSuccess)
        {
            var error = answer.Error;
            ConsentLog.GraphFailed(logger, "call_permissions", ConsentLog.Redact(contact), number.Value, error.Code, error.Reason.ToString(), error.FbTraceId);
            return Results.Problem(
                statusCode: PermissionRequestSender.GraphStatus(error.Reason),
                title: "WhatsApp did not report the call permission",
                detail: error.AgentMessage,
                extensions: new Dictionary<string, object?> { ["reason"] = ConsentNames.Of(error.Reason), ["graphCode"] = error.Code });
        }

        var meta = answer.Value;
        if (Snapshot(meta, time.GetUtcNow()) is not { } snapshot)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status502BadGateway,
                title: "WhatsApp reported an unknown permission status",
                detail: $"Meta answered status '{meta.RawStatus}', which neither documented vocabulary knows; nothing was changed.");
        }

        PermissionCorrection? correction = null;
        var updated = await store.UpdateAsync(number, contact, state =>
        {
            var result = store.Machine.Reconcile(state, snapshot);
            correction = result.Correction;
            return result.State;
        }, ct);
        if (correction is not null)
        {
            // Written again with the record of the correction (the first write ran without knowing it would be one).
            updated = await store.UpdateAsync(number, contact, state => state, ct, correction);
            ConsentLog.Corrected(logger, ConsentLog.Redact(contact), number.Value, correction.Describe());
        }

        return Results.Ok(new PermissionRefreshResponse(
            ConsentNames.Of(snapshot.Status), snapshot.ExpiresAt, correction is not null, correction?.Describe(),
            CallingEligibilityResponse.From(consent.Report(updated.State), updated)));
    }

    /// <summary>Meta's answer in the domain's terms; null when the status is in neither vocabulary (§3.4).</summary>
    internal static MetaPermissionSnapshot? Snapshot(CallPermissionState meta, DateTimeOffset observedAt)
    {
        MetaPermissionStatus? status = meta.Status switch
        {
            MetaStatus.Temporary => MetaPermissionStatus.Temporary,
            MetaStatus.Permanent => MetaPermissionStatus.Permanent,
            MetaStatus.Granted => meta.ExpiresAt is null ? MetaPermissionStatus.Permanent : MetaPermissionStatus.Temporary,
            MetaStatus.NoPermission or MetaStatus.Pending or MetaStatus.Denied or MetaStatus.Expired => MetaPermissionStatus.NoPermission,
            _ => null,
        };
        if (status is null)
        {
            return null;
        }

        // An exhausted start_call limit tells us until when Meta refuses calls (138012); the latest one governs.
        var limitUntil = meta.Action(CallPermissionState.StartCallAction)?.Limits
            .Where(l => l.IsExhausted && l.LimitExpiresAt is not null)
            .Max(l => l.LimitExpiresAt);
        return new MetaPermissionSnapshot(observedAt, status.Value, meta.ExpiresAt, limitUntil);
    }
}
