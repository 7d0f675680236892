using MediaRelay.Api;
using MediaRelay.WebRtc.Sdp;

namespace MediaRelay.Sessions;

/// <summary>
/// Turns an SDP text from the function app into a usable remote description, or the problem to answer: text that
/// is not SDP is a 400 naming the field; SDP we cannot use (no Opus, no ICE credentials, no SHA-256 fingerprint, no
/// rtcp-mux, a wrong <c>a=setup</c>, no candidate to check) is a 422 <c>sdp_rejected</c>.
/// </summary>
internal static class SdpChecks
{
    public static SdpMediaSummary Read(string text, string field, string[] allowedSetups, bool needsCandidate)
    {
        if (!SdpParser.TryParse(text, out var description) || description is null)
        {
            throw RelayApiException.Invalid(field, $"{field} is not an SDP session description.");
        }

        if (!SdpMediaSummary.TryCreate(description, out var summary) || summary is null)
        {
            throw RelayApiException.SdpRejected($"{field} has no usable audio section with ICE credentials and a fingerprint.");
        }

        if (summary.FindCodec("opus", 48000) is null)
        {
            throw RelayApiException.SdpRejected($"{field} does not offer opus/48000.");
        }

        if (summary.Sha256Fingerprint is null)
        {
            throw RelayApiException.SdpRejected($"{field} has no sha-256 fingerprint.");
        }

        if (!summary.RtcpMux)
        {
            throw RelayApiException.SdpRejected($"{field} does not use rtcp-mux.");
        }

        if (summary.Setup is null || !allowedSetups.Contains(summary.Setup, StringComparer.OrdinalIgnoreCase))
        {
            throw RelayApiException.SdpRejected($"{field} has a=setup:{summary.Setup ?? "(none)"}; expected {string.Join(" or ", allowedSetups)}.");
        }

        if (needsCandidate && !summary.Candidates.Any(c => c.IsUdp && c.Component == 1 && c.EndPoint is not null))
        {
            throw RelayApiException.SdpRejected($"{field} has no UDP host candidate for the relay's connectivity checks.");
        }

        return summary;
    }

    /// <summary>The only DTMF clock Meta uses (whatsapp-calling-api.md §5.7), and the one we offer browsers.</summary>
    public const int TelephoneEventClockRate = 8000;

    public static int? TelephoneEventPayloadType(SdpMediaSummary summary) =>
        summary.Codecs.FirstOrDefault(c => c.Name.Equals("telephone-event", StringComparison.OrdinalIgnoreCase) && c.ClockRate == TelephoneEventClockRate)?.PayloadType;
}
