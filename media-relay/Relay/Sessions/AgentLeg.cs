using MediaRelay.Bridge;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.Sessions;

/// <summary>One agent's browser leg in a session: its WebRTC leg, the stream the relay sends it, and its switches.</summary>
internal sealed class AgentLeg(string id, AddAgentLegRequest request, string sdpAnswer, WebRtcLeg leg, OutboundStream toAgent, int opusPayloadType, int? dtmfPayloadType)
{
    private long _forwardedToMeta;
    private uint _lastInboundSsrc;
    private object _source = new();

    public string Id => id;

    public AddAgentLegRequest Request => request;

    public string SdpAnswer => sdpAnswer;

    public WebRtcLeg Leg => leg;

    /// <summary>Customer audio toward this agent (only while the leg is active).</summary>
    public OutboundStream ToAgent => toAgent;

    public byte OpusPayloadType => (byte)opusPayloadType;

    public int? DtmfPayloadType => dtmfPayloadType;

    public volatile bool Muted;

    /// <summary>Set when the relay itself closes the leg (remove, end): its Closed event is then not a media loss.</summary>
    public volatile bool Closing;

    public int ConnectedReported;

    public int LostReported;

    /// <summary>Packets from this leg that reached the customer.</summary>
    public long ForwardedToMeta => Interlocked.Read(ref _forwardedToMeta);

    public void CountForwarded() => Interlocked.Increment(ref _forwardedToMeta);

    /// <summary>
    /// The source identity toward Meta: this leg, renewed when the browser changes its SSRC (a new encoder), so the
    /// outbound stream recomputes its offsets. Only called from the browser socket's receive thread.
    /// </summary>
    public object SourceFor(uint ssrc)
    {
        if (ssrc != _lastInboundSsrc)
        {
            _lastInboundSsrc = ssrc;
            _source = new object();
        }

        return _source;
    }
}
