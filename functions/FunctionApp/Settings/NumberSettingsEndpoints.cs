using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Settings;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Problems;
using WhatsAppCalling.WhatsApp;
using WhatsAppCalling.WhatsApp.Errors;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>An admin's settings of a business number (docs/API.md, "Business number settings").</summary>
public static class NumberSettingsEndpoints
{
    public sealed record SyncResponse(string State, long Version, string? Error, DateTimeOffset? UpdatedAt, string? UpdatedBy, DateTimeOffset? RetryAt);

    /// <summary>Whether a call now would be inside the hours, and when they open next (what a caller is told).</summary>
    public sealed record AvailabilityResponse(bool OpenNow, DateTimeOffset? NextOpening);

    /// <summary>The PUT document plus read-only members (which PUT ignores), so a GET can be edited and sent back.</summary>
    public sealed record SettingsResponse(
        string PhoneNumberId,
        bool? CallingEnabled,
        string? CallIconVisibility,
        BusinessHoursDraft? BusinessHours,
        bool? CallbackPermission,
        bool? Recording,
        SyncResponse Sync,
        AvailabilityResponse Availability);

    public static IEndpointRouteBuilder MapNumberSettings(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/admin/numbers/{phoneNumberId}/settings", GetAsync)
            .RequireAuthorization(Policies.Admin).WithName("GetNumberSettings").WithTags("settings")
            .WithSummary("A business number's calling settings, their sync state with Meta, and whether it is open now");
        endpoints.MapPut("/api/admin/numbers/{phoneNumberId}/settings", PutAsync)
            .RequireAuthorization(Policies.Admin).WithName("PutNumberSettings").WithTags("settings")
            .WithSummary("Replace a business number's settings; stored, then pushed to Meta");
        return endpoints;
    }

    private static async Task<IResult> GetAsync(
        string phoneNumberId, HttpContext http, BusinessNumbers numbers, NumberSettingsStore store, TimeProvider time, CancellationToken ct)
    {
        if (numbers.Resolve(phoneNumberId, out var error) is not { } number)
        {
            return ApiProblems.Field("phoneNumberId", error ?? "Unknown business number.");
        }

        var stored = await store.FindAsync(number, ct);
        if (stored is not null)
        {
            http.Response.Headers.ETag = stored.ETag;
        }

        return Results.Ok(Response(number, stored, time.GetUtcNow(), null));
    }

    private static async Task<IResult> PutAsync(
        string phoneNumberId,
        HttpContext http,
        BusinessNumbers numbers,
        NumberSettingsStore store,
        NumberSettingsSync sync,
        IWhatsAppClient graph,
        CallingAvailability availability,
        IOptions<AuthOptions> auth,
        TimeProvider time,
        ILogger<NumberSettingsSync> logger,
        CancellationToken ct)
    {
        if (numbers.Resolve(phoneNumberId, out var numberError) is not { } number)
        {
            return ApiProblems.Field("phoneNumberId", numberError ?? "Unknown business number.");
        }

        NumberSettingsDraft? draft;
        try
        {
            draft = await JsonSerializer.DeserializeAsync<NumberSettingsDraft>(http.Request.Body, SettingsDocument.Json, ct);
        }
        catch (JsonException e)
        {
            var field = e.Path is { Length: > 2 } path && path.StartsWith("$.", StringComparison.Ordinal) ? path[2..] : "body";
            return ApiProblems.Field(field, field == "body"
                ? "The body must be a settings JSON object (see GET for its shape)."
                : $"{field} has the wrong JSON type.");
        }

        var now = time.GetUtcNow();
        var (settings, errors) = NumberSettingsRules.Validate(draft, now);
        if (settings is null)
        {
            return FieldErrors(errors);
        }

        var current = await store.FindAsync(number, ct);
        if (settings.CallingEnabled && current?.Settings.CallingEnabled != true)
        {
            var limit = await graph.GetMessagingLimitAsync(number, ct);
            if (!limit.IsSuccess)
            {
                return GraphProblem("Could not read the number's messaging limit from Meta; nothing was changed.", limit.Error, null, null);
            }

            var enablement = availability.CanEnableCalling(limit.Value.DailyRecipients ?? 0);
            if (!enablement.Allowed)
            {
                logger.LogInformation("Enabling calling on {PhoneNumberId} refused: messaging limit {Tier}", number, limit.Value.Tier);
                return Results.Problem(
                    statusCode: StatusCodes.Status409Conflict,
                    title: "Calling cannot be enabled",
                    detail: $"{enablement.Message} (Meta reports {limit.Value.Tier}.)",
                    extensions: new Dictionary<string, object?>
                    {
                        ["field"] = "callingEnabled",
                        ["messagingLimitTier"] = limit.Value.Tier,
                        ["threshold"] = enablement.Threshold,
                    });
            }
        }

        StoredNumberSettings saved;
        try
        {
            var by = http.User.AgentId(auth.Value) ?? "admin";
            saved = await store.SaveAsync(number, settings, by, http.Request.Headers.IfMatch.FirstOrDefault(), now, ct);
        }
        catch (SettingsChangedException changed)
        {
            http.Response.Headers.ETag = changed.CurrentETag;
            return Results.Problem(statusCode: StatusCodes.Status412PreconditionFailed, title: "Settings changed",
                detail: "The settings changed since you read them (If-Match); read them again and reapply your change.");
        }

        var pushed = await sync.PushAsync(saved, attempt: 1, ct);
        http.Response.Headers.ETag = pushed.Stored.ETag;
        if (pushed.Synced)
        {
            return Results.Ok(Response(number, pushed.Stored, now, null));
        }

        if (pushed.Error.Reason == CallingFailureReason.MessagingLimitTooLow)
        {
            return Results.Problem(statusCode: StatusCodes.Status409Conflict, title: "Calling cannot be enabled",
                detail: $"Meta refused to enable calling: {pushed.Error.AgentMessage} The settings are stored but not in force at Meta.",
                extensions: new Dictionary<string, object?> { ["field"] = "callingEnabled", ["sync"] = SyncOf(pushed.Stored, null) });
        }

        return GraphProblem(pushed.RetryAt is null
                ? "Meta refused the settings. They are stored here and govern admission, but Meta does not have them; fix and save again."
                : "Meta did not take the settings. They are stored here and govern admission; the push is retried until Meta has them.",
            pushed.Error, pushed.Stored, pushed.RetryAt);
    }

    private static SettingsResponse Response(BusinessNumberId number, StoredNumberSettings? stored, DateTimeOffset now, DateTimeOffset? retryAt)
    {
        var settings = stored?.Settings ?? NumberSettings.Unconfigured;
        var draft = SettingsDocument.ToDraft(settings);
        var zone = NumberSettingsRules.TryFindZone(settings.Hours.TimeZoneId, out var z) ? z : TimeZoneInfo.Utc;
        var open = settings.CallingEnabled && settings.Hours.IsOpen(now, zone);
        var next = settings.CallingEnabled ? settings.Hours.NextOpening(now, zone) : null;
        return new SettingsResponse(number.Value, draft.CallingEnabled, draft.CallIconVisibility, draft.BusinessHours, draft.CallbackPermission,
            draft.Recording, SyncOf(stored, retryAt), new AvailabilityResponse(open, next));
    }

    private static SyncResponse SyncOf(StoredNumberSettings? stored, DateTimeOffset? retryAt) => stored is null
        ? new SyncResponse("unconfigured", 0, null, null, null, null)
        : new SyncResponse(stored.Sync.ToString().ToLowerInvariant(), stored.Version, stored.SyncError, stored.UpdatedAt, stored.UpdatedBy, retryAt);

    private static IResult FieldErrors(IReadOnlyList<FieldError> errors) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Invalid {errors[0].Field}",
            detail: errors[0].Message,
            extensions: new Dictionary<string, object?>
            {
                ["field"] = errors[0].Field,
                ["errors"] = errors.GroupBy(e => e.Field).ToDictionary(g => g.Key, g => g.Select(e => e.Message).ToArray()),
            });

    private static IResult GraphProblem(string detail, GraphError error, StoredNumberSettings? stored, DateTimeOffset? retryAt) =>
        Results.Problem(
            statusCode: StatusCodes.Status502BadGateway,
            title: "Meta's settings endpoint failed",
            detail: $"{detail} Meta: {error.Details ?? error.Message}",
            extensions: new Dictionary<string, object?>
            {
                ["metaCode"] = error.Code,
                ["sync"] = stored is null ? null : SyncOf(stored, retryAt),
            });
}
