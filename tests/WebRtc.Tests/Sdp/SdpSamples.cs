namespace MediaRelay.WebRtc.Tests.Sdp;

/// <summary>SDP texts shaped like the offers recorded in webrtc-relay.md §5.1 and whatsapp-calling-api.md §5.2
/// (placeholders filled with documentation addresses and made-up identifiers).</summary>
internal static class SdpSamples
{
    public const string MetaUserInitiatedOffer =
        "v=0\r\n" +
        "o=- 1732451234567 2 IN IP4 127.0.0.1\r\n" +
        "s=-\r\n" +
        "t=0 0\r\n" +
        "a=group:BUNDLE audio\r\n" +
        "a=msid-semantic: WMS 3f1c2b7e-9a41-4c55-8d0e-0b6f2a9c1d44\r\n" +
        "a=ice-lite\r\n" +
        "m=audio 3480 UDP/TLS/RTP/SAVPF 111 126\r\n" +
        "c=IN IP4 157.240.0.10\r\n" +
        "a=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=candidate:2372936401 1 udp 2122260223 157.240.0.10 3480 typ host generation 0 network-cost 50\r\n" +
        "a=candidate:1908512002 1 udp 2122262783 2a03:2880:f20c:1::6733 3480 typ host generation 0 network-cost 50\r\n" +
        "a=ice-ufrag:Kq2b7RZx0PfLm3Ws\r\n" +
        "a=ice-pwd:X29zIx+RGAlhVLF1/lo0oQ==\r\n" +
        "a=fingerprint:sha-256 6B:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n" +
        "a=setup:actpass\r\n" +
        "a=mid:audio\r\n" +
        "a=sendrecv\r\n" +
        "a=msid:3f1c2b7e-9a41-4c55-8d0e-0b6f2a9c1d44 WhatsAppTrack1\r\n" +
        "a=rtcp-mux\r\n" +
        "a=rtpmap:111 opus/48000/2\r\n" +
        "a=rtcp-fb:111 transport-cc\r\n" +
        "a=fmtp:111 maxaveragebitrate=20000;maxplaybackrate=16000;minptime=20;sprop-maxcapturerate=16000;useinbandfec=1\r\n" +
        "a=rtpmap:126 telephone-event/8000\r\n" +
        "a=maxptime:20\r\n" +
        "a=ptime:20\r\n" +
        "a=ssrc:1426395310 cname:WhatsAppAudioStream1\r\n";

    /// <summary>Older Meta sample: extmap lines, no fmtp caps (whatsapp-calling-api.md §5.2).</summary>
    public const string MetaOfferWithExtmap =
        "v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE audio\r\na=ice-lite\r\n" +
        "m=audio 3478 UDP/TLS/RTP/SAVPF 111 126\r\nc=IN IP4 157.240.0.11\r\n" +
        "a=candidate:1 1 udp 2122260223 157.240.0.11 3478 typ host generation 0 network-cost 50\r\n" +
        "a=ice-ufrag:abcdabcdabcdabcd\r\na=ice-pwd:abcdefghijklmnopqrstuv==\r\n" +
        "a=fingerprint:sha-256 6b:8B:F0:65:5F:78:E2:51:3B:AC:6F:F3:3F:46:1B:35:DC:B8:5F:64:1A:24:C2:43:F0:A1:58:D0:A1:2C:19:08\r\n" +
        "a=setup:actpass\r\na=mid:audio\r\n" +
        "a=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
        "a=extmap:2 http://www.webrtc.org/experiments/rtp-hdrext/abs-send-time\r\n" +
        "a=extmap:3 http://www.ietf.org/id/draft-holmer-rmcat-transport-wide-cc-extensions-01\r\n" +
        "a=sendrecv\r\na=rtcp-mux\r\na=rtpmap:111 opus/48000/2\r\na=rtpmap:126 telephone-event/8000\r\n" +
        "a=ssrc:99 cname:WhatsAppAudioStream1\r\n";

    /// <summary>A Chromium audio-only offer as produced by createOffer() (shape of Chromium 13x–15x).</summary>
    public const string ChromiumOffer =
        "v=0\r\no=- 4611731400430051336 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\na=group:BUNDLE 0\r\n" +
        "a=extmap-allow-mixed\r\na=msid-semantic: WMS 5b1f\r\n" +
        "m=audio 9 UDP/TLS/RTP/SAVPF 111 63 9 0 8 13 110 126\r\nc=IN IP4 0.0.0.0\r\na=rtcp:9 IN IP4 0.0.0.0\r\n" +
        "a=ice-ufrag:8hhY\r\na=ice-pwd:asd88fgpdd777uzjYhagZg5E\r\na=ice-options:trickle\r\n" +
        "a=fingerprint:sha-256 D2:FA:0E:C3:22:59:5E:14:95:69:92:3D:13:B4:84:24:2C:C2:A2:C0:3E:FD:34:8E:5E:EA:6F:AF:52:CE:E6:0F\r\n" +
        "a=setup:actpass\r\na=mid:0\r\na=extmap:1 urn:ietf:params:rtp-hdrext:ssrc-audio-level\r\n" +
        "a=sendrecv\r\na=msid:5b1f 0c4a\r\na=rtcp-mux\r\na=rtcp-rsize\r\n" +
        "a=rtpmap:111 opus/48000/2\r\na=rtcp-fb:111 transport-cc\r\na=fmtp:111 minptime=10;useinbandfec=1\r\n" +
        "a=rtpmap:63 red/48000/2\r\na=fmtp:63 111/111\r\na=rtpmap:9 G722/8000\r\na=rtpmap:0 PCMU/8000\r\n" +
        "a=rtpmap:8 PCMA/8000\r\na=rtpmap:13 CN/8000\r\na=rtpmap:110 telephone-event/48000\r\n" +
        "a=rtpmap:126 telephone-event/8000\r\na=ssrc:3735928559 cname:Xk3v\r\na=ssrc:3735928559 msid:5b1f 0c4a\r\n";
}
