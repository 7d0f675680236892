using System.Collections.Immutable;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>Collects the effects of one transition in order; keeps the machines free of list plumbing.</summary>
internal sealed class EffectList(CallId call)
{
    private readonly ImmutableArray<CallEffect>.Builder _effects = ImmutableArray.CreateBuilder<CallEffect>();

    public EffectList Add(CallEffect effect)
    {
        _effects.Add(effect);
        return this;
    }

    public EffectList AddRange(IEnumerable<CallEffect> effects)
    {
        _effects.AddRange(effects);
        return this;
    }

    public EffectList Timeline(DateTimeOffset at, CallActor who, CallTimelineKind what, string? detail = null) =>
        Add(new RecordTimeline(new CallTimelineEntry(call, at, who, what, detail)));

    public EffectList Timer(CallTimerKind kind, DateTimeOffset dueAt, long version) =>
        Add(new ScheduleTimer(new CallTimer(call, kind, dueAt, version)));

    public ImmutableArray<CallEffect> ToImmutable() => _effects.ToImmutable();
}
