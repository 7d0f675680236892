using MediaRelay.Bridge;
using MediaRelay.Events;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.Sessions;

// The bridge (webrtc-relay.md §4): Opus passthrough between the Meta leg and the active agent leg. Each leg's
// SRTP is decrypted by WebRtcLeg; here packets are checked, rewritten by the receiving side's OutboundStream and
// re-protected with that leg's keys. RTCP is terminated per leg: inbound reports are counted and dropped, and the
// media clock sends each leg a sender report for the stream the relay sends it.
internal sealed partial class RelaySession
{
    /// <summary>No agent audio toward Meta for this long ⇒ the relay's silence takes over (keeps Meta's call alive).</summary>
    private static readonly TimeSpan SilenceAfter = TimeSpan.FromMilliseconds(100);

    private static readonly TimeSpan SenderReportInterval = TimeSpan.FromSeconds(5);

    private readonly byte[] _rtcpBuffer = new byte[256];
    private Action<ReadOnlySpan<byte>, RtpHeader>? _recordAgentSide;
    private Action<DtmfDigit>? _dtmfPressed;
    private volatile bool _silenceRunning;
    private uint _lastMetaSsrc;
    private object _metaSourceToken = new();
    private long _lastSenderReportAt;

    /// <summary>Called by the relay-wide media clock every 20 ms: silence toward Meta when needed, periodic RTCP.</summary>
    public void OnClockTick()
    {
        if (_ending || _toMeta is not { } toMeta || !toMeta.Leg.Connected.IsCompletedSuccessfully)
        {
            return;
        }

        long now = _media.Time.GetTimestamp();
        // Once silence runs it is the last source, so it keeps going at the tick rate (20 ms) until an agent speaks.
        if (toMeta.LastSentAt == 0 || _silenceRunning || _media.Time.GetElapsedTime(toMeta.LastSentAt, now) >= SilenceAfter)
        {
            SendSilence(toMeta);
        }

        if (_media.Time.GetElapsedTime(_lastSenderReportAt, now) >= SenderReportInterval)
        {
            _lastSenderReportAt = now;
            SendSenderReport(toMeta);
            if (_active is { } agent && agent.Leg.Connected.IsCompletedSuccessfully)
            {
                SendSenderReport(agent.ToAgent);
            }
        }
    }

    private void SendSilence(OutboundStream toMeta)
    {
        var packet = _silence.Next(out var header);
        if (toMeta.Forward(_silence, packet, header, _metaOpusPt, RecordAgentSideHandler))
        {
            _silenceRunning = true;
            Counters.CountSilence();
        }
    }

    private void SendSenderReport(OutboundStream stream)
    {
        var (timestamp, sentAt, packets, octets) = stream.Snapshot();
        if (packets == 0)
        {
            return;
        }

        var now = _media.Time.GetUtcNow();
        uint rtpNow = unchecked(timestamp + (uint)(_media.Time.GetElapsedTime(sentAt).TotalMilliseconds * 48));
        var buffer = _rtcpBuffer.AsSpan();
        int length = RtcpWriter.WriteSenderReport(buffer, new RtcpSenderReport(stream.Ssrc, NtpTimestamp(now), rtpNow, packets, octets, []));
        length += RtcpWriter.WriteSdesCname(buffer[length..], stream.Ssrc, _media.Cname);
        stream.Leg.SendRtcp(buffer[..length]);
    }

    private static ulong NtpTimestamp(DateTimeOffset now)
    {
        const long NtpEpochOffsetSeconds = 2_208_988_800;
        long ticks = now.UtcTicks - DateTimeOffset.UnixEpoch.UtcTicks;
        ulong seconds = (ulong)(ticks / TimeSpan.TicksPerSecond + NtpEpochOffsetSeconds);
        ulong fraction = (ulong)(ticks % TimeSpan.TicksPerSecond) * (1UL << 32) / TimeSpan.TicksPerSecond;
        return (seconds << 32) | fraction;
    }

    private void WireMetaLeg(WebRtcLeg leg)
    {
        leg.RtpReceived += OnMetaRtp;
        leg.RtcpReceived += (_, _) => Counters.CountRtcp();
        leg.Closed += (_, error) => ReportLost(MetaLegId, error, _metaConnectedReported == 1, ref _metaLostReported);
        _ = leg.Connected.ContinueWith(t => ReportLost(MetaLegId, t.Exception?.InnerException, false, ref _metaLostReported),
            CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void WireAgentLeg(AgentLeg agent)
    {
        agent.Leg.RtpReceived += (_, packet) => OnAgentRtp(agent, packet);
        agent.Leg.RtcpReceived += (_, _) => Counters.CountRtcp();
        agent.Leg.Closed += (_, error) =>
        {
            if (!agent.Closing)
            {
                ReportLost(agent.Id, error, agent.ConnectedReported == 1, ref agent.LostReported);
            }
        };
        _ = agent.Leg.Connected.ContinueWith(t =>
        {
            if (!agent.Closing)
            {
                ReportLost(agent.Id, t.Exception?.InnerException, false, ref agent.LostReported);
            }
        }, CancellationToken.None, TaskContinuationOptions.OnlyOnFaulted, TaskScheduler.Default);
    }

    private void OnMetaRtp(WebRtcLeg leg, ReadOnlySpan<byte> packet)
    {
        if (Interlocked.Exchange(ref _metaConnectedReported, 1) == 0)
        {
            ReportConnected(MetaLegId, leg);
        }

        if (!RtpHeader.TryParse(packet, out var header) || header.PayloadLength(packet.Length) < 0)
        {
            Counters.CountMalformed();
            return;
        }

        if (header.PayloadType == _metaOpusPt)
        {
            _recording?.AddCaller(packet, header);
            _metaDtmf?.OnAudio(DtmfPressedHandler);
        }
        else if (header.PayloadType == _metaDtmfPt)
        {
            _metaDtmf?.OnEvent(header.Timestamp, packet.Slice(header.HeaderLength, header.PayloadLength(packet.Length)), DtmfPressedHandler);
        }

        if (_active is not { } agent || !agent.Leg.Connected.IsCompletedSuccessfully)
        {
            Counters.CountNotForwarded();
            return;
        }

        byte? payloadType = header.PayloadType == _metaOpusPt ? agent.OpusPayloadType
            : header.PayloadType == _metaDtmfPt && agent.DtmfPayloadType is { } dtmf ? (byte)dtmf : null;
        if (payloadType is null)
        {
            Counters.CountMalformed();
            return;
        }

        if (header.Ssrc != _lastMetaSsrc)
        {
            _lastMetaSsrc = header.Ssrc;
            _metaSourceToken = new object();
        }

        if (agent.ToAgent.Forward(_metaSourceToken, packet, header, payloadType.Value))
        {
            Counters.CountToAgent();
        }
    }

    private void OnAgentRtp(AgentLeg agent, ReadOnlySpan<byte> packet)
    {
        if (Interlocked.Exchange(ref agent.ConnectedReported, 1) == 0)
        {
            ReportConnected(agent.Id, agent.Leg);
        }

        if (!RtpHeader.TryParse(packet, out var header) || header.PayloadLength(packet.Length) < 0)
        {
            Counters.CountMalformed();
            return;
        }

        if (!ReferenceEquals(_active, agent) || agent.Muted || _toMeta is not { } toMeta)
        {
            Counters.CountNotForwarded();
            return;
        }

        byte? payloadType = header.PayloadType == agent.OpusPayloadType ? _metaOpusPt
            : header.PayloadType == agent.DtmfPayloadType && _metaDtmfPt is { } dtmf ? (byte)dtmf : null;
        if (payloadType is null)
        {
            Counters.CountMalformed();
            return;
        }

        if (toMeta.Forward(agent.SourceFor(header.Ssrc), packet, header, payloadType.Value, RecordAgentSideHandler))
        {
            _silenceRunning = false;
            Counters.CountToMeta();
            agent.CountForwarded();
        }
    }

    private Action<DtmfDigit> DtmfPressedHandler => _dtmfPressed ??= OnDtmfPressed;

    /// <summary>
    /// Browsers cannot receive DTMF (webrtc-relay.md §4.5), so the customer's keys go to the function app as events.
    /// The key is never logged (it may be part of a PIN): only the event carries it.
    /// </summary>
    private void OnDtmfPressed(DtmfDigit pressed)
    {
        LogDtmf(_logger, Id);
        _media.Events.Publish(RelayEvent.Create(RelayEvent.Dtmf, Id, MetaLegId, _media.Time.GetUtcNow(),
            new Dictionary<string, object> { ["digit"] = pressed.Digit.ToString(), ["durationMs"] = pressed.DurationMs }));
    }

    /// <summary>Records what the customer hears (agent audio and silence) as it is sent; null without recording.</summary>
    private Action<ReadOnlySpan<byte>, RtpHeader>? RecordAgentSideHandler => _recording is null ? null : _recordAgentSide ??= RecordAgentSide;

    private void RecordAgentSide(ReadOnlySpan<byte> packet, RtpHeader header)
    {
        if (header.PayloadType == _metaOpusPt)
        {
            _recording!.AddAgent(packet, header);
        }
    }

    private void ReportConnected(string legId, WebRtcLeg leg)
    {
        LogMediaConnected(_logger, Id, legId, leg.SelectedRemote?.ToString());
        var data = new Dictionary<string, object>();
        if (leg.SelectedRemote is { } remote)
        {
            data["remoteAddress"] = remote.ToString();
        }

        _media.Events.Publish(RelayEvent.Create(RelayEvent.MediaConnected, Id, legId, _media.Time.GetUtcNow(), data));
    }

    private void ReportLost(string legId, Exception? error, bool connected, ref int reported)
    {
        if (_ending || Interlocked.Exchange(ref reported, 1) != 0)
        {
            return;
        }

        string reason = error switch
        {
            null => "dtls_closed",
            IceFailedException => connected ? "consent_expired" : "ice_failed",
            DtlsHandshakeException => "dtls_failed",
            _ => "transport_error",
        };
        LogMediaLost(_logger, Id, legId, reason, error?.Message);
        _media.Events.Publish(RelayEvent.Create(RelayEvent.MediaLost, Id, legId, _media.Time.GetUtcNow(),
            new Dictionary<string, object> { ["reason"] = reason }));
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Call {CallId}: media connected on leg {LegId} from {Remote}")]
    private static partial void LogMediaConnected(ILogger logger, string callId, string legId, string? remote);

    [LoggerMessage(Level = LogLevel.Debug, Message = "Call {CallId}: the customer pressed a key (reported as a dtmf event)")]
    private static partial void LogDtmf(ILogger logger, string callId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Call {CallId}: media lost on leg {LegId} ({Reason}: {Detail})")]
    private static partial void LogMediaLost(ILogger logger, string callId, string legId, string reason, string? detail);
}
