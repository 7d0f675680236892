using System.Text;
using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Webhooks;
using static WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

/// <summary>
/// The parser faces bodies Meta never documented (whatsapp-calling-api.md §1.12): whatever arrives, it answers with
/// an envelope error or with events (possibly <see cref="InvalidEvent"/>), and every event gets a RowKey-safe key.
/// </summary>
public sealed class ParserRobustnessProperties
{
    private static readonly string[] Fixtures =
    [
        UserInitiatedConnect(deeplinkPayload: "d", ctaPayload: "c"),
        BusinessInitiatedConnect(bizOpaque: "o"),
        CallStatusUpdate("RINGING"),
        CallStatusUpdate("ACCEPTED"),
        CallStatusUpdate("REJECTED"),
        TerminateAnswered(),
        TerminateUnanswered(),
        TerminateWithErrors(true, true),
        CallArtifact(),
        CallArtifact("call_transcription_available"),
        .. Enum.GetValues<PermissionScenario>().Select(s => PermissionReply(s)),
        Voicemail(),
        TextMessage(),
        ImageMessage(),
        MessageStatusUpdate("failed"),
        SettingsUpdate(),
        SettingsUpdate(typeAsArray: true),
        AccountViolation(),
        AccountRestriction(),
        Batched("wacid.A", "wacid.B", "wacid.C"),
    ];

    private static readonly Config Runs = Config.QuickThrowOnFailure.WithMaxTest(2000);

    [Fact]
    public void Random_bytes_never_make_the_envelope_throw()
    {
        var bytes = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b)).ToArbitrary();

        Prop.ForAll(bytes, body => ParsesWithoutThrowing(body)).Check(Runs);
    }

    [Fact]
    public void Text_mutations_of_real_payloads_never_make_the_parser_throw()
    {
        var mutated =
            from fixture in Gen.Elements(Fixtures)
            from position in Gen.Choose(0, 10_000)
            from length in Gen.Choose(0, 8)
            from insert in Gen.Elements("", "\"", "{", "}", "[", "]", ",", ":", "0", "-1", "null", "\"x\"", "1e400", "\\u0000", "é")
            select Splice(fixture, position, length, insert);

        Prop.ForAll(mutated.ToArbitrary(), body => ParsesWithoutThrowing(Encoding.UTF8.GetBytes(body))).Check(Runs);
    }

    [Fact]
    public void Structural_mutations_of_real_payloads_yield_events_not_exceptions()
    {
        var mutated =
            from fixture in Gen.Elements(Fixtures)
            from mutations in Gen.ListOf(Gen.Choose(0, int.MaxValue - 1), 3)
            from replacements in Gen.ListOf(Gen.Choose(0, Replacements.Length - 1), 3)
            select Mutate(fixture, [.. mutations], [.. replacements]);

        Prop.ForAll(mutated.ToArbitrary(), body =>
        {
            if (!ParsesWithoutThrowing(Encoding.UTF8.GetBytes(body)))
            {
                return false;
            }

            // Mutations below the envelope frame must never cost the delivery: it still parses.
            return !StillHasFrame(body) || WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out _, out _);
        }).Check(Runs);
    }

    [Fact]
    public void Every_fixture_yields_only_well_formed_events()
    {
        foreach (var fixture in Fixtures)
        {
            Assert.All(Parsed.All(fixture), e => Assert.IsNotType<InvalidEvent>(e));
        }
    }

    private static bool ParsesWithoutThrowing(byte[] body)
    {
        if (!WebhookEnvelope.TryParse(body, out var envelope, out var error))
        {
            return error is not null && error.Path.StartsWith('$');
        }

        foreach (var change in envelope.Changes)
        {
            foreach (var evt in WhatsAppEventParser.Parse(change))
            {
                var key = IdempotencyKey.For(evt).Value;
                // Any character may appear: the table client escapes what Table Storage keys forbid.
                if (key.Length is 0 or > IdempotencyKey.MaxLength)
                {
                    return false;
                }

                _ = StaleEventPolicy.IsStale(evt, DateTimeOffset.UnixEpoch, TimeSpan.FromMinutes(10));
                _ = evt.ContactKey;
            }
        }

        return true;
    }

    private static string Splice(string text, int position, int length, string insert)
    {
        position %= text.Length + 1;
        length = Math.Min(length, text.Length - position);
        return string.Concat(text.AsSpan(0, position), insert, text.AsSpan(position + length));
    }

    private static readonly Func<JsonNode?, JsonNode?>[] Replacements =
    [
        _ => null,
        _ => JsonValue.Create(""),
        _ => JsonValue.Create(-1),
        _ => JsonValue.Create(long.MaxValue),
        _ => JsonValue.Create(1.5e300),
        _ => JsonValue.Create(true),
        _ => new JsonObject { ["unexpected"] = 1 },
        _ => new JsonArray(1, "two", null),
        n => JsonValue.Create(n?.ToJsonString()),
        n => n is JsonValue v && v.TryGetValue<string>(out var s) && long.TryParse(s, out var number) ? JsonValue.Create(number) : n?.DeepClone(),
        n => JsonValue.Create(n is JsonValue v && v.TryGetValue<string>(out var s) ? s.ToUpperInvariant() : "X"),
        n => new JsonArray(n?.DeepClone(), n?.DeepClone()),
        _ => JsonValue.Create("wacid./#?\\\u0001" + new string('x', 300)),
    ];

    /// <summary>Replaces (or removes, for the last choice) up to three nodes anywhere below the root.</summary>
    private static string Mutate(string body, int[] targets, int[] replacements)
    {
        var root = JsonNode.Parse(body)!;
        for (var i = 0; i < targets.Length; i++)
        {
            var nodes = Descendants(root).ToList();
            if (nodes.Count == 0)
            {
                break;
            }

            var target = nodes[targets[i] % nodes.Count];
            var replacement = Replacements[replacements[i]](target);
            switch (target.Parent)
            {
                case JsonObject parent when replacements[i] == 0 && targets[i] % 2 == 0:
                    parent.Remove(target.GetPropertyName());
                    break;
                case JsonObject parent:
                    parent[target.GetPropertyName()] = replacement;
                    break;
                case JsonArray array:
                    array[target.GetElementIndex()] = replacement;
                    break;
            }
        }

        return root.ToJsonString();
    }

    private static IEnumerable<JsonNode> Descendants(JsonNode node)
    {
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject o => o.Select(p => p.Value),
            JsonArray a => a,
            _ => [],
        };
        foreach (var child in children.OfType<JsonNode>())
        {
            yield return child;
            foreach (var grandchild in Descendants(child))
            {
                yield return grandchild;
            }
        }
    }

    private static bool StillHasFrame(string body)
    {
        var root = JsonNode.Parse(body);
        return root?["object"]?.GetValueKind() == System.Text.Json.JsonValueKind.String
            && (string?)root["object"] == "whatsapp_business_account"
            && root["entry"] is JsonArray { Count: > 0 } entries
            && entries.All(e => e is JsonObject entry && entry["changes"] is JsonArray changes && changes.All(c => c is JsonObject));
    }
}
