// RFC 5764 §4.2 with RFC 5705 §4: keying material = PRF(master_secret, "EXTRACTOR-dtls_srtp",
// client_random ‖ server_random)[0..60] (no context value). BouncyCastle 1.8.10 zeroes the master secret right
// after NotifyHandshakeComplete, so this runs inside that callback (webrtc-relay.md §0.5).
using MediaRelay.WebRtc.Srtp;
using Org.BouncyCastle.Crypto.Tls;
using SrtpProtectionProfile = MediaRelay.WebRtc.Srtp.SrtpProtectionProfile;

namespace MediaRelay.WebRtc.Dtls;

internal static class DtlsSrtpKeyExport
{
    /// <summary>Default preference: SRTP_AES128_CM_HMAC_SHA1_80 first (webrtc-relay.md §0.4), then AEAD_AES_128_GCM.</summary>
    public static readonly IReadOnlyList<SrtpProtectionProfile> DefaultProfiles =
        [SrtpProtectionProfile.AesCm128HmacSha1Tag80, SrtpProtectionProfile.AeadAes128Gcm];

    public static int[] ToWire(IReadOnlyList<SrtpProtectionProfile> profiles) => profiles.Select(p => (int)p).ToArray();

    public static SrtpKeyingMaterial Export(TlsContext context, int profile, bool isClient)
    {
        var parameters = context.SecurityParameters;
        byte[] seed = [.. parameters.ClientRandom, .. parameters.ServerRandom];
        var ourProfile = (SrtpProtectionProfile)profile;
        byte[] material = TlsUtilities.PRF(context, parameters.MasterSecret, ExporterLabel.dtls_srtp, seed,
            SrtpKeyingMaterial.ExportLength(ourProfile));
        return SrtpKeyingMaterial.FromExporter(ourProfile, material, isClient);
    }

    /// <summary>Signature algorithms we accept and use (ECDSA first; RSA for peers with RSA certificates).</summary>
    public static System.Collections.IList SignatureAlgorithms() => new System.Collections.ArrayList
    {
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.rsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha384, SignatureAlgorithm.rsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.ecdsa),
        new SignatureAndHashAlgorithm(HashAlgorithm.sha1, SignatureAlgorithm.rsa),
    };
}
