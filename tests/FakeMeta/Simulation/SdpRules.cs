namespace FakeMeta.Simulation;

/// <summary>
/// The SDP checks Meta applies that a fake can apply cheaply (whatsapp-calling-api.md §5.3, §5.4): real CRLF line
/// ends, one audio m-line, a SHA-256 fingerprint, and the DTLS role each side must take. Returns a problem or null.
/// </summary>
public static class SdpRules
{
    public static string? ProblemWithOffer(string? sdp) => Common(sdp) ?? (sdp!.Contains("a=setup:actpass", StringComparison.Ordinal)
        ? null
        : "A business offer must carry a=setup:actpass (§5.4).");

    public static string? ProblemWithAnswer(string? sdp)
    {
        if (Common(sdp) is { } problem)
        {
            return problem;
        }

        if (!sdp!.Contains("a=setup:active", StringComparison.Ordinal))
        {
            return "The business answer must carry a=setup:active (§5.3).";
        }

        return sdp.Contains("a=ice-lite", StringComparison.Ordinal) ? "The business answer must not be ICE-lite (§5.3)." : null;
    }

    private static string? Common(string? sdp)
    {
        if (string.IsNullOrWhiteSpace(sdp))
        {
            return "session.sdp is required.";
        }

        if (!sdp.StartsWith("v=0\r\n", StringComparison.Ordinal))
        {
            return "SDP must start with v=0 and use CRLF line ends (§5.3).";
        }

        var lines = sdp.Split("\r\n");
        if (lines.Any(l => l.Contains('\n', StringComparison.Ordinal)))
        {
            return "SDP lines must end with CRLF, not bare LF (§5.3).";
        }

        var media = lines.Where(l => l.StartsWith("m=", StringComparison.Ordinal)).ToList();
        if (media.Count != 1 || !media[0].StartsWith("m=audio ", StringComparison.Ordinal))
        {
            return "SDP must have exactly one audio m-line (§5.3).";
        }

        return lines.Any(l => l.StartsWith("a=fingerprint:sha-256 ", StringComparison.OrdinalIgnoreCase))
            ? null
            : "No fingerprint found in SDP (§5.3: a=fingerprint:sha-256 is required).";
    }

    /// <summary>A Meta-style SDP (ICE-lite, host candidates, setup:active) for the fake's own answers.</summary>
    public static string MetaAnswer() => string.Join("\r\n",
        "v=0",
        "o=- 1763800000000 2 IN IP4 127.0.0.1",
        "s=-",
        "t=0 0",
        "a=group:BUNDLE audio",
        "a=ice-lite",
        "m=audio 3480 UDP/TLS/RTP/SAVPF 111 126",
        "c=IN IP4 127.0.0.1",
        "a=candidate:1 1 udp 2122260223 127.0.0.1 3480 typ host generation 0",
        "a=ice-ufrag:fakemetaufrag001",
        "a=ice-pwd:fakemetaicepasswordxxxxx==",
        "a=fingerprint:sha-256 " + string.Join(':', Enumerable.Repeat("AB", 32)),
        "a=setup:active",
        "a=mid:audio",
        "a=sendrecv",
        "a=rtcp-mux",
        "a=rtpmap:111 opus/48000/2",
        "a=rtpmap:126 telephone-event/8000",
        "");

    /// <summary>A Meta-style user-initiated offer (setup:actpass), for tests that need one.</summary>
    public static string MetaOffer() => MetaAnswer().Replace("a=setup:active", "a=setup:actpass", StringComparison.Ordinal);

    /// <summary>A business-style offer (full ICE, setup:actpass) that passes <see cref="ProblemWithOffer"/>.</summary>
    public static string BusinessOffer() => MetaAnswer()
        .Replace("a=ice-lite\r\n", "", StringComparison.Ordinal)
        .Replace("a=setup:active", "a=setup:actpass", StringComparison.Ordinal);

    /// <summary>A business-style answer (full ICE, setup:active) that passes <see cref="ProblemWithAnswer"/>.</summary>
    public static string BusinessAnswer() => MetaAnswer().Replace("a=ice-lite\r\n", "", StringComparison.Ordinal);
}
