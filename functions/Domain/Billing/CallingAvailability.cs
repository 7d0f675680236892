using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

public enum CallDirection
{
    BusinessInitiated,
    UserInitiated,
}

/// <summary>A number prefix (digits after '+') of a region Meta excludes; most sub-national ones are approximate.</summary>
public sealed record SanctionedPrefix(string Prefix, string Region, bool Approximate);

public enum CallWarningCode
{
    LimitedReliability,
    EstimatedRate,
    UncertainMarket,
}

/// <summary>Something the agent should know about a call that is still allowed.</summary>
public sealed record CallWarning(CallWarningCode Code, string Message);

public enum AvailabilityIssue
{
    None,
    SanctionedCustomerNumber,
    SanctionedBusinessNumber,
    BusinessCountryCannotInitiate,
}

public sealed record AvailabilityResult(AvailabilityIssue Issue, string Message, IReadOnlyList<CallWarning> Warnings)
{
    public bool Available => Issue == AvailabilityIssue.None;
}

/// <summary>Whether calling can be switched on for a number (Graph error 138015 otherwise, whatsapp-calling-api.md §2.7).</summary>
public sealed record CallingEnablement(bool Allowed, long MessagingLimit, long Threshold, string Message);

/// <summary>Country rules of the Calling API. Defaults follow whatsapp-calling-api.md §6.3 and pricing-markets.md.</summary>
public sealed record CallingAvailabilityOptions
{
    /// <summary>
    /// Business-number countries (ISO alpha-2) that may not start calls. Lists differ by source: Meta's June 2026
    /// list is US, CA, EG, VN, NG; the Nov 2025 FAQ, Gupshup and the CRM seed also name TR, so it stays until confirmed.
    /// </summary>
    public IReadOnlyList<string> BusinessCountriesWithoutBusinessInitiatedCalling { get; init; } = ["US", "CA", "EG", "VN", "NG", "TR"];

    public IReadOnlyList<SanctionedPrefix> SanctionedPrefixes { get; init; } = DefaultSanctionedPrefixes;

    /// <summary>Calls to or from these countries carry a reliability warning (CRM seed; issue 7).</summary>
    public IReadOnlyList<string> LimitedReliabilityCountries { get; init; } = ["AE", "SA", "QA", "EG"];

    /// <summary>Meta's docs now require 2,000 (whatsapp-calling-api.md §0); the respond.io guide says 1,000.</summary>
    public long MessagingLimitThreshold { get; init; } = 2000;

    /// <summary>
    /// pricing-markets.md, "Sanctioned regions … as number prefixes". Meta publishes no prefixes and decides on its
    /// side, so this is a pre-filter. Left out on purpose: +380 62 and +380 64, the whole Donetsk and Luhansk oblast
    /// codes, which would also block Ukrainian-controlled areas (the doc prefers a false "allowed").
    /// </summary>
    public static IReadOnlyList<SanctionedPrefix> DefaultSanctionedPrefixes { get; } =
    [
        new("53", "Cuba", Approximate: false),
        new("98", "Iran", Approximate: false),
        new("850", "North Korea", Approximate: false),
        new("963", "Syria", Approximate: false),
        new("7365", "Crimea", Approximate: true),
        new("7978", "Crimea and Sevastopol", Approximate: true),
        new("7869", "Sevastopol", Approximate: true),
        new("38065", "Crimea (Ukrainian plan)", Approximate: true),
        new("38069", "Sevastopol (Ukrainian plan)", Approximate: true),
        new("38071", "Donetsk", Approximate: true),
        new("7949", "Donetsk", Approximate: true),
        new("38072", "Luhansk", Approximate: true),
        new("7959", "Luhansk", Approximate: true),
        new("7856", "Donetsk (Russian plan, unverified)", Approximate: true),
        new("7857", "Luhansk (Russian plan, unverified)", Approximate: true),
    ];
}

/// <summary>
/// Who may call whom: sanctioned prefixes are refused in both directions, business-initiated calls are refused
/// from business numbers of the excluded countries, and some countries carry a reliability warning.
/// </summary>
public sealed class CallingAvailability
{
    private readonly MarketTable table;
    private readonly CallingAvailabilityOptions options;

    public CallingAvailability(MarketTable table, CallingAvailabilityOptions options)
    {
        ArgumentNullException.ThrowIfNull(table);
        ArgumentNullException.ThrowIfNull(options);
        this.table = table;
        this.options = options;
    }

    public CallingAvailabilityOptions Options => options;

    /// <summary>The longest configured sanctioned prefix the number starts with, or null.</summary>
    public SanctionedPrefix? SanctionedMatch(PhoneNumber number) =>
        options.SanctionedPrefixes
            .Where(entry => number.Digits.StartsWith(entry.Prefix, StringComparison.Ordinal))
            .MaxBy(entry => entry.Prefix.Length);

    /// <summary>
    /// The ISO country of a number by the market table, or null for countries without a row. +1 numbers not
    /// listed for another country read as US: Canada is not told apart, and both are treated alike everywhere here.
    /// </summary>
    public string? CountryOf(PhoneNumber number) => table.CountryOf(number)?.Iso;

    public bool BusinessCountryMayInitiate(string countryIso) =>
        !options.BusinessCountriesWithoutBusinessInitiatedCalling.Contains(countryIso.ToUpperInvariant(), StringComparer.Ordinal);

    /// <param name="businessCountryIso">The business number's registered country from configuration; when null the
    /// country is read from the number's prefix.</param>
    public AvailabilityResult Check(CallDirection direction, PhoneNumber businessNumber, string? businessCountryIso, PhoneNumber customer)
    {
        var warnings = ReliabilityWarnings(businessNumber, businessCountryIso, customer);
        if (SanctionedMatch(customer) is { } customerBlock)
        {
            return new AvailabilityResult(
                AvailabilityIssue.SanctionedCustomerNumber,
                $"{customer.E164} is in a region WhatsApp Business may not serve ({customerBlock.Region}); the call is not possible.",
                warnings);
        }

        if (SanctionedMatch(businessNumber) is { } businessBlock)
        {
            return new AvailabilityResult(
                AvailabilityIssue.SanctionedBusinessNumber,
                $"The business number {businessNumber.E164} is in a region WhatsApp Business may not serve ({businessBlock.Region}).",
                warnings);
        }

        var country = businessCountryIso ?? CountryOf(businessNumber);
        if (direction == CallDirection.BusinessInitiated && country is not null && !BusinessCountryMayInitiate(country))
        {
            return new AvailabilityResult(
                AvailabilityIssue.BusinessCountryCannotInitiate,
                $"WhatsApp does not let business numbers registered in {country.ToUpperInvariant()} start calls; use a business number from another country, or ask the customer to call you.",
                warnings);
        }

        return new AvailabilityResult(AvailabilityIssue.None, "Calling is available.", warnings);
    }

    /// <param name="messagingLimit">Business-initiated conversations per 24 h; <see cref="long.MaxValue"/> for unlimited.</param>
    /// <param name="isTestNumber">Meta waives the limit on test numbers and the sandbox (whatsapp-calling-api.md §0).</param>
    public CallingEnablement CanEnableCalling(long messagingLimit, bool isTestNumber = false)
    {
        var threshold = options.MessagingLimitThreshold;
        return isTestNumber || messagingLimit >= threshold
            ? new CallingEnablement(true, messagingLimit, threshold, "Calling can be enabled.")
            : new CallingEnablement(
                false,
                messagingLimit,
                threshold,
                $"Calling needs a messaging limit of at least {threshold} per 24 h; this number has {messagingLimit}. Raise the messaging limit first.");
    }

    private List<CallWarning> ReliabilityWarnings(PhoneNumber businessNumber, string? businessCountryIso, PhoneNumber customer)
    {
        var limited = new[] { (Iso: CountryOf(customer), Whose: "customer"), (Iso: businessCountryIso ?? CountryOf(businessNumber), Whose: "business number") }
            .FirstOrDefault(side => side.Iso is not null
                && options.LimitedReliabilityCountries.Contains(side.Iso.ToUpperInvariant(), StringComparer.Ordinal));
        return limited.Iso is null
            ? []
            : [new CallWarning(
                CallWarningCode.LimitedReliability,
                $"Calls with {limited.Iso.ToUpperInvariant()} ({limited.Whose}) have limited reliability; the call may drop or fail to connect.")];
    }
}
