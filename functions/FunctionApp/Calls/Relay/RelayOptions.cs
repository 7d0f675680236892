using Microsoft.Extensions.Options;

namespace WhatsAppCalling.FunctionApp.Calls.Relay;

/// <summary>
/// Section <c>Relay</c> (architecture.md, "Configuration keys"): the control API's base URL and the shared key
/// used in both directions. The relay's own media keys (<c>PublicIp</c>, port range) live in the same section but
/// are not the function app's business.
/// </summary>
public sealed class RelayOptions
{
    public const string Section = "Relay";

    public string? BaseUrl { get; set; }

    public string? ApiKey { get; set; }

    /// <summary>Per attempt. Meta waits for pre_accept while the relay answers, so a slow relay must fail fast.</summary>
    public int RequestTimeoutSeconds { get; set; } = 5;

    /// <summary>Attempts for transport failures and 502/503/504; safe because every route is idempotent.</summary>
    public int MaxAttempts { get; set; } = 3;

    public bool IsConfigured => !string.IsNullOrWhiteSpace(BaseUrl);
}

/// <summary>Start-up validation, only when a relay is configured: local runs without one still start.</summary>
public sealed class RelayOptionsValidator : IValidateOptions<RelayOptions>
{
    public ValidateOptionsResult Validate(string? name, RelayOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (!options.IsConfigured)
        {
            return ValidateOptionsResult.Success;
        }

        var failures = new List<string>();
        if (!Uri.TryCreate(options.BaseUrl, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https") ||
            !string.IsNullOrEmpty(uri.Query))
        {
            failures.Add($"Relay__BaseUrl '{options.BaseUrl}' must be an absolute http(s) URL without a query.");
        }

        if (string.IsNullOrWhiteSpace(options.ApiKey))
        {
            failures.Add("Relay__ApiKey is required when Relay__BaseUrl is set.");
        }

        if (options.RequestTimeoutSeconds is < 1 or > 60)
        {
            failures.Add($"Relay__RequestTimeoutSeconds must be 1-60 (is {options.RequestTimeoutSeconds}).");
        }

        if (options.MaxAttempts is < 1 or > 5)
        {
            failures.Add($"Relay__MaxAttempts must be 1-5 (is {options.MaxAttempts}).");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }
}
