using System.Collections.Immutable;

namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The result of one input: the new state, the effects to run, and the refusal when the input was a command that
/// could not be carried out. An input that changes nothing (a duplicate webhook, a stale timer) returns the same
/// state instance and no effects, so the shell can skip the write.
/// </summary>
public sealed record CallTransition<TState>(TState State, ImmutableArray<CallEffect> Effects, CallRefusal? Refusal = null)
    where TState : class
{
    public bool Refused => Refusal is not null;

    public bool ChangedFrom(TState before) => !ReferenceEquals(State, before);
}

public static class CallTransition
{
    public static CallTransition<TState> Unchanged<TState>(TState state)
        where TState : class => new(state, []);

    public static CallTransition<TState> Refuse<TState>(TState state, CallRefusal refusal)
        where TState : class => new(state, [], refusal);
}
