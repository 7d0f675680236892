using FsCheck;
using FsCheck.Fluent;
using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;
using static WhatsAppCalling.Domain.Tests.Consent.ConsentScenario;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>
/// Webhooks arrive at least once and in any order (whatsapp-calling-api.md §1.4); the consent state must depend only
/// on which events happened, never on the order or the number of deliveries.
/// </summary>
public sealed class ConvergenceProperties
{
    private const int EventKinds = 14;

    // Hours over two weeks, so facts age out of every rolling window and retention horizon; whole hours make ties.
    private static readonly Gen<(int Kind, int Hour, int Extra)> EventShape =
        from kind in Gen.Choose(0, EventKinds - 1)
        from hour in Gen.Choose(0, 14 * 24)
        from extra in Gen.Choose(0, 1000)
        select (kind, hour, extra);

    private static readonly Arbitrary<(List<(int Kind, int Hour, int Extra)> Events, int Seed, bool AttemptsLimit)> Histories =
        (from events in EventShape.ListOf()
         from seed in Gen.Choose(0, int.MaxValue - 1)
         from attemptsLimit in Gen.Elements(true, false)
         select (events.ToList(), seed, attemptsLimit)).ToArbitrary();

    [Fact]
    public void Applying_events_in_any_order_with_duplicates_converges_to_the_state_of_timestamp_order() =>
        Prop.ForAll(Histories, history =>
        {
            var rules = history.AttemptsLimit ? ConsentRules.Default with { MaxAttemptsAfterPermanentGrant = 5 } : ConsentRules.Default;
            var machine = new ConsentStateMachine(rules);
            var events = history.Events.Select(ToEvent).ToList();

            var inTimeOrder = ApplyAll(machine, events.OrderBy(e => e.OccurredAt));
            var delivered = ApplyAll(machine, Redeliver(events, new Random(history.Seed)));

            return inTimeOrder.Equals(delivered) && inTimeOrder.Version == delivered.Version;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Applying_any_event_a_second_time_changes_nothing() =>
        Prop.ForAll(Histories, history =>
        {
            var machine = new ConsentStateMachine(ConsentRules.Default);
            var state = ConsentState.Empty(Business, Customer);
            foreach (var consentEvent in history.Events.Select(ToEvent))
            {
                var once = machine.Apply(state, consentEvent);
                if (!ReferenceEquals(once, machine.Apply(once, consentEvent)))
                {
                    return false;
                }

                state = once;
            }

            return true;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void The_report_is_the_same_for_states_built_in_different_orders() =>
        Prop.ForAll(Histories, history =>
        {
            var machine = new ConsentStateMachine(ConsentRules.Default);
            var events = history.Events.Select(ToEvent).ToList();
            var now = T0.AddDays(10);

            var a = EligibilityReport.Create(ApplyAll(machine, events.OrderBy(e => e.OccurredAt)), now, machine.Rules);
            var b = EligibilityReport.Create(ApplyAll(machine, Redeliver(events, new Random(history.Seed))), now, machine.Rules);

            return a with { CallReasons = [], RequestReasons = [] } == b with { CallReasons = [], RequestReasons = [] }
                && a.CallReasons.SequenceEqual(b.CallReasons)
                && a.RequestReasons.SequenceEqual(b.RequestReasons);
        }).QuickCheckThrowOnFailure();

    private static ConsentState ApplyAll(ConsentStateMachine machine, IEnumerable<ConsentEvent> events) =>
        events.Aggregate(ConsentState.Empty(Business, Customer), machine.Apply);

    /// <summary>Every event once, about a third of them again, all shuffled.</summary>
    private static List<ConsentEvent> Redeliver(List<ConsentEvent> events, Random random)
    {
        var deliveries = events.Concat(events.Where(_ => random.Next(3) == 0)).ToList();
        for (var i = deliveries.Count - 1; i > 0; i--)
        {
            var j = random.Next(i + 1);
            (deliveries[i], deliveries[j]) = (deliveries[j], deliveries[i]);
        }

        return deliveries;
    }

    private static ConsentEvent ToEvent((int Kind, int Hour, int Extra) shape, int index)
    {
        var at = T0.AddHours(shape.Hour);
        var id = $"{shape.Kind}.{index}.{shape.Hour}.{shape.Extra}";
        // Customer calls share a small pool of ids so "received" and "connected" of one call meet.
        var userCall = new CallId($"wacid.user.{shape.Extra % 3}");
        return shape.Kind switch
        {
            0 => new InboundMessageReceived("wamid.in." + id, at),
            1 => new UserCallReceived(userCall, at),
            2 => new UserCallConnected(userCall, at),
            3 => new BusinessCallConnected(new CallId("wacid.ok." + id), at),
            4 => new BusinessCallNotAnswered(new CallId("wacid.miss." + id), at, NotAnsweredOutcome.Unanswered),
            5 => new BusinessCallNotAnswered(new CallId("wacid.miss." + id), at, NotAnsweredOutcome.Rejected),
            6 => new PermissionRequestSent("wamid.req." + id, at, shape.Extra % 2 == 0 ? RequestChannel.FreeForm : RequestChannel.Template),
            7 => new MessageSent("wamid.out." + id, at, shape.Extra % 2 == 0 ? SentMessageKind.FreeForm : SentMessageKind.Template),
            8 => Reply(id, at, PermissionResponse.Accept, false, shape.Extra % 2 == 0 ? at.AddHours(100) : null, ReplySource.UserAction, "wamid.req.x"),
            9 => Reply(id, at, PermissionResponse.Accept, true, null, ReplySource.UserAction, shape.Extra % 2 == 0 ? "wamid.req.x" : null),
            10 => Reply(id, at, PermissionResponse.Reject, false, null, ReplySource.UserAction, "wamid.req.x"),
            11 => Reply(id, at, PermissionResponse.Reject, false, null, ReplySource.UserAction, null),
            12 => Reply(id, at, PermissionResponse.Reject, false, null, ReplySource.Automatic, null),
            _ => Reply(id, at, PermissionResponse.Accept, false, at.AddHours(168), ReplySource.Automatic, "wacid.cb." + id),
        };
    }

    private static PermissionReplyReceived Reply(
        string id, DateTimeOffset at, PermissionResponse response, bool permanent, DateTimeOffset? expiresAt, ReplySource source, string? context) =>
        new("wamid.reply." + id, at, response, permanent, expiresAt, source, context);
}
