using System.Text.Json;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.FunctionApp.Consent;

/// <summary>The consent state did not fit one Table string property (64 KiB); nothing was written.</summary>
public sealed class ConsentStateTooLargeException(BusinessNumberId number, ContactKey contact, long bytes)
    : Exception($"The consent state of {contact} on {number} serializes to {bytes} bytes; one table property holds at most {TableEntityRules.MaxStringBytes}.")
{
    public long Bytes { get; } = bytes;
}

/// <summary>
/// <see cref="ConsentState"/> as JSON for one Table string property. Only the stored facts are written: derived
/// members (current decision, version, latest request) are recomputed on read, so they can never disagree with
/// the facts. Identifiers are written as plain strings and enums by name, so the row stays readable in Storage
/// Explorer and survives reordering of enum members.
/// </summary>
public static class ConsentStateJson
{
    private static readonly JsonSerializerOptions Options = CreateOptions();

    public static string Serialize(ConsentState state)
    {
        ArgumentNullException.ThrowIfNull(state);
        var json = JsonSerializer.Serialize(state, Options);
        // Tables count strings in UTF-16 bytes (azure-protocols.md §2.6); the domain trims every list, so reaching
        // this means a rule or a trimming bound changed: fail loudly rather than truncate facts.
        if (json.Length * 2L > TableEntityRules.MaxStringBytes)
        {
            throw new ConsentStateTooLargeException(state.BusinessNumber, state.Contact, json.Length * 2L);
        }

        return json;
    }

    public static ConsentState Deserialize(string json) =>
        JsonSerializer.Deserialize<ConsentState>(json, Options)
        ?? throw new JsonException("The stored consent state is JSON null.");

    private static JsonSerializerOptions CreateOptions()
    {
        var options = new JsonSerializerOptions
        {
            PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            TypeInfoResolver = new DefaultJsonTypeInfoResolver { Modifiers = { OnlyStoredFacts } },
        };
        options.Converters.Add(new JsonStringEnumConverter());
        options.Converters.Add(new StringValueConverter<BusinessNumberId>(v => new BusinessNumberId(v), v => v.Value));
        options.Converters.Add(new StringValueConverter<CallId>(v => new CallId(v), v => v.Value));
        options.Converters.Add(new StringValueConverter<ContactKey>(
            v => ContactKey.TryParse(v, out var key) ? key : throw new JsonException($"'{v}' is not a contact key."),
            v => v.Value));
        options.MakeReadOnly();
        return options;
    }

    // Members without a setter are derived from the facts; writing them would only duplicate data.
    private static void OnlyStoredFacts(JsonTypeInfo info)
    {
        if (info.Kind != JsonTypeInfoKind.Object || info.Type != typeof(ConsentState))
        {
            return;
        }

        for (var i = info.Properties.Count - 1; i >= 0; i--)
        {
            if (info.Properties[i].Set is null)
            {
                info.Properties.RemoveAt(i);
            }
        }
    }

    private sealed class StringValueConverter<T>(Func<string, T> parse, Func<T, string> format) : JsonConverter<T>
    {
        public override T Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options) =>
            reader.TokenType == JsonTokenType.String
                ? parse(reader.GetString()!)
                : throw new JsonException($"Expected a string for {typeof(T).Name}.");

        public override void Write(Utf8JsonWriter writer, T value, JsonSerializerOptions options) =>
            writer.WriteStringValue(format(value));
    }
}
