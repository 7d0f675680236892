using System.Text.Json;
using System.Text.Json.Serialization;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.FunctionApp.Calls;

/// <summary>
/// A call machine's state as the JSON of one Table string property, for any direction. Identifiers are plain strings
/// and enums are written by name, so a row reads well in Storage Explorer; derived (get-only) members are not written.
/// Both kinds of row in the <c>Calls</c> table (inbound and outbound) are written with it, so they look alike.
/// </summary>
public static class CallStateJson
{
    private static readonly JsonSerializerOptions Options = ReadOnly(CreateOptions());

    internal static JsonSerializerOptions ReadOnly(JsonSerializerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.MakeReadOnly(populateMissingResolver: true);
        return options;
    }

    public static string Serialize<T>(T state)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(state);
        return JsonSerializer.Serialize(state, Options);
    }

    public static T Deserialize<T>(string json)
        where T : class =>
        JsonSerializer.Deserialize<T>(json, Options) ?? throw new JsonException("The stored call is JSON null.");

    /// <summary>A fresh, still mutable copy of the options, for JSON of the call's other records (pending effects).</summary>
    internal static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            IgnoreReadOnlyProperties = true,
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new TextConverter<CallId>(v => new CallId(v), v => v.Value));
        options.Converters.Add(new TextConverter<AgentId>(v => new AgentId(v), v => v.Value));
        options.Converters.Add(new TextConverter<BusinessNumberId>(v => new BusinessNumberId(v), v => v.Value));
        options.Converters.Add(new TextConverter<DispositionCode>(v => new DispositionCode(v), v => v.Value));
        options.Converters.Add(new TextConverter<ContactKey>(
            v => ContactKey.TryParse(v, out var key) ? key : throw new JsonException($"'{v}' is not a contact key."),
            v => v.Value));
        return options;
    }

    private sealed class TextConverter<T>(Func<string, T> parse, Func<T, string> format) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? parse(reader.GetString()!)
                : throw new JsonException($"{typeof(T).Name} must be a JSON string.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(format(value));
    }
}
