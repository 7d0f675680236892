// RFC 6347 (DTLS 1.2), RFC 5764 §4.1.1 (client offers use_srtp with an empty MKI; the server's choice must be
// one we offered), RFC 8122 §5 (server certificate checked against the SDP fingerprint), webrtc-relay.md §2.4.
using System.Collections;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace MediaRelay.WebRtc.Dtls;

/// <summary>DTLS-SRTP client role (toward Meta on user-initiated calls).</summary>
internal sealed class DtlsSrtpClient : DefaultTlsClient
{
    private readonly DtlsCertificate _certificate;
    private readonly SdpFingerprint? _remoteFingerprint;
    private readonly int _handshakeTimeoutMillis;
    private readonly int[] _profiles;
    private int _selectedProfile = -1;

    public DtlsSrtpClient(
        DtlsCertificate certificate, SdpFingerprint? remoteFingerprint, TimeSpan handshakeTimeout, int[] profiles)
    {
        _profiles = profiles;
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _handshakeTimeoutMillis = (int)handshakeTimeout.TotalMilliseconds;
    }

    public SrtpKeyingMaterial? Keys { get; private set; }

    public override ProtocolVersion ClientVersion => ProtocolVersion.DTLSv12;

    public override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    public override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_RSA_WITH_AES_128_CBC_SHA,
    ];

    public override IDictionary GetClientExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetClientExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData(_profiles, TlsUtilities.EmptyBytes));
        return extensions;
    }

    public override void ProcessServerExtensions(IDictionary serverExtensions)
    {
        base.ProcessServerExtensions(serverExtensions);
        var chosen = TlsSRTPUtils.GetUseSrtpExtension(serverExtensions);
        if (chosen is null || chosen.ProtectionProfiles.Length != 1
            || !_profiles.Contains(chosen.ProtectionProfiles[0]))
        {
            throw new TlsFatalAlert(AlertDescription.illegal_parameter);
        }

        _selectedProfile = chosen.ProtectionProfiles[0];
    }

    public override TlsAuthentication GetAuthentication() => new FingerprintAuthentication(this);

    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
        // Tolerate peers without renegotiation_info; we never renegotiate.
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpKeyExport.Export(mContext, _selectedProfile, isClient: true);
    }

    private sealed class FingerprintAuthentication(DtlsSrtpClient owner) : TlsAuthentication
    {
        public void NotifyServerCertificate(TlsCertificate serverCertificate)
        {
            if (serverCertificate is null || serverCertificate.IsEmpty
                || !DtlsFingerprint.Matches(owner._remoteFingerprint, serverCertificate.GetCertificateAt(0).GetEncoded()))
            {
                throw new TlsFatalAlert(AlertDescription.bad_certificate);
            }
        }

        public TlsCredentials? GetClientCredentials(CertificateRequest certificateRequest)
        {
            // Answer with our ECDSA certificate whenever ecdsa_sign is acceptable (not only when rsa_sign is too).
            if (certificateRequest.CertificateTypes is not { } types || !types.Contains(ClientCertificateType.ecdsa_sign))
            {
                return null;
            }

            return new DefaultTlsSignerCredentials(owner.mContext, owner._certificate.Chain, owner._certificate.PrivateKey,
                new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));
        }
    }
}
