using WhatsAppCalling.Domain.Consent;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Tests.Consent;

/// <summary>Arranges a consent history in a few readable steps; times are hours after <see cref="T0"/>.</summary>
internal sealed class ConsentScenario
{
    public static readonly DateTimeOffset T0 = new(2026, 11, 2, 9, 0, 0, TimeSpan.Zero);

    public static readonly BusinessNumberId Business = new("106540352242922");

    public static readonly ContactKey Customer = ContactKey.ForPhone(PhoneNumber.Parse("+4915112345678"));

    private int _ids;

    public ConsentScenario(ConsentRules? rules = null)
    {
        Rules = rules ?? ConsentRules.Default;
        Machine = new ConsentStateMachine(Rules);
        State = ConsentState.Empty(Business, Customer);
    }

    public ConsentRules Rules { get; }

    public ConsentStateMachine Machine { get; }

    public ConsentState State { get; private set; }

    public string? LastRequestId { get; private set; }

    public static DateTimeOffset H(double hours) => T0.AddHours(hours);

    public ConsentScenario Apply(ConsentEvent consentEvent)
    {
        State = Machine.Apply(State, consentEvent);
        return this;
    }

    public ConsentScenario CustomerWrites(DateTimeOffset at) => Apply(new InboundMessageReceived(Id("wamid.in"), at));

    public ConsentScenario CustomerCalls(DateTimeOffset at, bool pickedUp = false)
    {
        var call = new CallId(Id("wacid.in"));
        Apply(new UserCallReceived(call, at));
        return pickedUp ? Apply(new UserCallConnected(call, at)) : this;
    }

    public ConsentScenario RequestSent(DateTimeOffset at, RequestChannel channel = RequestChannel.FreeForm)
    {
        LastRequestId = Id("wamid.req");
        return Apply(new PermissionRequestSent(LastRequestId, at, channel));
    }

    public ConsentScenario TemplateSent(DateTimeOffset at) => Apply(new MessageSent(Id("wamid.tpl"), at, SentMessageKind.Template));

    public ConsentScenario FreeFormSent(DateTimeOffset at) => Apply(new MessageSent(Id("wamid.txt"), at, SentMessageKind.FreeForm));

    public ConsentScenario ApprovedTemporarily(DateTimeOffset at, DateTimeOffset? expiresAt = null) =>
        Reply(at, PermissionResponse.Accept, false, expiresAt, ReplySource.UserAction, RequestContext);

    public ConsentScenario ApprovedPermanently(DateTimeOffset at) =>
        Reply(at, PermissionResponse.Accept, true, null, ReplySource.UserAction, RequestContext);

    public ConsentScenario ApprovedFromBusinessProfile(DateTimeOffset at) =>
        Reply(at, PermissionResponse.Accept, true, null, ReplySource.UserAction, null);

    public ConsentScenario Declined(DateTimeOffset at) =>
        Reply(at, PermissionResponse.Reject, false, null, ReplySource.UserAction, RequestContext);

    public ConsentScenario RevokedByCustomer(DateTimeOffset at) =>
        Reply(at, PermissionResponse.Reject, false, null, ReplySource.UserAction, null);

    public ConsentScenario RevokedAutomatically(DateTimeOffset at) =>
        Reply(at, PermissionResponse.Reject, false, null, ReplySource.Automatic, null);

    public ConsentScenario CallbackGranted(DateTimeOffset at, DateTimeOffset expiresAt) =>
        Reply(at, PermissionResponse.Accept, false, expiresAt, ReplySource.Automatic, Id("wacid.cb"));

    public ConsentScenario BusinessCallConnected(DateTimeOffset at) =>
        Apply(new BusinessCallConnected(new CallId(Id("wacid.out")), at));

    public ConsentScenario BusinessCallUnanswered(DateTimeOffset at) =>
        Apply(new BusinessCallNotAnswered(new CallId(Id("wacid.out")), at, NotAnsweredOutcome.Unanswered));

    public ConsentScenario BusinessCallRejected(DateTimeOffset at) =>
        Apply(new BusinessCallNotAnswered(new CallId(Id("wacid.out")), at, NotAnsweredOutcome.Rejected));

    public ConsentScenario Reply(
        DateTimeOffset at, PermissionResponse response, bool permanent, DateTimeOffset? expiresAt, ReplySource source, string? context) =>
        Apply(new PermissionReplyReceived(Id("wamid.reply"), at, response, permanent, expiresAt, source, context));

    public CallPermission Permission(DateTimeOffset now) => CallPermission.Of(State, now, Rules);

    public CallDecision Call(DateTimeOffset now) => new CallingEligibility(Rules).Evaluate(State, now);

    public PermissionRequestDecision Request(DateTimeOffset now, bool templateAvailable = true) =>
        new PermissionRequestPolicy(Rules).Evaluate(State, now, templateAvailable);

    public EligibilityReport Report(DateTimeOffset now) => EligibilityReport.Create(State, now, Rules);

    public ConsentTimer? NextTimer() => ConsentTimers.Next(State, Rules);

    public ConsentScenario Expire(DateTimeOffset now, long version)
    {
        State = Machine.ApplyExpiry(State, now, version);
        return this;
    }

    private string RequestContext => LastRequestId ?? "wamid.request-we-do-not-know";

    private string Id(string prefix) => $"{prefix}.{++_ids}";
}

internal static class ReasonAssertions
{
    public static void HasReason(this IEnumerable<ConsentReason> reasons, ConsentReasonCode code) =>
        Assert.Contains(reasons, r => r.Code == code);

    public static void LacksReason(this IEnumerable<ConsentReason> reasons, ConsentReasonCode code) =>
        Assert.DoesNotContain(reasons, r => r.Code == code);
}
