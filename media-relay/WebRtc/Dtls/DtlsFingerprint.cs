// RFC 8122 §5: fingerprint = hash of the DER certificate as uppercase hex pairs separated by colons; compare
// case-insensitively (published Meta samples mix cases). RFC 8842 §5: a mismatch must fail the association.
using System.Security.Cryptography;
using MediaRelay.WebRtc.Sdp;

namespace MediaRelay.WebRtc.Dtls;

public static class DtlsFingerprint
{
    public static string Sha256(ReadOnlySpan<byte> der) =>
        string.Join(':', Convert.ToHexString(SHA256.HashData(der)).Chunk(2).Select(c => new string(c)));

    /// <summary>True when <paramref name="der"/> hashes to the SDP fingerprint (only sha-256 is accepted).</summary>
    public static bool Matches(SdpFingerprint? expected, ReadOnlySpan<byte> der)
    {
        if (expected is null || !expected.Algorithm.Equals("sha-256", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        byte[]? wanted = expected.GetBytes();
        return wanted is { Length: 32 } && CryptographicOperations.FixedTimeEquals(wanted, SHA256.HashData(der));
    }
}
