namespace FakeMeta.Simulation;

/// <summary>A WhatsApp user as the fake knows them: number (may be absent, §7.2), BSUID and profile name.</summary>
public sealed record FakeUser(string? WaId, string UserId, string Name)
{
    /// <summary>A user with a number and a BSUID derived from it (format: country + '.' + alphanumerics, §7.2).</summary>
    public static FakeUser WithNumber(string waId, string? name = null) => new(waId, "ZZ.FAKE" + waId, name ?? "Customer " + waId[^4..]);
}

public enum PermissionKind
{
    None,
    Temporary,
    Permanent,
}

public enum CallDirection
{
    UserInitiated,
    BusinessInitiated,
}

public enum CallState
{
    Ringing,
    PreAccepted,
    Connected,
    Ended,
}

/// <summary>A call the fake has seen, with what Meta would remember about it.</summary>
public sealed class FakeCall
{
    public required string Id { get; init; }

    public required string PhoneNumberId { get; init; }

    public required FakeUser User { get; init; }

    public required CallDirection Direction { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    public CallState State { get; set; } = CallState.Ringing;

    /// <summary>Meta's offer (user-initiated) or ours (business-initiated).</summary>
    public string? OfferSdp { get; init; }

    /// <summary>The answer sent with pre_accept; accept must repeat it exactly (§2.3).</summary>
    public string? PreAcceptSdp { get; set; }

    /// <summary>Meta's answer to a business offer, once its connect webhook was sent (§1.6).</summary>
    public string? MetaAnswerSdp { get; set; }

    public string? BizOpaqueCallbackData { get; set; }

    public DateTimeOffset? ConnectedAt { get; set; }

    public DateTimeOffset? EndedAt { get; set; }
}

/// <summary>A nudge Meta shows the user after 2 unanswered business calls (§3.5); the fake only records it.</summary>
public sealed record NudgeRecord(string PhoneNumberId, FakeUser User, DateTimeOffset At);
