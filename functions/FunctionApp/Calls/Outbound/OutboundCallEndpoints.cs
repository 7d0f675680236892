using System.Text.Json;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Relay;
using WhatsAppCalling.FunctionApp.Contacts;
using WhatsAppCalling.FunctionApp.Problems;
using WhatsAppCalling.WhatsApp.Configuration;

namespace WhatsAppCalling.FunctionApp.Calls.Outbound;

/// <summary>The dial-out routes (docs/API.md, "Outbound calls"): the numbers an agent may call from, and placing a call.</summary>
public static class OutboundCallEndpoints
{
    public sealed record BusinessNumberResponse(string PhoneNumberId, string DisplayNumber, string Country, string? Reason);

    public sealed record BusinessNumbersResponse(
        IReadOnlyList<BusinessNumberResponse> Numbers, string? DefaultPhoneNumberId, bool ChoiceRequired, IReadOnlyList<BusinessNumberResponse> Unavailable);

    public sealed record PlaceResponse(string CallId, string SdpAnswer, string LegId, OutboundCallResponse Call);

    public static IEndpointRouteBuilder MapOutboundCallEndpoints(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/api/agents/me/business-numbers", GetNumbers)
            .RequireAuthorization(Policies.Agent).WithName("GetMyBusinessNumbers").WithTags("calls")
            .WithSummary("The business numbers an agent may call from (the dial-out dropdown)");
        endpoints.MapPost("/api/calls", PlaceAsync)
            .RequireAuthorization(Policies.Agent).WithName("PlaceCall").WithTags("calls")
            .WithSummary("Call a customer from a business number with the browser's SDP offer; returns the relay's answer");
        return endpoints;
    }

    private static IResult GetNumbers(BusinessNumbers numbers, CallingAvailability availability)
    {
        var callable = new List<BusinessNumberResponse>();
        var unavailable = new List<BusinessNumberResponse>();
        foreach (var number in numbers.All)
        {
            if (availability.BusinessCountryMayInitiate(number.Country))
            {
                callable.Add(new(number.PhoneNumberId, number.DisplayNumber, number.Country, null));
            }
            else
            {
                unavailable.Add(new(number.PhoneNumberId, number.DisplayNumber, number.Country,
                    $"WhatsApp does not allow business-initiated calls from numbers registered in {number.Country}."));
            }
        }

        return Results.Ok(new BusinessNumbersResponse(callable, callable.Count == 1 ? callable[0].PhoneNumberId : null, callable.Count > 1, unavailable));
    }

    private static async Task<IResult> PlaceAsync(
        HttpContext http, IOptions<AuthOptions> auth, BusinessNumbers numbers, CallingAvailability availability, ContactDirectory contacts,
        OutboundEligibility eligibility, OutboundCalls calls, ILoggerFactory loggers, CancellationToken ct)
    {
        if (http.User.AgentId(auth.Value) is not { } agentId)
        {
            return Results.Forbid();
        }

        var (body, problem) = await JsonBodies.ReadObjectAsync(http.Request, """{"businessNumberId": "…", "to": "+447700900123", "sdpOffer": "v=0…"}""", ct);
        if (problem is not null)
        {
            return problem;
        }

        var sdp = Text(body, "sdpOffer");
        if (CallEndpoints.OfferProblem(sdp) is { } badOffer)
        {
            return badOffer;
        }

        if (!ContactKey.TryParse(Text(body, "to")?.Trim(), out var customer))
        {
            return ApiProblems.Field("to", "to must be the customer's WhatsApp number in E.164 (+447700900123) or their BSUID.");
        }

        if (ResolveNumber(Text(body, "businessNumberId"), numbers, availability, out var numberError) is not { } business)
        {
            return ApiProblems.Field("businessNumberId", numberError!);
        }

        var agent = new AgentId(agentId);
        if (await CalleeAsync(business, customer, contacts, ct) is not { } callee)
        {
            return Refused(StatusCodes.Status422UnprocessableEntity, "calleeNumberUnknown",
                "Only the customer's WhatsApp user id is known; their phone number is needed to price and place the call.", []);
        }

        OutboundEligibilityResult verdict;
        try
        {
            verdict = await eligibility.CheckAsync(agent, business, customer, callee, ct);
        }
        catch (UnknownBusinessNumberException e)
        {
            return ApiProblems.Field("businessNumberId", e.Message);
        }

        if (!verdict.MayDial)
        {
            var first = verdict.Reasons[0];
            return Refused(verdict.AgentBlocked ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity, first.Code, first.Message, verdict.Reasons);
        }

        OutboundPlaceResult placed;
        try
        {
            placed = await calls.PlaceAsync(new OutboundDial(agent, business, customer, callee, sdp!), ct);
        }
        catch (MediaRelayException e)
        {
            loggers.CreateLogger(typeof(OutboundCallEndpoints)).LogWarning("Outbound dial by {AgentId}: the relay failed: {Code}", agentId, e.Code);
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "Media relay error", detail: e.Message,
                extensions: new Dictionary<string, object?> { ["reason"] = "relayUnavailable", ["code"] = e.Code });
        }

        if (placed.Refusal is { } refusal)
        {
            // Another dial by the same agent got there first (the eligibility check above saw them free).
            var code = OutboundEligibility.Camel(refusal.ToString());
            var sentence = CallRefusals.Describe(refusal);
            return Refused(StatusCodes.Status409Conflict, code, sentence, [new OutboundReason(OutboundBlocker.Agent, code, sentence)]);
        }

        if (placed.GraphError is { } error)
        {
            return Results.Problem(statusCode: StatusCodes.Status502BadGateway, title: "WhatsApp refused the call", detail: $"{error.AgentMessage} ({error.Message})",
                extensions: new Dictionary<string, object?>
                {
                    ["reason"] = OutboundEligibility.Camel(error.Reason.ToString()),
                    ["graphCode"] = error.Code,
                });
        }

        var call = placed.Call!;
        var leg = placed.AgentLeg!;
        return Results.Created($"/api/calls/{Uri.EscapeDataString(call.CallId.Value)}",
            new PlaceResponse(call.CallId.Value, leg.SdpAnswer, leg.LegId, OutboundCallResponse.From(call)));
    }

    /// <summary>The number named, or the only one that may call; several callable numbers need a choice.</summary>
    private static BusinessNumberId? ResolveNumber(string? id, BusinessNumbers numbers, CallingAvailability availability, out string? error)
    {
        error = null;
        if (!string.IsNullOrWhiteSpace(id))
        {
            if (numbers.All.FirstOrDefault(n => n.PhoneNumberId == id) is { } named)
            {
                return named.Id;
            }

            error = $"businessNumberId '{id}' is not one of this business's numbers.";
            return null;
        }

        var callable = numbers.All.Where(n => availability.BusinessCountryMayInitiate(n.Country)).ToList();
        if (callable.Count == 1)
        {
            return callable[0].Id;
        }

        error = callable.Count == 0
            ? "No business number may place calls (see GET /api/agents/me/business-numbers)."
            : "businessNumberId is required: several business numbers may call (GET /api/agents/me/business-numbers).";
        return null;
    }

    /// <summary>The number to dial and price: the key's own number, else a phone alias recorded for the BSUID.</summary>
    private static async Task<PhoneNumber?> CalleeAsync(BusinessNumberId business, ContactKey customer, ContactDirectory contacts, CancellationToken ct)
    {
        if (customer.Phone is { } phone)
        {
            return phone;
        }

        foreach (var key in await contacts.AllKeysAsync(business, customer, ct))
        {
            if (key.Phone is { } alias)
            {
                return alias;
            }
        }

        return null;
    }

    private static IResult Refused(int status, string reason, string detail, IEnumerable<OutboundReason> reasons) =>
        Results.Problem(statusCode: status, title: "The call cannot be placed", detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["reason"] = reason,
                ["reasons"] = reasons.Select(r => new { source = OutboundEligibility.Camel(r.Source.ToString()), code = r.Code, message = r.Message }).ToArray(),
            });

    private static string? Text(JsonElement body, string name) =>
        body.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;
}
