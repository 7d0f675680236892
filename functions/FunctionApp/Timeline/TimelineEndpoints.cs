using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Contacts;

namespace WhatsAppCalling.FunctionApp.Timeline;

public static class TimelineEndpoints
{
    public sealed record TimelineResponse(string Contact, string PhoneNumberId, IReadOnlyList<string> KnownAs, IReadOnlyList<TimelineEntry> Entries);

    public static void MapTimeline(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/contacts/{contact}/timeline", ReadAsync)
            .RequireAuthorization(Policies.Agent)
            .WithName("ContactTimeline")
            .WithTags("contacts")
            .WithSummary("The customer's calls, messages and permission changes, newest first");
    }

    private static async Task<IResult> ReadAsync(
        string contact, string? phoneNumberId, int? limit, BusinessNumbers numbers, ContactDirectory directory, TimelineStore timeline, CancellationToken ct)
    {
        var errors = new Dictionary<string, string[]>();
        if (!ContactKey.TryParse(contact, out var key))
        {
            errors["contact"] = [$"'{contact}' is neither a WhatsApp number (E.164, with or without '+') nor a BSUID."];
        }

        var number = numbers.Resolve(phoneNumberId, out var numberError);
        if (numberError is not null)
        {
            errors["phoneNumberId"] = [numberError];
        }

        if (limit is < 1 or > 1000)
        {
            errors["limit"] = ["limit must be between 1 and 1000."];
        }

        if (errors.Count > 0)
        {
            return Results.ValidationProblem(errors);
        }

        var keys = await directory.AllKeysAsync(number!.Value, key, ct);
        var entries = await timeline.ReadAsync(number.Value, keys.Select(k => k.Value), limit ?? 100, ct);
        return Results.Ok(new TimelineResponse(keys[0].Value, number.Value.Value, keys.Select(k => k.Value).ToList(), entries));
    }
}
