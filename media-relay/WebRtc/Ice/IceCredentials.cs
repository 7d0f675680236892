// RFC 8839 §5.4: ice-ufrag ≥ 4 and ice-pwd ≥ 22 characters from the ice-char set [A-Za-z0-9+/]
// (libwebrtc rejects shorter ones, webrtc-relay.md §1.2).
using System.Security.Cryptography;
using System.Text;

namespace MediaRelay.WebRtc.Ice;

public sealed record IceCredentials(string Ufrag, string Pwd)
{
    private const string IceChars = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /// <summary>UTF-8 of the password: the MESSAGE-INTEGRITY key for short-term credentials (RFC 8489 §9.1.1).</summary>
    public byte[] Key => Encoding.UTF8.GetBytes(Pwd);

    public static IceCredentials Generate() => new(RandomString(8), RandomString(24));

    private static string RandomString(int length) => RandomNumberGenerator.GetString(IceChars, length);
}

public enum IceRole
{
    Controlled,
    Controlling,
}
