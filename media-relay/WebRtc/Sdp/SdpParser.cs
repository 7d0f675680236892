// RFC 8866 §5: "<type>=<value>" lines; we accept CRLF or bare LF, skip blank lines and ignore lines that are not
// of that shape (tolerance beats rejection for a relay that only needs a subset). Session part must start with v=.
namespace MediaRelay.WebRtc.Sdp;

public static class SdpParser
{
    /// <summary>Parses <paramref name="text"/>; false (never an exception) when it is not an SDP at all.</summary>
    public static bool TryParse(string? text, out SessionDescription? description)
    {
        description = null;
        if (string.IsNullOrEmpty(text))
        {
            return false;
        }

        var session = new List<SdpLine>();
        var media = new List<MediaDescription>();
        List<SdpLine>? current = null;
        foreach (var raw in text.Split('\n'))
        {
            string line = raw.EndsWith('\r') ? raw[..^1] : raw;
            if (line.Length < 2 || line[1] != '=' || !char.IsAsciiLetterLower(line[0]))
            {
                continue;
            }

            var sdpLine = new SdpLine(line[0], line[2..]);
            if (sdpLine.Type == 'm')
            {
                current = [sdpLine];
                media.Add(new MediaDescription(current));
            }
            else if (current is not null)
            {
                current.Add(sdpLine);
            }
            else
            {
                session.Add(sdpLine);
            }
        }

        if (session.Count == 0 || session[0].Type != 'v')
        {
            return false;
        }

        description = new SessionDescription(session, media);
        return true;
    }

    public static SessionDescription Parse(string text) =>
        TryParse(text, out var description) ? description! : throw new FormatException("Not an SDP session description.");
}
