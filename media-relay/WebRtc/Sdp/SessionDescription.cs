// RFC 8866 §5 (SDP lines "<type>=<value>", session part then media sections, each starting with "m=").
// Lines are kept in order so that writing a parsed description reproduces it (CRLF line ends, RFC 8866 §5).
using System.Text;

namespace MediaRelay.WebRtc.Sdp;

/// <summary>One SDP line: its type letter and everything after "=".</summary>
public sealed record SdpLine(char Type, string Value)
{
    /// <summary>For an attribute line ("a=name:value" or "a=name"), its name; otherwise null.</summary>
    public string? AttributeName => Type != 'a' ? null : Value.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? Value[..i] : Value;

    /// <summary>For "a=name:value", the value; for a flag attribute, the empty string; otherwise null.</summary>
    public string? AttributeValue => Type != 'a' ? null : Value.IndexOf(':', StringComparison.Ordinal) is var i and >= 0 ? Value[(i + 1)..] : string.Empty;

    public static SdpLine Attribute(string name, string? value = null) => new('a', value is null ? name : $"{name}:{value}");

    public override string ToString() => $"{Type}={Value}";
}

/// <summary>A media section: its "m=" line followed by its other lines.</summary>
public sealed record MediaDescription(IReadOnlyList<SdpLine> Lines)
{
    /// <summary>The m= line value split into its words: media, port, proto, formats…</summary>
    public IReadOnlyList<string> MediaLineWords =>
        Lines.Count > 0 && Lines[0].Type == 'm' ? Lines[0].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries) : [];

    public string Media => MediaLineWords.Count > 0 ? MediaLineWords[0] : string.Empty;

    public int Port => MediaLineWords.Count > 1 && int.TryParse(MediaLineWords[1], out int port) ? port : 0;

    public IEnumerable<string> Attributes(string name) =>
        Lines.Where(l => l.AttributeName == name).Select(l => l.AttributeValue!);

    public string? Attribute(string name) => Attributes(name).FirstOrDefault();

    public bool HasAttribute(string name) => Lines.Any(l => l.AttributeName == name);

    public string? Connection => Lines.FirstOrDefault(l => l.Type == 'c')?.Value;
}

/// <summary>A parsed session description (session-level lines and media sections, in order).</summary>
public sealed record SessionDescription(IReadOnlyList<SdpLine> SessionLines, IReadOnlyList<MediaDescription> MediaDescriptions)
{
    public IEnumerable<string> Attributes(string name) =>
        SessionLines.Where(l => l.AttributeName == name).Select(l => l.AttributeValue!);

    public string? Attribute(string name) => Attributes(name).FirstOrDefault();

    public bool HasAttribute(string name) => SessionLines.Any(l => l.AttributeName == name);

    /// <summary>Writes the description with CRLF line ends (RFC 8866 §5).</summary>
    public string Write()
    {
        var text = new StringBuilder();
        foreach (var line in SessionLines.Concat(MediaDescriptions.SelectMany(m => m.Lines)))
        {
            text.Append(line.Type).Append('=').Append(line.Value).Append("\r\n");
        }

        return text.ToString();
    }

    public override string ToString() => Write();
}
