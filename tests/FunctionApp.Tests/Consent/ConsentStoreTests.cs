using TestSupport;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Consent;

/// <summary>The consent row: facts round-trip through JSON, concurrent writers all land, the size limit is explicit.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class ConsentStoreTests(AzuriteFixture azurite)
{
    private static readonly ContactKey Contact = ContactKey.ForBsuid("US.13491208655302741918");
    private static readonly DateTimeOffset T0 = ConsentTestApp.Start;
    private static readonly ConsentStateMachine Machine = new(ConsentRules.Default);

    [Fact]
    public void Every_stored_fact_survives_the_JSON_round_trip()
    {
        var state = Apply(
            new InboundMessageReceived("wamid.in", T0),
            new PermissionRequestSent("wamid.req", T0.AddMinutes(1), RequestChannel.Template),
            new PermissionReplyReceived("wamid.rep", T0.AddMinutes(2), PermissionResponse.Accept, false, T0.AddDays(7), ReplySource.UserAction, "wamid.req"),
            new PermissionReplyReceived("wamid.cb", T0.AddMinutes(3), PermissionResponse.Accept, false, null, ReplySource.Automatic, "wacid.cb"),
            new BusinessCallConnected(new CallId("wacid.a"), T0.AddMinutes(4)),
            new BusinessCallNotAnswered(new CallId("wacid.b"), T0.AddMinutes(5), NotAnsweredOutcome.Rejected),
            new MessageSent("wamid.t", T0.AddMinutes(6), SentMessageKind.Template));

        var copy = ConsentStateJson.Deserialize(ConsentStateJson.Serialize(state));

        Assert.Equal(state, copy);
        Assert.Equal(state.Version, copy.Version);
        Assert.Equal(state.CurrentDecision, copy.CurrentDecision);
    }

    [Fact]
    public void A_state_over_the_64_KiB_property_limit_fails_with_a_clear_error_instead_of_being_truncated()
    {
        var state = ConsentState.Empty(new BusinessNumberId("1"), Contact);
        for (var i = 0; i < 40; i++)
        {
            state = Machine.Apply(state, new InboundMessageReceived($"wamid.{i}.{new string('x', 1000)}", T0.AddSeconds(i)));
        }

        var error = Assert.Throws<ConsentStateTooLargeException>(() => ConsentStateJson.Serialize(state));
        Assert.Contains("65536", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Concurrent_writers_to_one_pair_all_land()
    {
        await using var test = await ConsentTestApp.StartAsync(azurite);
        var store = test.Store;

        await Task.WhenAll(Enumerable.Range(0, 12).Select(i => store.UpdateAsync(ConsentTestApp.Number, Contact,
            s => store.Machine.Apply(s, new InboundMessageReceived($"wamid.{i}", T0.AddSeconds(i))), CancellationToken.None)));

        var stored = await store.GetAsync(ConsentTestApp.Number, Contact, CancellationToken.None);
        Assert.Equal(12, stored.State.Activity.Length);
    }

    [Fact]
    public void Instance_ids_of_timers_name_the_business_number_and_the_contact()
    {
        var id = ConsentStore.InstanceId(ConsentTestApp.Number, ContactKey.ForPhone(PhoneNumber.Parse("447700900123")));

        Assert.True(ConsentStore.TryParseInstanceId(id, out var number, out var contact));
        Assert.Equal((ConsentTestApp.Number, "wa:447700900123"), (number, contact.Value));
        Assert.False(ConsentStore.TryParseInstanceId("no-bar", out _, out _));
    }

    private static ConsentState Apply(params ConsentEvent[] events) =>
        events.Aggregate(ConsentState.Empty(ConsentTestApp.Number, Contact), Machine.Apply);
}
