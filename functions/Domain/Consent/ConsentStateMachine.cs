namespace WhatsAppCalling.Domain.Consent;

/// <summary>
/// The pure transitions of <see cref="ConsentState"/>. Each returns a new state, or the same instance when the event
/// changes nothing (a redelivery, or a fact older than one already known), so the store can skip the write.
/// Events may arrive duplicated and in any order (whatsapp-calling-api.md §1.4); the result depends only on the set
/// of events applied, never on their order.
/// </summary>
public sealed class ConsentStateMachine(ConsentRules rules)
{
    public ConsentRules Rules { get; } = rules ?? throw new ArgumentNullException(nameof(rules));

    public ConsentState Apply(ConsentState state, ConsentEvent consentEvent)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(consentEvent);

        var next = consentEvent switch
        {
            PermissionReplyReceived reply => OnReply(state, reply),
            InboundMessageReceived message => AddActivity(state, CustomerActivityKind.Message, message.MessageId, message.OccurredAt),
            UserCallReceived call => AddActivity(state, CustomerActivityKind.UserCall, call.CallId.Value, call.OccurredAt),
            UserCallConnected call => AddActivity(state, CustomerActivityKind.UserCall, call.CallId.Value, call.OccurredAt) with
            {
                RequestLimitsResetAt = FactList.Max(state.RequestLimitsResetAt, call.OccurredAt),
            },
            BusinessCallConnected call => OnBusinessCallConnected(state, call),
            BusinessCallNotAnswered call => OnBusinessCallNotAnswered(state, call),
            PermissionRequestSent request => OnRequestSent(state, request),
            MessageSent message => OnMessageSent(state, message),
            _ => throw new ArgumentException($"Unknown consent event {consentEvent.GetType().Name}.", nameof(consentEvent)),
        };

        return Settle(state, next, consentEvent.OccurredAt);
    }

    /// <summary>
    /// A durable timer fired. Marks the temporary permission and the open request as expired when they are due;
    /// a no-op when <paramref name="version"/> is stale (the permission was renewed, upgraded or re-requested since
    /// the timer was set) or nothing is due yet. Meta sends no webhook for expiry (§1.10), so this is our only signal
    /// to tell agents; the decisions in this namespace treat an overdue permission as expired even before it runs.
    /// </summary>
    public ConsentState ApplyExpiry(ConsentState state, DateTimeOffset now, long version)
    {
        ArgumentNullException.ThrowIfNull(state);
        if (version != state.Version)
        {
            return state;
        }

        var next = state;
        var current = state.CurrentDecision;
        if (current is { Kind: PermissionDecisionKind.Temporary, ExpiryApplied: false, ExpiresAt: { } expiresAt }
            && expiresAt <= now)
        {
            var expired = current with { ExpiryApplied = true };
            next = ReferenceEquals(current, state.CallbackGrant)
                ? next with { CallbackGrant = expired }
                : next with { Decision = expired };
        }

        if (state.LatestRequest is { ExpiryApplied: false } request
            && request.SentAt + Rules.RequestLifetime <= now
            && (current is null || current.DecidedAt < request.SentAt))
        {
            next = next with { Requests = next.Requests.SetItem(next.Requests.Length - 1, request with { ExpiryApplied = true }) };
        }

        return next;
    }

    /// <summary>
    /// Reconciles with Meta's <c>GET call_permissions</c> (§3.4). Meta wins: where it disagrees with what we derive
    /// at the observation time, its answer becomes the newest decision, and the correction is returned for the record.
    /// An event newer than the observation still wins over the correction.
    /// </summary>
    public ReconciliationResult Reconcile(ConsentState state, MetaPermissionSnapshot snapshot)
    {
        ArgumentNullException.ThrowIfNull(state);
        ArgumentNullException.ThrowIfNull(snapshot);

        var next = state;
        if (snapshot.StartCallLimitUntil is { } limitUntil)
        {
            next = next with { MetaCallLimitUntil = FactList.Max(next.MetaCallLimitUntil, limitUntil) };
        }

        var ours = CallPermission.Of(state, snapshot.ObservedAt, Rules);
        PermissionCorrection? correction = null;
        if (!Agrees(ours, snapshot))
        {
            var decision = new PermissionDecision(
                snapshot.Status switch
                {
                    MetaPermissionStatus.Permanent => PermissionDecisionKind.Permanent,
                    MetaPermissionStatus.Temporary => PermissionDecisionKind.Temporary,
                    _ => PermissionDecisionKind.NoPermission,
                },
                PermissionSource.MetaCorrection,
                snapshot.ObservedAt,
                snapshot.Status == MetaPermissionStatus.Temporary
                    ? snapshot.ExpiresAt ?? snapshot.ObservedAt + Rules.TemporaryPermissionLifetime
                    : null,
                $"meta-correction:{snapshot.ObservedAt.ToUnixTimeMilliseconds()}",
                null);
            next = WithDecision(next, decision);
            if (!ReferenceEquals(next.CurrentDecision, state.CurrentDecision))
            {
                correction = new PermissionCorrection(
                    state.BusinessNumber, state.Contact, snapshot.ObservedAt, ours.Status, ours.ExpiresAt,
                    snapshot.Status, decision.ExpiresAt);
            }
        }

        return new ReconciliationResult(Settle(state, next, snapshot.ObservedAt), correction);
    }

    private bool Agrees(CallPermission ours, MetaPermissionSnapshot meta) => meta.Status switch
    {
        MetaPermissionStatus.Permanent => ours.Status == CallPermissionStatus.Permanent,
        MetaPermissionStatus.Temporary => ours.Status == CallPermissionStatus.Temporary
            && (meta.ExpiresAt is null || (ours.ExpiresAt is { } e && (e - meta.ExpiresAt.Value).Duration() <= Rules.CorrectionTolerance)),
        _ => !ours.AllowsCalling,
    };

    // §1.10 scenario table: every documented combination of response, is_permanent, source and context.
    private ConsentState OnReply(ConsentState state, PermissionReplyReceived reply)
    {
        var decision = reply switch
        {
            { Response: PermissionResponse.Accept, IsPermanent: true } => Decide(
                PermissionDecisionKind.Permanent,
                reply.ContextId is null ? PermissionSource.BusinessProfile : PermissionSource.UserAction,
                null),
            { Response: PermissionResponse.Accept } => Decide(
                PermissionDecisionKind.Temporary,
                reply.Source == ReplySource.Automatic || reply.RefersToCall ? PermissionSource.CallbackGrant : PermissionSource.UserAction,
                reply.ExpiresAt ?? reply.OccurredAt + Rules.TemporaryPermissionLifetime),
            { Source: ReplySource.Automatic } => Decide(PermissionDecisionKind.Revoked, PermissionSource.AutomaticRevocation, null),
            { ContextId: null } => Decide(PermissionDecisionKind.Revoked, PermissionSource.UserAction, null),
            _ => Decide(PermissionDecisionKind.Declined, PermissionSource.UserAction, null),
        };

        var next = WithDecision(state, decision);

        // A customer's answer to our request message is a message from them: it opens the window (§7.3) and is the
        // reply the template rule waits for. Profile grants and automatic replies are not messages the customer typed.
        if (reply.Source == ReplySource.UserAction && reply.ContextId is not null && !reply.RefersToCall)
        {
            next = AddActivity(next, CustomerActivityKind.Message, reply.MessageId, reply.OccurredAt);
        }

        return next;

        PermissionDecision Decide(PermissionDecisionKind kind, PermissionSource source, DateTimeOffset? expiresAt) =>
            new(kind, source, reply.OccurredAt, expiresAt, reply.MessageId, reply.ContextId);
    }

    // The newest decision wins; a grant also ends the unanswered streak, because the customer has just chosen to be
    // callable again (otherwise the first miss after a re-grant would count toward the old streak).
    private static ConsentState WithDecision(ConsentState state, PermissionDecision decision)
    {
        var next = decision.Source == PermissionSource.CallbackGrant
            ? decision.IsNewerThan(state.CallbackGrant) ? state with { CallbackGrant = decision } : state
            : decision.IsNewerThan(state.Decision) ? state with { Decision = decision } : state;
        return decision.IsGrant
            ? next with { StreakResetAt = FactList.Max(next.StreakResetAt, decision.DecidedAt) }
            : next;
    }

    private static ConsentState AddActivity(ConsentState state, CustomerActivityKind kind, string id, DateTimeOffset at) =>
        state with
        {
            Activity = FactList.Insert(state.Activity, new CustomerActivity(kind, id, at), a => a.At, a => a.Key),
        };

    private static ConsentState OnBusinessCallConnected(ConsentState state, BusinessCallConnected call)
    {
        var next = AddActivity(state, CustomerActivityKind.AcceptedBusinessCall, call.CallId.Value, call.OccurredAt);
        return next with
        {
            ConnectedBusinessCalls = FactList.Insert(
                next.ConnectedBusinessCalls, new TimedCall(call.CallId, call.OccurredAt), c => c.At, c => c.CallId.Value),
            UnansweredBusinessCalls = next.UnansweredBusinessCalls.RemoveAll(c => c.CallId == call.CallId),
            RecentNotAnsweredCalls = next.RecentNotAnsweredCalls.RemoveAll(c => c.CallId == call.CallId),
            StreakResetAt = FactList.Max(next.StreakResetAt, call.OccurredAt),
            RequestLimitsResetAt = FactList.Max(next.RequestLimitsResetAt, call.OccurredAt),
        };
    }

    private static ConsentState OnBusinessCallNotAnswered(ConsentState state, BusinessCallNotAnswered call)
    {
        // A call that connected is not unanswered, whichever of its events arrives last (REJECTED is followed by
        // terminate for the same call, §1.7; the call id de-duplicates the pair).
        if (state.ConnectedBusinessCalls.Any(c => c.CallId == call.CallId))
        {
            return state;
        }

        var missed = new TimedCall(call.CallId, call.OccurredAt);
        return state with
        {
            UnansweredBusinessCalls = FactList.Insert(state.UnansweredBusinessCalls, missed, c => c.At, c => c.CallId.Value),
            RecentNotAnsweredCalls = FactList.Insert(state.RecentNotAnsweredCalls, missed, c => c.At, c => c.CallId.Value),
        };
    }

    private static ConsentState OnRequestSent(ConsentState state, PermissionRequestSent request)
    {
        var next = state with
        {
            Requests = FactList.Insert(
                state.Requests, new SentPermissionRequest(request.MessageId, request.OccurredAt, request.Channel), r => r.SentAt, r => r.MessageId),
        };
        return request.Channel == RequestChannel.Template ? AddTemplate(next, request.MessageId, request.OccurredAt) : next;
    }

    // Free-form messages can only go out inside an open window, so they never open a conversation; only templates
    // matter to the template-reply rule and only they are kept.
    private static ConsentState OnMessageSent(ConsentState state, MessageSent message) =>
        message.Kind == SentMessageKind.Template ? AddTemplate(state, message.MessageId, message.OccurredAt) : state;

    private static ConsentState AddTemplate(ConsentState state, string messageId, DateTimeOffset at) =>
        state with
        {
            TemplatesSent = FactList.Insert(state.TemplatesSent, new SentTemplate(messageId, at), t => t.SentAt, t => t.MessageId),
        };

    /// <summary>Moves the horizon forward, trims every list to it, and keeps the old instance when nothing changed.</summary>
    private ConsentState Settle(ConsentState before, ConsentState after, DateTimeOffset occurredAt)
    {
        var latest = FactList.Max(after.LatestEventAt, occurredAt)!.Value;
        var trimmed = after with
        {
            LatestEventAt = latest,
            Requests = FactList.KeepNewest(
                FactList.DropUpTo(after.Requests, latest - Rules.HistoryRetention, r => r.SentAt, keepNewest: true),
                Math.Max(Rules.MaxRequestsPerWeek, Rules.MaxRequestsPerDay) + 1),
            Activity = FactList.KeepNewest(
                FactList.DropUpTo(after.Activity, latest - Rules.HistoryRetention, a => a.At, keepNewest: true),
                ConsentState.MaxActivityKept),
            TemplatesSent = FactList.KeepNewest(
                FactList.DropUpTo(after.TemplatesSent, latest - Rules.HistoryRetention, t => t.SentAt),
                ConsentState.MaxTemplatesKept),
            ConnectedBusinessCalls = FactList.KeepNewest(
                FactList.DropUpTo(after.ConnectedBusinessCalls, latest - ConnectedCallRetention, c => c.At),
                Math.Max(Rules.MaxConnectedCalls, Rules.MaxAttemptsAfterPermanentGrant ?? 0)),
            RecentNotAnsweredCalls = FactList.KeepNewest(
                FactList.DropUpTo(after.RecentNotAnsweredCalls, latest - Rules.AttemptsWindowAfterPermanentGrant, c => c.At),
                Rules.MaxAttemptsAfterPermanentGrant ?? 0),
            UnansweredBusinessCalls = FactList.KeepOldest(
                after.StreakResetAt is { } reset
                    ? FactList.DropUpTo(after.UnansweredBusinessCalls, reset, c => c.At)
                    : after.UnansweredBusinessCalls,
                ConsentState.MaxUnansweredKept),
        };
        return trimmed.Equals(before) ? before : trimmed;
    }

    private TimeSpan ConnectedCallRetention =>
        Rules.ConnectedCallWindow > Rules.AttemptsWindowAfterPermanentGrant
            ? Rules.ConnectedCallWindow
            : Rules.AttemptsWindowAfterPermanentGrant;
}
