using System.Collections.Concurrent;
using System.Net;
using FakeMeta.Simulation;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Echo;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Relay;

namespace WhatsAppCalling.FunctionApp.Tests.Console;

/// <summary>
/// A media relay whose Meta leg is the fake Meta's (an SDP answer it accepts) but whose agent legs are real: the
/// browser's offer is answered by the relay's own WebRTC stack (ICE-lite, DTLS server) on a loopback UDP port, and
/// an <see cref="EchoEndpoint"/> loops the agent's audio back, so Chromium genuinely connects. Incoming calls and
/// calls the agent places alike.
/// </summary>
internal sealed class EchoAgentLegRelay : IMediaRelay, IDisposable
{
    private static readonly DtlsCertificate Certificate = DtlsCertificate.Generate();
    private readonly BrowserUdpMux _mux = BrowserUdpMux.Bind(new IPEndPoint(IPAddress.Loopback, 0));
    private readonly ConcurrentBag<IDisposable> _owned = [];

    /// <summary>Each agent leg as the relay made it: the browser's offer and the live leg.</summary>
    public ConcurrentQueue<(string CallId, string Agent, string BrowserOffer, WebRtcLeg Leg)> AgentLegs { get; } = new();

    public Task<MetaLegSdp> CreateUserInitiatedSessionAsync(CallId callId, string metaOfferSdp, RelaySessionSettings settings, CancellationToken cancellationToken) =>
        Task.FromResult(new MetaLegSdp(RelayLegIds.Meta, SdpRules.BusinessAnswer()));

    /// <summary>A placed call: the relay's offer toward Meta (the fake Meta answers it in its connect webhook).</summary>
    public Task<MetaLegSdp> CreateBusinessInitiatedSessionAsync(CallId callId, RelaySessionSettings settings, CancellationToken cancellationToken)
    {
        Sessions.Enqueue(callId.Value);
        return Task.FromResult(new MetaLegSdp(RelayLegIds.Meta, SdpRules.BusinessOffer()));
    }

    /// <summary>The business-initiated sessions created, by their own (<c>bic-…</c>) id.</summary>
    public ConcurrentQueue<string> Sessions { get; } = new();

    /// <summary>Meta's answers applied to placed calls' sessions, by session id.</summary>
    public ConcurrentDictionary<string, string> MetaAnswers { get; } = new();

    public Task ApplyMetaAnswerAsync(CallId callId, string metaAnswerSdp, CancellationToken cancellationToken)
    {
        MetaAnswers[callId.Value] = metaAnswerSdp;
        return Task.CompletedTask;
    }

    public Task<AgentLegSdp> AddAgentLegAsync(CallId callId, AgentLegRequest leg, CancellationToken cancellationToken)
    {
        if (!SdpMediaSummary.TryCreate(SdpParser.Parse(leg.BrowserOfferSdp), out var offer))
        {
            throw new MediaRelayException(HttpStatusCode.BadRequest, "invalid_sdp", "The browser's offer has no usable audio section.", "sdpOffer");
        }

        var ice = IceCredentials.Generate();
        var ssrc = (uint)Random.Shared.NextInt64(1, uint.MaxValue);
        var local = new LocalMediaParameters(_mux.LocalEndPoint.Address, _mux.LocalEndPoint.Port, ice.Ufrag, ice.Pwd, Certificate.Sha256Fingerprint, ssrc, "console-test");
        var answer = WebRtcSdpBuilder.BuildBrowserAnswer(offer!, local).Write();
        var webRtcLeg = _mux.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = ice, Remote = offer!, Certificate = Certificate, DtlsRole = DtlsRole.Server, IceLite = true, LocalSsrc = ssrc,
        });
        _owned.Add(webRtcLeg);
        _owned.Add(new EchoEndpoint(webRtcLeg));
        AgentLegs.Enqueue((callId.Value, leg.Agent.Value, leg.BrowserOfferSdp, webRtcLeg));
        if (leg.Active)
        {
            ActiveLegs[callId.Value] = leg.LegId;
        }

        return Task.FromResult(new AgentLegSdp(leg.LegId, answer, leg.Active));
    }

    /// <summary>The active agent leg per call, as a transfer moves it.</summary>
    public ConcurrentDictionary<string, string> ActiveLegs { get; } = new();

    public Task<ActiveLegSwitch> SwitchActiveLegAsync(CallId callId, string legId, CancellationToken cancellationToken)
    {
        var previous = ActiveLegs.TryGetValue(callId.Value, out var old) ? old : null;
        ActiveLegs[callId.Value] = legId;
        return Task.FromResult(new ActiveLegSwitch(legId, previous));
    }

    public Task SetMutedAsync(CallId callId, string legId, bool muted, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task RemoveAgentLegAsync(CallId callId, string legId, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task EndSessionAsync(CallId callId, string reason, CancellationToken cancellationToken) => Task.CompletedTask;

    public void Dispose()
    {
        foreach (var owned in _owned)
        {
            owned.Dispose();
        }

        _mux.Dispose();
    }
}
