// What the relay needs from a remote WebRTC audio description: RFC 8839 §5.4 (ice-ufrag/ice-pwd, ice-lite at
// session or media level), RFC 8122 §5 (fingerprint), RFC 8842 §3/RFC 4145 §4 (setup), RFC 8843 (BUNDLE, mid),
// RFC 5761 (rtcp-mux), RFC 5576 (ssrc), RFC 8830 (msid), RFC 8866 §6.7 (direction).
using System.Globalization;

namespace MediaRelay.WebRtc.Sdp;

public sealed record SdpMediaSummary
{
    public required string Mid { get; init; }
    public required string IceUfrag { get; init; }
    public required string IcePwd { get; init; }
    public bool IceLite { get; init; }
    public required IReadOnlyList<SdpFingerprint> Fingerprints { get; init; }
    public string? Setup { get; init; }
    public IReadOnlyList<IceCandidate> Candidates { get; init; } = [];
    public IReadOnlyList<SdpCodec> Codecs { get; init; } = [];
    public IReadOnlyList<uint> Ssrcs { get; init; } = [];
    public bool RtcpMux { get; init; }
    public string Direction { get; init; } = "sendrecv";
    public IReadOnlyList<string> BundleGroup { get; init; } = [];
    public string? Msid { get; init; }

    public SdpFingerprint? Sha256Fingerprint =>
        Fingerprints.FirstOrDefault(f => f.Algorithm.Equals("sha-256", StringComparison.OrdinalIgnoreCase));

    public SdpCodec? FindCodec(string name, int clockRate) => Codecs.FirstOrDefault(c =>
        c.Name.Equals(name, StringComparison.OrdinalIgnoreCase) && c.ClockRate == clockRate);

    /// <summary>Extracts the first audio section; false if credentials are missing or there is no audio.</summary>
    public static bool TryCreate(SessionDescription sdp, out SdpMediaSummary? summary)
    {
        ArgumentNullException.ThrowIfNull(sdp);
        summary = null;
        var audio = sdp.MediaDescriptions.FirstOrDefault(m => m.Media == "audio");
        if (audio is null)
        {
            return false;
        }

        string? ufrag = audio.Attribute("ice-ufrag") ?? sdp.Attribute("ice-ufrag");
        string? pwd = audio.Attribute("ice-pwd") ?? sdp.Attribute("ice-pwd");
        if (string.IsNullOrEmpty(ufrag) || string.IsNullOrEmpty(pwd))
        {
            return false;
        }

        var fingerprints = audio.Attributes("fingerprint").Concat(sdp.Attributes("fingerprint"))
            .Select(v => SdpFingerprint.TryParse(v, out var f) ? f : null).OfType<SdpFingerprint>().ToList();
        string? group = sdp.Attributes("group").FirstOrDefault(g => g.StartsWith("BUNDLE", StringComparison.Ordinal));
        summary = new SdpMediaSummary
        {
            Mid = audio.Attribute("mid") ?? "0",
            IceUfrag = ufrag,
            IcePwd = pwd,
            IceLite = sdp.HasAttribute("ice-lite") || audio.HasAttribute("ice-lite"),
            Fingerprints = fingerprints,
            Setup = audio.Attribute("setup") ?? sdp.Attribute("setup"),
            Candidates = audio.Attributes("candidate")
                .Select(v => IceCandidate.TryParse(v, out var c) ? c : null).OfType<IceCandidate>().ToList(),
            Codecs = ReadCodecs(audio),
            Ssrcs = audio.Attributes("ssrc")
                .Select(v => uint.TryParse(v.Split(' ')[0], NumberStyles.None, CultureInfo.InvariantCulture, out uint s) ? (uint?)s : null)
                .OfType<uint>().Distinct().ToList(),
            RtcpMux = audio.HasAttribute("rtcp-mux"),
            Direction = audio.Lines.Select(l => l.AttributeName)
                .FirstOrDefault(n => n is "sendrecv" or "sendonly" or "recvonly" or "inactive") ?? "sendrecv",
            BundleGroup = group?.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList() ?? [],
            Msid = audio.Attribute("msid"),
        };
        return true;
    }

    private static List<SdpCodec> ReadCodecs(MediaDescription audio)
    {
        var fmtp = new Dictionary<int, string>();
        foreach (string value in audio.Attributes("fmtp"))
        {
            int space = value.IndexOf(' ', StringComparison.Ordinal);
            if (space > 0 && int.TryParse(value[..space], NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                fmtp[pt] = value[(space + 1)..];
            }
        }

        var codecs = new List<SdpCodec>();
        foreach (string value in audio.Attributes("rtpmap"))
        {
            string[] parts = value.Split(' ', 2);
            if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out int pt))
            {
                continue;
            }

            string[] enc = parts[1].Split('/');
            if (enc.Length < 2 || !int.TryParse(enc[1], NumberStyles.None, CultureInfo.InvariantCulture, out int clock))
            {
                continue;
            }

            int channels = enc.Length > 2 && int.TryParse(enc[2], NumberStyles.None, CultureInfo.InvariantCulture, out int ch) ? ch : 1;
            codecs.Add(new SdpCodec(pt, enc[0], clock, channels, fmtp.GetValueOrDefault(pt)));
        }

        return codecs;
    }
}
