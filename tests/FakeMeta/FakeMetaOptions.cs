namespace FakeMeta;

/// <summary>How the fake Meta behaves; defaults follow whatsapp-calling-api.md for a production (non-test) number.</summary>
public sealed class FakeMetaOptions
{
    /// <summary>The only bearer token the fake Graph API accepts.</summary>
    public string AccessToken { get; set; } = "fake-meta-access-token";

    /// <summary>Key of the <c>X-Hub-Signature-256</c> HMAC on webhooks (§1.3).</summary>
    public string AppSecret { get; set; } = "fake-meta-app-secret";

    /// <summary>Where webhooks go; null keeps them in <see cref="FakeMetaServer.Webhooks"/> without delivering.</summary>
    public Uri? CallbackUrl { get; set; }

    public string WabaId { get; set; } = "900000000000001";

    public List<FakeBusinessNumber> BusinessNumbers { get; } =
    [
        new("100000000000001", "4930123456701", "DE"),
    ];

    /// <summary>Business-number countries without business-initiated calls, error 138013 (§6.3, Jun 2026 list).</summary>
    public HashSet<string> CountriesWithoutBusinessInitiatedCalls { get; } = ["US", "CA", "EG", "VN", "NG"];

    /// <summary>Real numbers start with calling off (§4); the fake defaults to on so tests need not enable it.</summary>
    public bool CallingEnabledByDefault { get; set; } = true;

    /// <summary>Template names that carry a call_permission_request component (§3.3) and so count as requests.</summary>
    public HashSet<string> PermissionRequestTemplates { get; } = ["call_permission_request"];

    public PermissionLimits Limits { get; set; } = PermissionLimits.Production;

    public TimeProvider Time { get; set; } = TimeProvider.System;

    /// <summary>
    /// Makes the id of each new call; by default <c>wacid.</c> and URL-safe Base64. Tests of ids holding '/', '+'
    /// or '=' (Meta's ids are standard Base64) set their own.
    /// </summary>
    public Func<string>? CallIds { get; set; }

    /// <summary>Logs of the in-process host; off by default to keep test output readable.</summary>
    public bool EnableLogging { get; set; }
}

/// <param name="MessagingLimitTier">What <c>whatsapp_business_manager_messaging_limit</c> answers; calling needs TIER_2K or more.</param>
public sealed record FakeBusinessNumber(string PhoneNumberId, string DisplayNumber, string Country, string MessagingLimitTier = "TIER_2K");

/// <summary>The per (business number, user) limits of §3.5; test numbers and the sandbox are relaxed (§0).</summary>
public sealed record PermissionLimits(
    int RequestsPer24Hours,
    int RequestsPer7Days,
    int UnansweredCallsBeforeNudge,
    int UnansweredCallsBeforeRevoke,
    int ConnectedCallsPer24Hours)
{
    public static PermissionLimits Production { get; } = new(1, 2, 2, 4, 100);

    public static PermissionLimits Sandbox { get; } = new(25, 100, 5, 10, 100);

    /// <summary>Temporary permission lasts 7 days from approval (§3.5).</summary>
    public static TimeSpan TemporaryPermissionLifetime { get; } = TimeSpan.FromDays(7);
}
