using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Configuration;

namespace WhatsAppCalling.FunctionApp.Contacts;

/// <summary>Picks the business number an API call is about: the one named, or the only one configured.</summary>
public sealed class BusinessNumbers(IOptions<BusinessNumbersOptions> options)
{
    public IReadOnlyList<BusinessNumberOptions> All => options.Value.Numbers;

    /// <summary>
    /// The numbers an event is about: its phone number id, else the configured number whose display number it names
    /// (<c>account_update</c> carries only <c>phone_number</c>), else every configured number (account-wide events).
    /// </summary>
    public IReadOnlyList<BusinessNumberId> EventTargets(BusinessNumberId? id, string? displayNumber)
    {
        if (id is { } known)
        {
            return [known];
        }

        if (PhoneNumber.TryParse(displayNumber, out var display))
        {
            var match = options.Value.Numbers.FirstOrDefault(n => PhoneNumber.TryParse(n.DisplayNumber, out var d) && d == display);
            if (match is not null)
            {
                return [match.Id];
            }
        }

        return options.Value.Numbers.Select(n => n.Id).ToList();
    }

    /// <returns>Null with <paramref name="error"/> naming <c>phoneNumberId</c> when it is missing and ambiguous, or unknown.</returns>
    public BusinessNumberId? Resolve(string? phoneNumberId, out string? error)
    {
        error = null;
        var numbers = options.Value.Numbers;
        if (string.IsNullOrWhiteSpace(phoneNumberId))
        {
            if (numbers.Count == 1)
            {
                return numbers[0].Id;
            }

            error = numbers.Count == 0
                ? "No business number is configured (BusinessNumbers__0__PhoneNumberId)."
                : "phoneNumberId is required: several business numbers are configured.";
            return null;
        }

        var match = numbers.FirstOrDefault(n => n.PhoneNumberId == phoneNumberId);
        if (match is null)
        {
            error = $"phoneNumberId '{phoneNumberId}' is not one of this business's numbers.";
            return null;
        }

        return match.Id;
    }
}
