using System.Globalization;
using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Billing;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Billing;

/// <summary>A business number as configured (<c>BusinessNumbers__n__…</c>): Meta's id, the number, its registered country.</summary>
public sealed record BillingBusinessNumber(string PhoneNumberId, string? DisplayNumber, string? Country)
{
    public PhoneNumber? Number => PhoneNumber.TryParse(DisplayNumber, out var number) ? number : null;

    /// <summary>The registered country, upper case; null means "read it from the prefix".</summary>
    public string? CountryIso => string.IsNullOrWhiteSpace(Country) ? null : Country.Trim().ToUpperInvariant();
}

/// <summary>
/// Billing settings gathered from several sections (architecture.md, "Configuration keys"): <c>Calling</c>
/// (minimum balance, messaging-limit threshold), <c>Billing</c> (country rules, the WABA's time zone),
/// <c>WhatsApp:WabaId</c> (the balance's scope) and <c>BusinessNumbers</c>.
/// </summary>
public sealed class BillingOptions
{
    /// <summary>Ledger partition used when no WABA id is configured (local runs and tests of other features).</summary>
    public const string UnconfiguredWabaId = "default";

    public decimal MinimumBalanceUsd { get; set; } = 10m;

    public long MessagingLimitThreshold { get; set; } = 2000;

    /// <summary>ISO alpha-2 countries whose business numbers may not start calls; null keeps the domain's default list.</summary>
    public IReadOnlyList<string>? BusinessCountriesWithoutOutboundCalling { get; set; }

    /// <summary>Entries <c>digits</c> or <c>digits=Region</c>; null keeps the domain's default list.</summary>
    public IReadOnlyList<string>? SanctionedPrefixes { get; set; }

    /// <summary>Rate changes take effect at 00:00 in the WABA's zone (pricing-markets.md), so billing dates use it.</summary>
    public string WabaTimeZone { get; set; } = "UTC";

    public string? WabaId { get; set; }

    public IReadOnlyList<BillingBusinessNumber> BusinessNumbers { get; set; } = [];

    public string LedgerWabaId => string.IsNullOrWhiteSpace(WabaId) ? UnconfiguredWabaId : WabaId.Trim();

    public Money MinimumBalance => new(MinimumBalanceUsd);

    public TimeZoneInfo TimeZone => TimeZoneInfo.FindSystemTimeZoneById(WabaTimeZone);

    public BillingBusinessNumber? FindNumber(string phoneNumberId) =>
        BusinessNumbers.FirstOrDefault(n => string.Equals(n.PhoneNumberId, phoneNumberId, StringComparison.Ordinal));

    public CallingAvailabilityOptions ToAvailabilityOptions()
    {
        var defaults = new CallingAvailabilityOptions();
        return defaults with
        {
            MessagingLimitThreshold = MessagingLimitThreshold,
            BusinessCountriesWithoutBusinessInitiatedCalling = BusinessCountriesWithoutOutboundCalling is { } countries
                ? [.. countries.Select(c => c.Trim().ToUpperInvariant())]
                : defaults.BusinessCountriesWithoutBusinessInitiatedCalling,
            SanctionedPrefixes = SanctionedPrefixes is { } prefixes
                ? [.. prefixes.Select(ParseSanctionedPrefix)]
                : defaults.SanctionedPrefixes,
        };
    }

    /// <summary>Reads the four sections; list settings accept a comma-separated value or indexed children.</summary>
    public static void Bind(BillingOptions options, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(configuration);
        var calling = configuration.GetSection("Calling");
        options.MinimumBalanceUsd = ReadDecimal(calling, "MinimumBalanceUsd") ?? options.MinimumBalanceUsd;
        options.MessagingLimitThreshold = calling.GetValue<long?>("MessagingLimitThreshold") ?? options.MessagingLimitThreshold;

        var billing = configuration.GetSection("Billing");
        options.BusinessCountriesWithoutOutboundCalling = ReadList(billing.GetSection("BusinessCountriesWithoutOutboundCalling"))
            ?? options.BusinessCountriesWithoutOutboundCalling;
        options.SanctionedPrefixes = ReadList(billing.GetSection("SanctionedPrefixes")) ?? options.SanctionedPrefixes;
        options.WabaTimeZone = billing["WabaTimeZone"] is { Length: > 0 } zone ? zone : options.WabaTimeZone;

        options.WabaId = configuration["WhatsApp:WabaId"] ?? options.WabaId;
        var numbers = configuration.GetSection("BusinessNumbers").GetChildren()
            .OrderBy(c => int.TryParse(c.Key, NumberStyles.None, CultureInfo.InvariantCulture, out var i) ? i : int.MaxValue)
            .Select(c => new BillingBusinessNumber(c["PhoneNumberId"] ?? string.Empty, c["DisplayNumber"], c["Country"]))
            .ToList();
        if (numbers.Count > 0)
        {
            options.BusinessNumbers = numbers;
        }
    }

    internal static SanctionedPrefix ParseSanctionedPrefix(string entry)
    {
        var parts = entry.Split('=', 2, StringSplitOptions.TrimEntries);
        var digits = parts[0].TrimStart('+');
        // A configured list replaces the researched one; its regions are the operator's own, so not marked approximate.
        return new SanctionedPrefix(digits, parts.Length > 1 && parts[1].Length > 0 ? parts[1] : "+" + digits, Approximate: false);
    }

    private static decimal? ReadDecimal(IConfiguration section, string key) =>
        section[key] is { Length: > 0 } text
            ? decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value)
                ? value
                : throw new OptionsValidationException(nameof(BillingOptions), typeof(BillingOptions), [$"Calling__{key} '{text}' is not a decimal amount."])
            : null;

    private static List<string>? ReadList(IConfigurationSection section)
    {
        if (section.Value is { } text)
        {
            return [.. text.Split([',', ';'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        }

        var children = section.GetChildren().Select(c => c.Value).OfType<string>().Where(v => v.Trim().Length > 0).ToList();
        return children.Count > 0 ? children : null;
    }
}

/// <summary>Start-up validation: a mistyped zone, country or prefix fails the app with the key to fix.</summary>
public sealed class BillingOptionsValidator : IValidateOptions<BillingOptions>
{
    public ValidateOptionsResult Validate(string? name, BillingOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = new List<string>();
        if (options.MinimumBalanceUsd < 0m)
        {
            failures.Add($"Calling__MinimumBalanceUsd must not be negative (is {options.MinimumBalanceUsd}).");
        }

        if (options.MessagingLimitThreshold < 1)
        {
            failures.Add($"Calling__MessagingLimitThreshold must be positive (is {options.MessagingLimitThreshold}).");
        }

        try
        {
            _ = options.TimeZone;
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            failures.Add($"Billing__WabaTimeZone '{options.WabaTimeZone}' is not a known time zone (use an IANA id such as Europe/Berlin).");
        }

        foreach (var country in options.BusinessCountriesWithoutOutboundCalling ?? [])
        {
            if (!IsIso(country))
            {
                failures.Add($"Billing__BusinessCountriesWithoutOutboundCalling: '{country}' is not a two-letter ISO country code.");
            }
        }

        foreach (var entry in options.SanctionedPrefixes ?? [])
        {
            var digits = BillingOptions.ParseSanctionedPrefix(entry).Prefix;
            if (digits.Length is 0 or > 15 || digits[0] == '0' || !digits.All(char.IsAsciiDigit))
            {
                failures.Add($"Billing__SanctionedPrefixes: '{entry}' must be digits (optionally '=Region'), not starting with 0.");
            }
        }

        // The WABA id becomes a table partition key, so it must be free of the characters keys forbid.
        if (options.WabaId is { Length: > 0 } waba && !waba.Trim().All(char.IsAsciiLetterOrDigit))
        {
            failures.Add($"WhatsApp__WabaId '{waba}' must be letters and digits only.");
        }

        for (var i = 0; i < options.BusinessNumbers.Count; i++)
        {
            var number = options.BusinessNumbers[i];
            if (string.IsNullOrWhiteSpace(number.PhoneNumberId))
            {
                failures.Add($"BusinessNumbers__{i}__PhoneNumberId is required.");
            }

            if (!string.IsNullOrWhiteSpace(number.DisplayNumber) && number.Number is null)
            {
                failures.Add($"BusinessNumbers__{i}__DisplayNumber '{number.DisplayNumber}' is not an E.164 phone number.");
            }

            if (number.CountryIso is { } iso && !IsIso(iso))
            {
                failures.Add($"BusinessNumbers__{i}__Country '{number.Country}' is not a two-letter ISO country code.");
            }
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static bool IsIso(string text) => text.Trim().Length == 2 && text.Trim().All(char.IsAsciiLetter);
}
