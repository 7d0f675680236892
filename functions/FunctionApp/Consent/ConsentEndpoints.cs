using WhatsAppCalling.FunctionApp.Problems;
using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.Storage;
using WhatsAppCalling.Storage.Concurrency;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// The agent routes of issue 6 (docs/API.md, "Contacts: calling eligibility and permission requests"). Route names
/// become Azure Functions names. <c>{contact}</c> is E.164 digits (with or without '+') or a BSUID.
/// </summary>
public static class ConsentEndpoints
{
    public const int MaxBodyTextLength = 1024;

    public static IEndpointRouteBuilder MapConsentEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/contacts/{contact}/calling", GetCallingAsync)
            .RequireAuthorization(Policies.Agent).WithName("GetContactCalling").WithTags("consent")
            .WithSummary("May we call this customer, may we ask for permission, and why not");
        endpoints.MapPost("/api/contacts/{contact}/permission-requests", RequestPermissionAsync)
            .RequireAuthorization(Policies.Agent).WithName("RequestCallPermission").WithTags("consent")
            .WithSummary("Send a call permission request (free-form in the window, else the template)");
        endpoints.MapPost("/api/contacts/{contact}/calling/refresh", RefreshAsync)
            .RequireAuthorization(Policies.Agent).WithName("RefreshContactCalling").WithTags("consent")
            .WithSummary("Ask Meta for the customer's call permission; Meta wins where it disagrees");
        return endpoints;
    }

    private static Task<IResult> GetCallingAsync(
        string contact, string? phoneNumberId, CallingConsent consent, BusinessNumbers numbers, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var (number, key, problem) = Target(contact, phoneNumberId, numbers);
            if (problem is not null)
            {
                return problem;
            }

            var (report, stored) = await consent.ReportAsync(number, key, ct);
            return Results.Ok(CallingEligibilityResponse.From(report, stored));
        });

    private static Task<IResult> RequestPermissionAsync(
        string contact, string? phoneNumberId, HttpContext http, PermissionRequestSender sender,
        BusinessNumbers numbers, IOptions<AuthOptions> auth, CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var (number, key, problem) = Target(contact, phoneNumberId, numbers);
            if (problem is not null)
            {
                return problem;
            }

            var (bodyText, bodyProblem) = await ReadBodyTextAsync(http.Request, ct);
            if (bodyProblem is not null)
            {
                return bodyProblem;
            }

            var agent = http.User.AgentId(auth.Value) ?? "unknown";
            return await sender.SendAsync(number, key, bodyText, agent, ct);
        });

    private static Task<IResult> RefreshAsync(
        string contact, string? phoneNumberId, PermissionRefresher refresher, BusinessNumbers numbers,
        CancellationToken ct) =>
        GuardAsync(async () =>
        {
            var (number, key, problem) = Target(contact, phoneNumberId, numbers);
            return problem ?? await refresher.RefreshAsync(number, key, ct);
        });

    /// <summary>The business number and the contact a route is about, or a 400 naming the offending field.</summary>
    internal static (BusinessNumberId Number, ContactKey Contact, IResult? Problem) Target(
        string contact, string? phoneNumberId, BusinessNumbers numbers)
    {
        if (!ContactKey.TryParse(Uri.UnescapeDataString(contact).Trim(), out var key))
        {
            return (default, default, ApiProblems.Field("contact",
                $"'{contact}' is neither a WhatsApp number (E.164 digits, with or without '+') nor a BSUID such as 'US.13491208655302741918'."));
        }

        var number = numbers.Resolve(phoneNumberId?.Trim(), out var error);
        return number is null
            ? (default, key, ApiProblems.Field("phoneNumberId", error ?? "phoneNumberId is not one of this business's numbers."))
            : (number.Value, key, null);
    }

    // The body is optional; when present it is {"bodyText": "..."} (§3.2: only the body text of the request is ours).
    private static async Task<(string? BodyText, IResult? Problem)> ReadBodyTextAsync(HttpRequest request, CancellationToken ct)
    {
        if (request.ContentLength is 0 || (request.ContentLength is null && request.Headers.TransferEncoding.Count == 0))
        {
            return (null, null);
        }

        // An empty body was handled above; anything else must be the documented object.
        var (body, problem) = await JsonBodies.ReadObjectAsync(request, "{\"bodyText\": \"…\"} (or no body)", ct);
        if (problem is not null)
        {
            return (null, problem);
        }

        if (!body.TryGetProperty("bodyText", out var text) || text.ValueKind == JsonValueKind.Null)
        {
            return (null, null);
        }

        if (text.ValueKind != JsonValueKind.String || text.GetString()!.Length > MaxBodyTextLength)
        {
            return (null, ApiProblems.Field("bodyText", $"bodyText must be a string of at most {MaxBodyTextLength} characters."));
        }

        return (text.GetString() is { Length: > 0 } value && !string.IsNullOrWhiteSpace(value) ? value : null, null);
    }

    private static async Task<IResult> GuardAsync(Func<Task<IResult>> handle)
    {
        try
        {
            return await handle();
        }
        catch (ConcurrencyConflictException)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status409Conflict,
                title: "The customer's consent record is busy",
                detail: "Too many changes to this customer's consent at once; retry in a moment.");
        }
        catch (StorageRequestException)
        {
            return Results.Problem(
                statusCode: StatusCodes.Status503ServiceUnavailable,
                title: "Storage unavailable",
                detail: "The consent store could not be reached; retry in a moment.");
        }
    }
}
