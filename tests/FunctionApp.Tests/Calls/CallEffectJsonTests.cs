using System.Collections.Immutable;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Outbox;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>Every effect the domain declares survives the pending-effects row: a new effect that does not fails here.</summary>
public sealed class CallEffectJsonTests
{
    [Fact]
    public void Every_effect_type_round_trips_through_the_pending_row_json()
    {
        var samples = CallEffectJson.EffectTypes.Select(Sample).ToImmutableArray();

        var read = CallEffectJson.Deserialize(CallEffectJson.Serialize(samples));

        Assert.True(samples.Length >= 20, $"only {samples.Length} effect types found");
        Assert.Empty(samples.Zip(read).Where(p => !Equals(p.First, p.Second)).Select(p => $"{p.First} != {p.Second}"));
        Assert.Equal<CallEffect>(samples, read);
        Assert.Equal(samples.Select(s => s.GetType()), read.Select(r => r.GetType()));
    }

    [Fact]
    public void Effects_are_named_by_their_record_in_the_json()
    {
        var json = CallEffectJson.Serialize([new ReleaseAgent(new CallId("wacid.1"), new AgentId("ana"))]);

        Assert.Contains("\"$type\":\"ReleaseAgent\"", json, StringComparison.Ordinal);
        Assert.Contains("\"agent\":\"ana\"", json, StringComparison.Ordinal);
    }

    // One instance per effect record, its constructor fed a non-default value of each parameter's type.
    private static CallEffect Sample(Type type)
    {
        var constructor = type.GetConstructors().OrderByDescending(c => c.GetParameters().Length).First();
        return (CallEffect)constructor.Invoke([.. constructor.GetParameters().Select(p => Value(p.ParameterType, type))]);
    }

    private static readonly DateTimeOffset At = new(2026, 11, 22, 9, 30, 0, TimeSpan.Zero);

    private static object? Value(Type type, Type owner)
    {
        var call = new CallId("wacid.sample");
        var underlying = Nullable.GetUnderlyingType(type) ?? type;
        return underlying switch
        {
            _ when underlying == typeof(CallId) => call,
            _ when underlying == typeof(AgentId) => new AgentId("agent-" + owner.Name.Length),
            _ when underlying == typeof(BusinessNumberId) => new BusinessNumberId("200000000000001"),
            _ when underlying == typeof(ContactKey) => ContactKey.TryParse("+447700900123", out var key) ? key : throw new InvalidOperationException(),
            _ when underlying == typeof(string) => "text of " + owner.Name,
            _ when underlying == typeof(bool) => true,
            _ when underlying == typeof(TimeSpan) => TimeSpan.FromSeconds(61),
            _ when underlying == typeof(DateTimeOffset) => At,
            _ when underlying.IsEnum => Enum.GetValues(underlying).GetValue(Enum.GetValues(underlying).Length - 1),
            _ when underlying == typeof(CallTimer) => new CallTimer(call, CallTimerKind.TransferRevert, At, 7),
            _ when underlying == typeof(CallTimelineEntry) => new CallTimelineEntry(call, At, CallActor.Of(new AgentId("ana")), CallTimelineKind.TransferOffered, "to ben"),
            _ => throw new InvalidOperationException($"{owner.Name} has a parameter of type {type.Name}; give the sample a value for it."),
        };
    }
}
