using Microsoft.Extensions.Options;
using WhatsAppCalling.Domain.Consent;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>
/// Consent settings: overrides of <see cref="ConsentRules"/> from the <c>Consent</c> section (Meta has changed its
/// limits before, whatsapp-calling-api.md §3.5), and the permission-request template used outside the
/// customer-service window (<c>WhatsApp__PermissionRequestTemplate</c>, architecture.md "Configuration keys").
/// Unset values keep Meta's current defaults.
/// </summary>
public sealed class ConsentOptions
{
    public const string SectionName = "Consent";
    public const string TemplateKey = "WhatsApp:PermissionRequestTemplate";
    public const string TemplateLanguageKey = "WhatsApp:PermissionRequestTemplateLanguage";
    public const string DefaultTemplateLanguage = "en_US";

    /// <summary>Start from Meta's relaxed test-number limits instead of the production ones (§3.5).</summary>
    public bool UseSandboxLimits { get; set; }

    public int? MaxRequestsPerDay { get; set; }

    public int? MaxRequestsPerWeek { get; set; }

    public TimeSpan? WaitAfterDecline { get; set; }

    public TimeSpan? TemporaryPermissionLifetime { get; set; }

    public TimeSpan? RequestLifetime { get; set; }

    public int? MaxConnectedCalls { get; set; }

    public int? NudgeAfterUnanswered { get; set; }

    public int? RevokeAfterUnanswered { get; set; }

    public TimeSpan? CustomerServiceWindow { get; set; }

    /// <summary>The respond.io seed's attempts limit after a permanent grant; off unless set (issue 6).</summary>
    public int? MaxAttemptsAfterPermanentGrant { get; set; }

    /// <summary>Name of the approved template with a call_permission_request component (§3.3); empty → none.</summary>
    public string? PermissionRequestTemplate { get; set; }

    public string PermissionRequestTemplateLanguage { get; set; } = DefaultTemplateLanguage;

    public bool TemplateConfigured => !string.IsNullOrWhiteSpace(PermissionRequestTemplate);

    public ConsentRules ToRules()
    {
        var rules = UseSandboxLimits ? ConsentRules.Sandbox : ConsentRules.Default;
        return rules with
        {
            MaxRequestsPerDay = MaxRequestsPerDay ?? rules.MaxRequestsPerDay,
            MaxRequestsPerWeek = MaxRequestsPerWeek ?? rules.MaxRequestsPerWeek,
            WaitAfterDecline = WaitAfterDecline ?? rules.WaitAfterDecline,
            TemporaryPermissionLifetime = TemporaryPermissionLifetime ?? rules.TemporaryPermissionLifetime,
            RequestLifetime = RequestLifetime ?? rules.RequestLifetime,
            MaxConnectedCalls = MaxConnectedCalls ?? rules.MaxConnectedCalls,
            NudgeAfterUnanswered = NudgeAfterUnanswered ?? rules.NudgeAfterUnanswered,
            RevokeAfterUnanswered = RevokeAfterUnanswered ?? rules.RevokeAfterUnanswered,
            CustomerServiceWindow = CustomerServiceWindow ?? rules.CustomerServiceWindow,
            MaxAttemptsAfterPermanentGrant = MaxAttemptsAfterPermanentGrant ?? rules.MaxAttemptsAfterPermanentGrant,
        };
    }

    /// <summary>Reads both sections: the rules from <c>Consent</c>, the template from <c>WhatsApp</c>.</summary>
    internal static void Bind(ConsentOptions options, IConfiguration configuration)
    {
        configuration.GetSection(SectionName).Bind(options);
        options.PermissionRequestTemplate = configuration[TemplateKey] is { Length: > 0 } name ? name.Trim() : null;
        if (configuration[TemplateLanguageKey] is { Length: > 0 } language)
        {
            options.PermissionRequestTemplateLanguage = language.Trim();
        }
    }
}

/// <summary>Fails start-up on rules the domain cannot run on, instead of failing the first request.</summary>
public sealed class ConsentOptionsValidator : IValidateOptions<ConsentOptions>
{
    public ValidateOptionsResult Validate(string? name, ConsentOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var failures = options.ToRules().Validate().Select(p => $"{ConsentOptions.SectionName}: {p}").ToList();
        if (options.TemplateConfigured && string.IsNullOrWhiteSpace(options.PermissionRequestTemplateLanguage))
        {
            failures.Add($"{ConsentOptions.TemplateLanguageKey} must name the template's language, e.g. '{ConsentOptions.DefaultTemplateLanguage}'.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
