using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>An outcome tag an agent puts on a finished call (crm seed, call disposition). Compared by its code.</summary>
public readonly record struct DispositionCode(string Value)
{
    public static DispositionCode Resolved { get; } = new("resolved");

    public static DispositionCode FollowUpRequired { get; } = new("follow-up-required");

    public static DispositionCode NoAnswer { get; } = new("no-answer");

    public override string ToString() => Value;
}

/// <summary>The outcomes agents may choose from: the three of the seed plus whatever the business configures.</summary>
public sealed record DispositionCatalog(ImmutableArray<DispositionCode> Codes, int MaxNoteLength = 2000)
{
    public static DispositionCatalog Default { get; } =
        new([DispositionCode.Resolved, DispositionCode.FollowUpRequired, DispositionCode.NoAnswer]);

    public DispositionCatalog WithCustom(params string[] codes)
    {
        ArgumentNullException.ThrowIfNull(codes);
        return this with { Codes = [.. Codes.Concat(codes.Select(c => new DispositionCode(c))).Distinct()] };
    }

    public bool Contains(DispositionCode code) => Codes.Contains(code);
}

/// <summary>The outcome recorded for a call, with the agent's optional note.</summary>
public sealed record Disposition(DispositionCode Code, string? Note, AgentId RecordedBy, DateTimeOffset RecordedAt);

public enum DispositionStage
{
    /// <summary>The call has not ended, or no agent handled it (a missed call is followed up as a contact event).</summary>
    NotRequired,
    Required,
    Recorded,
}

/// <summary>
/// "Disposition required after the call" (issue 8, Rules): the agent who handled the call when it ended owes one
/// outcome; it can be recorded once.
/// </summary>
public sealed record DispositionStatus(DispositionStage Stage, AgentId? Agent, Disposition? Recorded)
{
    public static DispositionStatus NotRequired { get; } = new(DispositionStage.NotRequired, null, null);

    public static DispositionStatus RequiredFrom(AgentId agent) => new(DispositionStage.Required, agent, null);

    /// <summary>Checks a disposition against this status; null when it may be recorded.</summary>
    public CallRefusal? Refusal(AgentId agent, DispositionCode code, string? note, DispositionCatalog catalog)
    {
        ArgumentNullException.ThrowIfNull(catalog);
        return Stage switch
        {
            DispositionStage.NotRequired => CallRefusal.DispositionNotRequired,
            DispositionStage.Recorded => CallRefusal.DispositionAlreadyRecorded,
            _ when Agent != agent => CallRefusal.NotTheAgentOnTheCall,
            _ when !catalog.Contains(code) => CallRefusal.UnknownDispositionCode,
            _ when note is { Length: var n } && n > catalog.MaxNoteLength => CallRefusal.DispositionNoteTooLong,
            _ => null,
        };
    }
}
