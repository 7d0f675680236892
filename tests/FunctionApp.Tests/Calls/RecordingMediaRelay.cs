using System.Collections.Concurrent;
using FakeMeta.Simulation;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// An in-process stand-in for the media relay: answers Meta's offer with an SDP the fake Meta accepts, answers each
/// agent leg, and records every operation in order.
/// </summary>
internal sealed class RecordingMediaRelay : IMediaRelay
{
    public const string AgentAnswer = "v=0\r\no=relay 9 1 IN IP4 127.0.0.1\r\ns=-\r\na=ice-lite\r\na=setup:passive\r\n";

    public static string MetaLegAnswer { get; } = SdpRules.BusinessAnswer();

    public ConcurrentQueue<string> Operations { get; } = new();

    /// <summary>The settings each session was created with, by call id.</summary>
    public ConcurrentDictionary<string, RelaySessionSettings> SessionSettings { get; } = new(StringComparer.Ordinal);

    /// <summary>The next session creation fails as if the relay were unreachable.</summary>
    public bool FailNextCreate { get; set; }

    /// <summary>The next agent leg fails as if the relay were unreachable (recorded, then thrown).</summary>
    public bool FailNextLeg { get; set; }

    /// <summary>The next session end fails as if the relay were unreachable (recorded, then thrown).</summary>
    public bool FailNextEnd { get; set; }

    public Task<MetaLegSdp> CreateUserInitiatedSessionAsync(CallId callId, string metaOfferSdp, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"create {callId}");
        SessionSettings[callId.Value] = settings;
        if (FailNextCreate)
        {
            FailNextCreate = false;
            throw new MediaRelayException(null, MediaRelayException.Unavailable, "The relay is down.");
        }

        return Task.FromResult(new MetaLegSdp(RelayLegIds.Meta, MetaLegAnswer));
    }

    /// <summary>The relay's offer toward Meta on a business-initiated call.</summary>
    public static string MetaLegOffer { get; } = SdpRules.BusinessOffer();

    /// <summary>Meta's answers applied to business-initiated sessions, by session id.</summary>
    public ConcurrentDictionary<CallId, string> MetaAnswers { get; } = new();

    public Task<MetaLegSdp> CreateBusinessInitiatedSessionAsync(CallId callId, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"create-bic {callId}");
        return Task.FromResult(new MetaLegSdp(RelayLegIds.Meta, MetaLegOffer));
    }

    public Task ApplyMetaAnswerAsync(CallId callId, string metaAnswerSdp, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"answer {callId}");
        MetaAnswers[callId] = metaAnswerSdp;
        return Task.CompletedTask;
    }

    public Task<AgentLegSdp> AddAgentLegAsync(CallId callId, AgentLegRequest leg, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"leg {callId} {leg.Agent} {(leg.Active ? "active" : "silent")}");
        if (FailNextLeg)
        {
            FailNextLeg = false;
            throw new MediaRelayException(null, MediaRelayException.Unavailable, "The relay is down.");
        }

        return Task.FromResult(new AgentLegSdp(leg.LegId, AgentAnswer, leg.Active));
    }

    public Task<ActiveLegSwitch> SwitchActiveLegAsync(CallId callId, string legId, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"switch {callId} {legId}");
        return Task.FromResult(new ActiveLegSwitch(legId, null));
    }

    public Task SetMutedAsync(CallId callId, string legId, bool muted, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"mute {callId} {legId} {muted}");
        return Task.CompletedTask;
    }

    public Task RemoveAgentLegAsync(CallId callId, string legId, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"remove {callId} {legId}");
        return Task.CompletedTask;
    }

    public Task EndSessionAsync(CallId callId, string reason, CancellationToken cancellationToken)
    {
        Operations.Enqueue($"end {callId}");
        if (FailNextEnd)
        {
            FailNextEnd = false;
            throw new MediaRelayException(null, MediaRelayException.Unavailable, "The relay is down.");
        }

        return Task.CompletedTask;
    }
}
