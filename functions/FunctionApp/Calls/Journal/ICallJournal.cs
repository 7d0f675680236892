using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls.Journal;

/// <summary>Which side placed the call, as the journal's readers see it.</summary>
public enum JournalCallDirection
{
    /// <summary>The customer called the business (user-initiated; free).</summary>
    Inbound,

    /// <summary>An agent called the customer (business-initiated; billed per pulse).</summary>
    Outbound,
}

/// <summary>What a journal reader needs to know about the call a line belongs to.</summary>
/// <param name="Version">
/// The call state's version whose transition produced the line, when the shell knows it. Meta's times have whole
/// seconds and ours do not, so time alone can put a hang-up before the answer it ended; the version cannot.
/// </param>
public sealed record JournalCall(
    CallId CallId, JournalCallDirection Direction, BusinessNumberId? Business, ContactKey? Customer, AgentId? Agent, long? Version = null);

/// <summary>
/// One reader of what happens on calls: the call and contact timelines, the follow-up list, integration events.
/// The call shells hand every <see cref="RecordTimeline"/> and <see cref="RecordMissedCall"/> effect to
/// <see cref="CallJournal"/>, which passes it to each registered sink in turn. Effects are delivered at least once,
/// so a sink must make a repeat harmless (key its writes on the call id, the entry's kind and time).
/// </summary>
public interface ICallJournalSink
{
    /// <summary>A short name for logs.</summary>
    string Name { get; }

    Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct);

    Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct);
}
