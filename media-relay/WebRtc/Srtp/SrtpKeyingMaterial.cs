// RFC 5764 §4.1.2 (protection profiles), §4.2 (exporter output = client key ‖ server key ‖ client salt ‖
// server salt); the DTLS client protects with the client half, the server with the server half.
namespace MediaRelay.WebRtc.Srtp;

public enum SrtpProtectionProfile
{
    AesCm128HmacSha1Tag80 = 0x0001,
    AesCm128HmacSha1Tag32 = 0x0002,

    /// <summary>AEAD_AES_128_GCM (RFC 7714 §14.2): 16-byte key, 12-byte salt, 16-byte tag.</summary>
    AeadAes128Gcm = 0x0007,
}

/// <summary>A master key and master salt for one direction.</summary>
public sealed record SrtpMasterKey(byte[] Key, byte[] Salt);

/// <summary>The keys of both directions of a DTLS-SRTP association, from this endpoint's point of view.</summary>
public sealed record SrtpKeyingMaterial(SrtpProtectionProfile Profile, SrtpMasterKey Local, SrtpMasterKey Remote)
{
    public const int KeyLength = 16;

    /// <summary>Master salt length: 14 bytes for AES-CM (RFC 3711), 12 for AES-GCM (RFC 7714 §12).</summary>
    public static int SaltLength(SrtpProtectionProfile profile) => profile == SrtpProtectionProfile.AeadAes128Gcm ? 12 : 14;

    /// <summary>Bytes to export for <paramref name="profile"/>: 60 for AES-CM, 56 for AES-128-GCM.</summary>
    public static int ExportLength(SrtpProtectionProfile profile) => 2 * (KeyLength + SaltLength(profile));

    /// <summary>Splits exporter output (RFC 5764 §4.2) for the side that acted as DTLS client or server.</summary>
    public static SrtpKeyingMaterial FromExporter(SrtpProtectionProfile profile, ReadOnlySpan<byte> exported, bool isDtlsClient)
    {
        int saltLength = SaltLength(profile);
        if (exported.Length < ExportLength(profile))
        {
            throw new ArgumentException("Exporter output too short.", nameof(exported));
        }

        var client = new SrtpMasterKey(
            exported[..KeyLength].ToArray(), exported.Slice(2 * KeyLength, saltLength).ToArray());
        var server = new SrtpMasterKey(
            exported.Slice(KeyLength, KeyLength).ToArray(),
            exported.Slice(2 * KeyLength + saltLength, saltLength).ToArray());
        return isDtlsClient
            ? new SrtpKeyingMaterial(profile, client, server)
            : new SrtpKeyingMaterial(profile, server, client);
    }
}

/// <summary>Drop and success counters of one SRTP context (read them for stats and tests).</summary>
public sealed class SrtpCounters
{
    private long _protected;
    private long _unprotected;
    private long _malformed;
    private long _authFailed;
    private long _replayed;

    public long Protected => Interlocked.Read(ref _protected);
    public long Unprotected => Interlocked.Read(ref _unprotected);
    public long MalformedDropped => Interlocked.Read(ref _malformed);
    public long AuthenticationFailed => Interlocked.Read(ref _authFailed);
    public long ReplayDropped => Interlocked.Read(ref _replayed);
    public long Dropped => MalformedDropped + AuthenticationFailed + ReplayDropped;

    internal void CountProtected() => Interlocked.Increment(ref _protected);
    internal void CountUnprotected() => Interlocked.Increment(ref _unprotected);
    internal bool Malformed() => Drop(ref _malformed);
    internal bool AuthFailed() => Drop(ref _authFailed);
    internal bool Replayed() => Drop(ref _replayed);

    private static bool Drop(ref long counter)
    {
        Interlocked.Increment(ref counter);
        return false;
    }
}
