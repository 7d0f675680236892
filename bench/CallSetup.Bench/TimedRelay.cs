using System.Collections.Concurrent;
using FakeMeta.Simulation;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace CallSetup.Bench;

/// <summary>
/// The stand-in relay: answers at once with SDP the fake Meta accepts, and notes when the app reached it for each
/// call, which splits the measured spans into queue wait and handler work.
/// </summary>
internal sealed class TimedRelay : IMediaRelay
{
    public const string AgentAnswer = "v=0\r\no=relay 9 1 IN IP4 127.0.0.1\r\ns=-\r\na=ice-lite\r\na=setup:passive\r\n";

    private static readonly string MetaLegAnswer = SdpRules.BusinessAnswer();

    public ConcurrentDictionary<string, DateTimeOffset> SessionCreated { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, DateTimeOffset> LegAdded { get; } = new(StringComparer.Ordinal);

    public ConcurrentDictionary<string, DateTimeOffset> SessionEnded { get; } = new(StringComparer.Ordinal);

    public Task<MetaLegSdp> CreateUserInitiatedSessionAsync(CallId callId, string metaOfferSdp, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        SessionCreated.TryAdd(callId.Value, DateTimeOffset.UtcNow);
        return Task.FromResult(new MetaLegSdp(RelayLegIds.Meta, MetaLegAnswer));
    }

    public Task<AgentLegSdp> AddAgentLegAsync(CallId callId, AgentLegRequest leg, CancellationToken cancellationToken)
    {
        LegAdded.TryAdd(callId.Value, DateTimeOffset.UtcNow);
        return Task.FromResult(new AgentLegSdp(leg.LegId, AgentAnswer, leg.Active));
    }

    public Task EndSessionAsync(CallId callId, string reason, CancellationToken cancellationToken)
    {
        SessionEnded.TryAdd(callId.Value, DateTimeOffset.UtcNow);
        return Task.CompletedTask;
    }

    public Task<MetaLegSdp> CreateBusinessInitiatedSessionAsync(CallId callId, RelaySessionSettings settings, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmark places no business-initiated calls.");

    public Task ApplyMetaAnswerAsync(CallId callId, string metaAnswerSdp, CancellationToken cancellationToken) =>
        throw new NotSupportedException("The benchmark places no business-initiated calls.");

    public Task<ActiveLegSwitch> SwitchActiveLegAsync(CallId callId, string legId, CancellationToken cancellationToken) =>
        Task.FromResult(new ActiveLegSwitch(legId, null));

    public Task SetMutedAsync(CallId callId, string legId, bool muted, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAgentLegAsync(CallId callId, string legId, CancellationToken cancellationToken) => Task.CompletedTask;
}
