using MediaRelay.Api;
using MediaRelay.Bridge;
using MediaRelay.Events;
using MediaRelay.Recording;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.Sessions;

/// <summary>
/// One call on the relay: the Meta leg (its own UDP port; full controlling ICE agent; DTLS client when answering
/// Meta's offer, DTLS server when offering), any number of agent legs on the shared browser port (ICE-lite, DTLS
/// server), which one is active, and the optional recording. Control operations take the session lock; the media
/// path (RelaySession.Media.cs) reads the active leg without it.
/// </summary>
internal sealed partial class RelaySession : IDisposable
{
    public const string MetaLegId = "meta";

    private static readonly string[] MetaOfferSetups = ["actpass", "passive"];
    private static readonly string[] MetaAnswerSetups = ["active"];
    private static readonly string[] BrowserOfferSetups = ["actpass", "active"];

    private readonly object _gate = new();
    private readonly RelayMedia _media;
    private readonly ILogger _logger;
    private readonly DedicatedLegSocket _metaSocket;
    private readonly int _metaPort;
    private readonly IceCredentials _metaIce = IceCredentials.Generate();
    private readonly uint _metaSsrc = RandomSsrc();
    private readonly string _metaSdp;
    private readonly Dictionary<string, AgentLeg> _agents = new(StringComparer.Ordinal);
    private readonly SilenceSource _silence = new();
    private readonly CallRecording? _recording;
    private string? _metaAnswer;
    private WebRtcLeg? _metaLeg;
    private OutboundStream? _toMeta;
    private byte _metaOpusPt = 111;
    private int? _metaDtmfPt;
    private DtmfDetector? _metaDtmf;
    private volatile AgentLeg? _active;
    private volatile bool _ending;
    private int _metaConnectedReported;
    private int _metaLostReported;

    private RelaySession(string id, CreateSessionRequest request, RelayMedia media, ILogger logger)
    {
        Id = id;
        Request = request;
        _media = media;
        _logger = logger;
        SdpMediaSummary? metaOffer = request.Direction == CreateSessionRequest.UserInitiated
            ? SdpChecks.Read(request.MetaOffer!, "metaOffer", MetaOfferSetups, needsCandidate: true)
            : null;
        _metaSocket = media.MetaPorts.Rent();
        _metaPort = _metaSocket.LocalEndPoint.Port;
        try
        {
            var local = LocalParameters(_metaSocket.LocalEndPoint.Port, _metaIce, _metaSsrc);
            if (metaOffer is not null)
            {
                _metaSdp = WebRtcSdpBuilder.BuildMetaAnswer(metaOffer, local).Write();
                AttachMetaLeg(metaOffer, DtlsRole.Client);
            }
            else
            {
                _metaSdp = WebRtcSdpBuilder.BuildMetaOffer(local).Write();
            }
        }
        catch
        {
            _media.MetaPorts.Return(_metaSocket, _metaPort);
            throw;
        }

        if (request.Recording && media.Recordings.Enabled)
        {
            _recording = new CallRecording(id, media.Time);
        }
        else if (request.Recording)
        {
            LogRecordingUnavailable(_logger, id);
        }
    }

    public string Id { get; }

    public CreateSessionRequest Request { get; }

    public bool IsUserInitiated => Request.Direction == CreateSessionRequest.UserInitiated;

    public SessionCounters Counters { get; } = new();

    /// <summary>The Meta leg's own UDP socket (tests and diagnostics: oversized datagrams, handler errors).</summary>
    internal DedicatedLegSocket MetaSocket => _metaSocket;

    /// <summary>The Meta leg once Meta's SDP is known (at creation for user-initiated calls).</summary>
    public WebRtcLeg? MetaLeg => _metaLeg;

    public string? ActiveLegId => _active?.Id;

    public bool IsRecording => _recording is not null;

    /// <summary>An agent leg by id (tests and diagnostics).</summary>
    public AgentLeg? FindAgentLeg(string legId)
    {
        lock (_gate)
        {
            return _agents.GetValueOrDefault(legId);
        }
    }

    /// <summary>Creates the session and, for a user-initiated call, starts ICE checks toward Meta at once.</summary>
    public static RelaySession Start(string id, CreateSessionRequest request, RelayMedia media) =>
        new(id, request, media, media.Loggers.CreateLogger<RelaySession>());

    public SessionView View()
    {
        lock (_gate)
        {
            string state = _metaLeg is null ? "awaiting_meta_answer" : _active is null ? "awaiting_agent" : "bridged";
            return new SessionView(Id, Request.Direction, state,
                new MetaLegView(MetaLegId, IsUserInitiated ? "answer" : "offer", _metaSdp, IsUserInitiated ? "client" : "server"));
        }
    }

    /// <summary>Business-initiated calls: Meta's answer (setup:active), so the relay is the DTLS server.</summary>
    public SessionView ApplyMetaAnswer(string sdp)
    {
        lock (_gate)
        {
            if (IsUserInitiated)
            {
                throw RelayApiException.Conflict("Only a business_initiated session takes Meta's answer.");
            }

            if (_metaAnswer is not null)
            {
                return _metaAnswer == sdp ? View() : throw RelayApiException.Conflict("The session already has a different Meta answer.");
            }

            var answer = SdpChecks.Read(sdp, "sdp", MetaAnswerSetups, needsCandidate: true);
            AttachMetaLeg(answer, DtlsRole.Server);
            _metaAnswer = sdp;
        }

        return View();
    }

    /// <summary>Adds (or repeats) an agent leg from the browser's offer; <c>active</c> makes it the one that talks.</summary>
    public (AgentLegView View, bool Created) AddAgentLeg(string legId, AddAgentLegRequest request)
    {
        lock (_gate)
        {
            ThrowIfEnded();
            if (_agents.TryGetValue(legId, out var existing))
            {
                return existing.Request == request
                    ? (ViewOf(existing), false)
                    : throw RelayApiException.Conflict($"Leg '{legId}' already exists with another agent or offer.");
            }

            var offer = SdpChecks.Read(request.BrowserOffer, "browserOffer", BrowserOfferSetups, needsCandidate: false);
            var ice = IceCredentials.Generate();
            uint ssrc = RandomSsrc();
            string answer = WebRtcSdpBuilder.BuildBrowserAnswer(offer, LocalParameters(_media.BrowserPort.LocalEndPoint.Port, ice, ssrc)).Write();
            var leg = _media.BrowserPort.CreateLeg(new WebRtcLegOptions
            {
                LocalIce = ice, Remote = offer, Certificate = _media.Certificate, DtlsRole = DtlsRole.Server,
                IceLite = true, LocalSsrc = ssrc, Time = _media.Time,
            });
            var agent = new AgentLeg(legId, request, answer, leg, new OutboundStream(leg, _media.Time),
                offer.FindCodec("opus", 48000)!.PayloadType, SdpChecks.TelephoneEventPayloadType(offer));
            _agents.Add(legId, agent);
            WireAgentLeg(agent);
            if (request.Active)
            {
                _active = agent;
            }

            LogAgentLegAdded(_logger, Id, legId, request.Active);
            return (ViewOf(agent), true);
        }
    }

    /// <summary>Transfer: from now on this leg hears the customer and is heard; the previous one stays, silent.</summary>
    public ActiveLegView SwitchActiveLeg(string legId)
    {
        lock (_gate)
        {
            ThrowIfEnded();
            if (!_agents.TryGetValue(legId, out var next))
            {
                throw RelayApiException.LegNotFound(legId);
            }

            var previous = _active;
            _active = next;
            LogSwitched(_logger, Id, previous?.Id, legId);
            return new ActiveLegView(legId, previous?.Id);
        }
    }

    public MuteView SetMuted(string legId, bool muted)
    {
        lock (_gate)
        {
            ThrowIfEnded();
            if (!_agents.TryGetValue(legId, out var agent))
            {
                throw RelayApiException.LegNotFound(legId);
            }

            agent.Muted = muted;
            return new MuteView(legId, muted);
        }
    }

    /// <summary>Removes a silent agent leg (DTLS close_notify); the active one must be switched away first.</summary>
    public void RemoveAgentLeg(string legId)
    {
        AgentLeg? removed;
        lock (_gate)
        {
            if (!_agents.TryGetValue(legId, out removed))
            {
                return;
            }

            if (ReferenceEquals(_active, removed))
            {
                throw new RelayApiException(409, "active_leg", $"Leg '{legId}' is the active leg; switch first or end the session.");
            }

            _agents.Remove(legId);
        }

        removed.Closing = true;
        removed.Leg.Dispose();
        LogAgentLegRemoved(_logger, Id, legId);
    }

    /// <summary>
    /// Closes every leg and releases the Meta port. The recording, if any, is finished and uploaded in the
    /// background; the returned task completes when that (and the recording_ready event's publication) is done.
    /// </summary>
    public Task EndAsync(string? reason)
    {
        AgentLeg[] agents;
        lock (_gate)
        {
            if (_ending)
            {
                return Task.CompletedTask;
            }

            _ending = true;
            _active = null;
            agents = [.. _agents.Values];
            _agents.Clear();
        }

        foreach (var agent in agents)
        {
            agent.Closing = true;
            agent.Leg.Dispose();
        }

        _metaLeg?.Dispose();
        _media.MetaPorts.Return(_metaSocket, _metaPort);
        LogEnded(_logger, Id, reason ?? "(none)", Counters.ToMeta, Counters.ToAgent, Counters.Malformed);
        return _recording is null ? Task.CompletedTask : Task.Run(FinishRecordingAsync);
    }

    public void Dispose() => _ = EndAsync("disposed");

    private async Task FinishRecordingAsync()
    {
        try
        {
            var content = _recording!.Finish();
            double duration = _recording.DurationSeconds;
            var uri = await _media.Recordings.UploadAsync(Id, content, CancellationToken.None);
            LogRecordingStored(_logger, Id, uri.AbsolutePath, duration);
            _media.Events.Publish(RelayEvent.Create(RelayEvent.RecordingReady, Id, null, _media.Time.GetUtcNow(),
                new Dictionary<string, object>
                {
                    ["uri"] = uri.AbsoluteUri, ["durationSeconds"] = Math.Round(duration, 3), ["contentType"] = "audio/ogg",
                }));
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRecordingFailed(_logger, ex, Id);
        }
        finally
        {
            _recording!.Dispose();
        }
    }

    private void AttachMetaLeg(SdpMediaSummary remote, DtlsRole role)
    {
        _metaOpusPt = (byte)remote.FindCodec("opus", 48000)!.PayloadType;
        _metaDtmfPt = SdpChecks.TelephoneEventPayloadType(remote);
        _metaDtmf = _metaDtmfPt is null ? null : new DtmfDetector(SdpChecks.TelephoneEventClockRate);
        var leg = _metaSocket.CreateLeg(new WebRtcLegOptions
        {
            LocalIce = _metaIce, Remote = remote, Certificate = _media.Certificate, DtlsRole = role,
            IceLite = false, LocalSsrc = _metaSsrc, Time = _media.Time,
        });
        _toMeta = new OutboundStream(leg, _media.Time);
        _metaLeg = leg;
        WireMetaLeg(leg);
    }

    private LocalMediaParameters LocalParameters(int port, IceCredentials ice, uint ssrc) =>
        new(_media.PublicIp, port, ice.Ufrag, ice.Pwd, _media.Certificate.Sha256Fingerprint, ssrc, _media.Cname);

    private AgentLegView ViewOf(AgentLeg agent) => new(agent.Id, agent.Request.AgentId, agent.SdpAnswer, ReferenceEquals(_active, agent));

    private void ThrowIfEnded()
    {
        if (_ending)
        {
            throw new RelayApiException(404, "session_not_found", $"Session '{Id}' has ended.");
        }
    }

    private static uint RandomSsrc() => (uint)Random.Shared.NextInt64(1, uint.MaxValue);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId} asked for recording but no recording storage is configured; not recorded")]
    private static partial void LogRecordingUnavailable(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: agent leg {LegId} added (active {Active})")]
    private static partial void LogAgentLegAdded(ILogger logger, string callId, string legId, bool active);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: active leg {Previous} -> {LegId}")]
    private static partial void LogSwitched(ILogger logger, string callId, string? previous, string legId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: agent leg {LegId} removed")]
    private static partial void LogAgentLegRemoved(ILogger logger, string callId, string legId);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId} ended ({Reason}): {ToMeta} packets to Meta, {ToAgent} to agents, {Malformed} malformed dropped")]
    private static partial void LogEnded(ILogger logger, string callId, string reason, long toMeta, long toAgent, long malformed);

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: recording stored at {Path} ({Seconds} s)")]
    private static partial void LogRecordingStored(ILogger logger, string callId, string path, double seconds);

    [LoggerMessage(Level = LogLevel.Error, Message = "Call {CallId}: recording could not be stored")]
    private static partial void LogRecordingFailed(ILogger logger, Exception exception, string callId);
}
