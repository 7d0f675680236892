using System.Collections.Immutable;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using WhatsAppCalling.Domain.Calls;

namespace WhatsAppCalling.FunctionApp.Calls.Outbox;

/// <summary>
/// A call's effects as JSON, for the pending-effects row written with the state (<see cref="PendingEffects"/>). Each
/// effect carries its record's name in <c>$type</c>; every <see cref="CallEffect"/> the domain declares is known,
/// found by reflection, so a new effect needs nothing here. Identifiers and enums are written as by
/// <see cref="CallStateJson"/>.
/// </summary>
public static class CallEffectJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    /// <summary>Every concrete effect record of the domain.</summary>
    public static ImmutableArray<Type> EffectTypes { get; } =
        [.. typeof(CallEffect).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(CallEffect)) && !t.IsAbstract).OrderBy(t => t.Name, StringComparer.Ordinal)];

    public static string Serialize(IReadOnlyList<CallEffect> effects)
    {
        ArgumentNullException.ThrowIfNull(effects);
        return JsonSerializer.Serialize(effects, Options);
    }

    public static ImmutableArray<CallEffect> Deserialize(string json) =>
        [.. JsonSerializer.Deserialize<List<CallEffect>>(json, Options) ?? throw new JsonException("The pending effects are JSON null.")];

    private static JsonSerializerOptions CreateOptions()
    {
        var options = CallStateJson.CreateOptions();
        var resolver = new DefaultJsonTypeInfoResolver();
        resolver.Modifiers.Add(info =>
        {
            if (info.Type != typeof(CallEffect))
            {
                return;
            }

            info.PolymorphismOptions = new JsonPolymorphismOptions { TypeDiscriminatorPropertyName = "$type" };
            foreach (var type in EffectTypes)
            {
                info.PolymorphismOptions.DerivedTypes.Add(new JsonDerivedType(type, type.Name));
            }
        });
        options.TypeInfoResolver = resolver;
        return CallStateJson.ReadOnly(options);
    }
}
