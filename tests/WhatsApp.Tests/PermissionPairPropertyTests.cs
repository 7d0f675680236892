using FakeMeta;
using FakeMeta.Simulation;
using FsCheck;
using FsCheck.Fluent;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>Properties of the fake's per-pair request limits (§3.5) over arbitrary request schedules.</summary>
public sealed class PermissionPairPropertyTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    [Fact]
    public void Accepted_requests_never_exceed_1_per_24_hours_or_2_per_7_days() =>
        Prop.ForAll(Gen.Choose(0, 100).ListOf().ToArbitrary(), gapsInHours =>
        {
            var pair = new PermissionPair();
            var accepted = new List<DateTimeOffset>();
            var now = Start;
            foreach (var gap in gapsInHours)
            {
                now = now.AddHours(gap);
                if (pair.RefuseRequest(now, PermissionLimits.Production) is null)
                {
                    pair.RecordRequest(now);
                    accepted.Add(now);
                }
            }

            return accepted.All(t => accepted.Count(u => u > t.AddDays(-1) && u <= t) <= 1
                && accepted.Count(u => u > t.AddDays(-7) && u <= t) <= 2);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void A_request_is_always_possible_right_after_a_connected_call_without_permanent_permission() =>
        Prop.ForAll(Gen.Choose(0, 5).ToArbitrary(), Gen.Choose(0, 48).ToArbitrary(), (requests, hours) =>
        {
            var pair = new PermissionPair();
            var now = Start;
            for (var i = 0; i < requests; i++)
            {
                pair.RecordRequest(now);
                now = now.AddHours(hours);
            }

            pair.RecordConnectedCall(CallDirection.UserInitiated, now);
            return pair.RefuseRequest(now, PermissionLimits.Production) is null;
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Permanent_permission_always_refuses_requests_with_138017() =>
        Prop.ForAll(Gen.Choose(0, 1000).ToArbitrary(), hours =>
        {
            var pair = new PermissionPair();
            pair.Grant(PermissionKind.Permanent, Start);
            return pair.RefuseRequest(Start.AddHours(hours), PermissionLimits.Production) == 138017;
        }).QuickCheckThrowOnFailure();
}
