// Shapes from webrtc-relay.md §5.2/§5.3 and whatsapp-calling-api.md §5.3/§5.4: JSEP (RFC 8829 §5.2/§5.3) audio
// offers and answers; RFC 8842 §5 (setup: offers actpass, answers active/passive); RFC 8839 §5.3 (ice-lite is a
// session attribute); RFC 8122 §5 (one sha-256 fingerprint: Meta rejects other hash lines).
using System.Globalization;

namespace MediaRelay.WebRtc.Sdp;

/// <summary>This endpoint's side of a leg as it appears in SDP.</summary>
public sealed record LocalMediaParameters(
    System.Net.IPAddress Address,
    int Port,
    string IceUfrag,
    string IcePwd,
    string Sha256Fingerprint,
    uint Ssrc,
    string Cname)
{
    public ulong SessionId { get; init; } = (ulong)Random.Shared.NextInt64(1, long.MaxValue);
    public string StreamId { get; init; } = Guid.NewGuid().ToString("N");
    public string TrackId { get; init; } = Guid.NewGuid().ToString("N");
}

/// <summary>Builds the four SDP shapes the relay sends (to Meta and to browsers).</summary>
public static class WebRtcSdpBuilder
{
    /// <summary>Meta's default Opus constraints, used when there is no remote fmtp to mirror.</summary>
    public const string MetaOpusParameters =
        "maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1";

    private const int OpusPayloadType = 111;
    private const int TelephoneEventPayloadType = 126;

    /// <summary>Answer to Meta's user-initiated offer: full ICE, setup:active (DTLS client), Opus fmtp mirrored.</summary>
    public static SessionDescription BuildMetaAnswer(SdpMediaSummary offer, LocalMediaParameters local)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var opus = offer.FindCodec("opus", 48000);
        return Build(local, iceLite: false, setup: "active", offer.Mid, withMsid: false,
            opus?.PayloadType ?? OpusPayloadType, opus?.FormatParameters ?? MetaOpusParameters, OffersDtmf(offer));
    }

    /// <summary>Offer to Meta on a business-initiated call: full ICE, setup:actpass (Meta answers active).</summary>
    public static SessionDescription BuildMetaOffer(LocalMediaParameters local) =>
        Build(local, iceLite: false, setup: "actpass", "audio", withMsid: true, OpusPayloadType, MetaOpusParameters, withDtmf: true);

    /// <summary>Offer to a browser: ICE-lite, setup:actpass (the browser answers active; we are DTLS server).</summary>
    public static SessionDescription BuildBrowserOffer(LocalMediaParameters local, string opusParameters = MetaOpusParameters) =>
        Build(local, iceLite: true, setup: "actpass", "0", withMsid: true, OpusPayloadType, opusParameters, withDtmf: true);

    /// <summary>Answer to a browser's offer: ICE-lite, setup:passive (DTLS server), the browser's mid echoed.</summary>
    public static SessionDescription BuildBrowserAnswer(
        SdpMediaSummary offer, LocalMediaParameters local, string opusParameters = MetaOpusParameters)
    {
        ArgumentNullException.ThrowIfNull(offer);
        var opus = offer.FindCodec("opus", 48000);
        return Build(local, iceLite: true, setup: "passive", offer.Mid, withMsid: true,
            opus?.PayloadType ?? OpusPayloadType, opusParameters, OffersDtmf(offer));
    }

    /// <summary>An answer may only list formats the offer had (RFC 3264 §6.1): DTMF only if offered at 8000 Hz on 126.</summary>
    private static bool OffersDtmf(SdpMediaSummary offer) =>
        offer.Codecs.Any(c => c.PayloadType == TelephoneEventPayloadType
            && c.Name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase) && c.ClockRate == 8000);

    private static SessionDescription Build(
        LocalMediaParameters local, bool iceLite, string setup, string mid, bool withMsid, int opusPt, string opusFmtp,
        bool withDtmf)
    {
        ArgumentNullException.ThrowIfNull(local);
        string family = local.Address.AddressFamily == System.Net.Sockets.AddressFamily.InterNetworkV6 ? "IP6" : "IP4";
        string address = local.Address.ToString();
        var session = new List<SdpLine>
        {
            new('v', "0"),
            new('o', $"- {local.SessionId.ToString(CultureInfo.InvariantCulture)} 2 IN {family} {address}"),
            new('s', "-"),
            new('t', "0 0"),
        };
        if (iceLite)
        {
            session.Add(SdpLine.Attribute("ice-lite"));
        }

        session.Add(SdpLine.Attribute("group", $"BUNDLE {mid}"));
        if (withMsid)
        {
            session.Add(SdpLine.Attribute("msid-semantic", $" WMS {local.StreamId}"));
        }

        var candidate = new IceCandidate("1", 1, "udp", IceCandidate.HostPriority, address, local.Port, "host");
        var media = new List<SdpLine>
        {
            new('m', $"audio {local.Port} UDP/TLS/RTP/SAVPF {opusPt}" + (withDtmf ? $" {TelephoneEventPayloadType}" : string.Empty)),
            new('c', $"IN {family} {address}"),
            SdpLine.Attribute("rtcp", $"{local.Port} IN {family} {address}"),
            SdpLine.Attribute("candidate", candidate.ToAttributeValue()),
            SdpLine.Attribute("end-of-candidates"),
            SdpLine.Attribute("ice-ufrag", local.IceUfrag),
            SdpLine.Attribute("ice-pwd", local.IcePwd),
            SdpLine.Attribute("fingerprint", $"sha-256 {local.Sha256Fingerprint}"),
            SdpLine.Attribute("setup", setup),
            SdpLine.Attribute("mid", mid),
            SdpLine.Attribute("sendrecv"),
        };
        if (withMsid)
        {
            media.Add(SdpLine.Attribute("msid", $"{local.StreamId} {local.TrackId}"));
        }

        media.Add(SdpLine.Attribute("rtcp-mux"));
        media.Add(SdpLine.Attribute("rtpmap", $"{opusPt} opus/48000/2"));
        media.Add(SdpLine.Attribute("fmtp", $"{opusPt} {opusFmtp}"));
        if (withDtmf)
        {
            media.Add(SdpLine.Attribute("rtpmap", $"{TelephoneEventPayloadType} telephone-event/8000"));
        }

        media.Add(SdpLine.Attribute("ptime", "20"));
        media.Add(SdpLine.Attribute("maxptime", "20"));
        media.Add(SdpLine.Attribute("ssrc", $"{local.Ssrc.ToString(CultureInfo.InvariantCulture)} cname:{local.Cname}"));
        return new SessionDescription(session, [new MediaDescription(media)]);
    }
}
