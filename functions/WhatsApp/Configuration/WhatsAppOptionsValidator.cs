using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.WhatsApp.Configuration;

/// <summary>Fails start-up on unusable Graph settings instead of failing the first call.</summary>
public sealed partial class WhatsAppOptionsValidator : IValidateOptions<WhatsAppOptions>
{
    // Calling needs Graph v17.0 or later (whatsapp-calling-api.md §0).
    private const int MinimumGraphMajorVersion = 17;

    public ValidateOptionsResult Validate(string? name, WhatsAppOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (string.IsNullOrWhiteSpace(options.AccessToken))
        {
            failures.Add("WhatsApp:AccessToken is required.");
        }

        var version = VersionPattern().Match(options.GraphVersion ?? "");
        if (!version.Success || int.Parse(version.Groups[1].Value) < MinimumGraphMajorVersion)
        {
            failures.Add($"WhatsApp:GraphVersion must look like 'v23.0' and be at least v{MinimumGraphMajorVersion}.0.");
        }

        if (!Uri.TryCreate(options.GraphBaseUrl, UriKind.Absolute, out var baseUrl)
            || (baseUrl.Scheme != Uri.UriSchemeHttps && baseUrl.Scheme != Uri.UriSchemeHttp))
        {
            failures.Add("WhatsApp:GraphBaseUrl must be an absolute http(s) URL.");
        }

        if (options.RequestTimeout <= TimeSpan.Zero || options.TotalTimeout < options.RequestTimeout)
        {
            failures.Add("WhatsApp:RequestTimeout must be positive and WhatsApp:TotalTimeout at least as long.");
        }

        if (options.MaxRetries is < 0 or > 10)
        {
            failures.Add("WhatsApp:MaxRetries must be between 0 and 10.");
        }

        if (options.RetryBaseDelay <= TimeSpan.Zero || options.RetryMaxDelay < options.RetryBaseDelay)
        {
            failures.Add("WhatsApp:RetryBaseDelay must be positive and WhatsApp:RetryMaxDelay at least as long.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    [GeneratedRegex(@"^v(\d+)\.\d+$")]
    private static partial Regex VersionPattern();
}

/// <summary>Each configured business number needs a Meta id, a valid display number and a country code.</summary>
public sealed class BusinessNumbersOptionsValidator : IValidateOptions<BusinessNumbersOptions>
{
    public ValidateOptionsResult Validate(string? name, BusinessNumbersOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        for (var i = 0; i < options.Numbers.Count; i++)
        {
            var number = options.Numbers[i];
            if (string.IsNullOrWhiteSpace(number.PhoneNumberId) || !number.PhoneNumberId.All(char.IsAsciiDigit))
            {
                failures.Add($"BusinessNumbers:{i}:PhoneNumberId must be Meta's numeric phone number id.");
            }

            if (!PhoneNumber.TryParse(number.DisplayNumber, out _))
            {
                failures.Add($"BusinessNumbers:{i}:DisplayNumber must be an E.164 number.");
            }

            if (number.Country.Length != 2 || !number.Country.All(char.IsAsciiLetterUpper))
            {
                failures.Add($"BusinessNumbers:{i}:Country must be an ISO 3166 alpha-2 code such as 'DE'.");
            }
        }

        var duplicates = options.Numbers.GroupBy(n => n.PhoneNumberId).Where(g => g.Count() > 1).Select(g => g.Key);
        failures.AddRange(duplicates.Select(d => $"BusinessNumbers: phone number id {d} appears more than once."));
        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
