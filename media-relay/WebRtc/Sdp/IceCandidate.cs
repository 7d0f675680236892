// RFC 8839 §5.1: a=candidate:<foundation> <component> <transport> <priority> <address> <port> typ <type>
// [raddr <addr>] [rport <port>] *(<extension name> <value>).
using System.Globalization;
using System.Net;

namespace MediaRelay.WebRtc.Sdp;

public sealed record IceCandidate(
    string Foundation, int Component, string Transport, uint Priority, string Address, int Port, string Type)
{
    /// <summary>RFC 8445 §5.1.2.1 priority for a host candidate of component 1 with local preference 65535.</summary>
    public const uint HostPriority = 2130706431;

    /// <summary>The address as an IP endpoint, or null for FQDN/mDNS candidates.</summary>
    public IPEndPoint? EndPoint => IPAddress.TryParse(Address, out var ip) ? new IPEndPoint(ip, Port) : null;

    public bool IsUdp => Transport.Equals("udp", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string value, out IceCandidate? candidate)
    {
        candidate = null;
        string[] w = value.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        if (w.Length < 8 || w[6] != "typ"
            || !int.TryParse(w[1], NumberStyles.None, CultureInfo.InvariantCulture, out int component)
            || !uint.TryParse(w[3], NumberStyles.None, CultureInfo.InvariantCulture, out uint priority)
            || !int.TryParse(w[5], NumberStyles.None, CultureInfo.InvariantCulture, out int port) || port > 65535)
        {
            return false;
        }

        candidate = new IceCandidate(w[0], component, w[2], priority, w[4], port, w[7]);
        return true;
    }

    public string ToAttributeValue() => $"{Foundation} {Component} {Transport} {Priority} {Address} {Port} typ {Type}";
}

/// <summary>a=fingerprint (RFC 8122 §5): hash function name and colon-separated uppercase hex.</summary>
public sealed record SdpFingerprint(string Algorithm, string Value)
{
    public static bool TryParse(string value, out SdpFingerprint? fingerprint)
    {
        fingerprint = null;
        int space = value.IndexOf(' ', StringComparison.Ordinal);
        if (space <= 0 || space == value.Length - 1)
        {
            return false;
        }

        fingerprint = new SdpFingerprint(value[..space].ToLowerInvariant(), value[(space + 1)..].Trim());
        return true;
    }

    /// <summary>The fingerprint bytes, or null if the hex is malformed.</summary>
    public byte[]? GetBytes()
    {
        string hex = Value.Replace(":", string.Empty, StringComparison.Ordinal);
        try
        {
            return hex.Length % 2 == 0 ? Convert.FromHexString(hex) : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }

    public string ToAttributeValue() => $"{Algorithm} {Value}";
}

/// <summary>An rtpmap entry (RFC 8866 §6.6) with its fmtp parameters (RFC 8866 §6.15), if any.</summary>
public sealed record SdpCodec(int PayloadType, string Name, int ClockRate, int Channels, string? FormatParameters)
{
    public string ToRtpmapValue() =>
        Channels > 1 ? $"{PayloadType} {Name}/{ClockRate}/{Channels}" : $"{PayloadType} {Name}/{ClockRate}";
}
