// RFC 6347 (DTLS 1.2), RFC 5764 §4.1.1–4.1.2 (use_srtp: the server picks one profile from the client's list and
// echoes the client's MKI), RFC 8122 §5 / RFC 8842 (peer certificate must match the SDP fingerprint).
// BouncyCastle 1.8.10 traps handled here: ECDSA cipher suites, ecdsa_sign in CertificateRequest, handshake
// timeout, renegotiation_info tolerance, key export inside NotifyHandshakeComplete (webrtc-relay.md §2.3).
using System.Collections;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using Org.BouncyCastle.Crypto.Tls;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace MediaRelay.WebRtc.Dtls;

/// <summary>DTLS-SRTP server role (toward browsers, and toward Meta on business-initiated calls).</summary>
internal sealed class DtlsSrtpServer : DefaultTlsServer
{
    private readonly DtlsCertificate _certificate;
    private readonly SdpFingerprint? _remoteFingerprint;
    private readonly int _handshakeTimeoutMillis;
    private readonly int[] _profiles;
    private int _selectedProfile = -1;
    private byte[] _clientMki = TlsUtilities.EmptyBytes;

    public DtlsSrtpServer(
        DtlsCertificate certificate, SdpFingerprint? remoteFingerprint, TimeSpan handshakeTimeout, int[] profiles)
    {
        _profiles = profiles;
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _handshakeTimeoutMillis = (int)handshakeTimeout.TotalMilliseconds;
    }

    public SrtpKeyingMaterial? Keys { get; private set; }

    protected override ProtocolVersion MinimumVersion => ProtocolVersion.DTLSv12;

    protected override ProtocolVersion MaximumVersion => ProtocolVersion.DTLSv12;

    public override int GetHandshakeTimeoutMillis() => _handshakeTimeoutMillis;

    protected override int[] GetCipherSuites() =>
    [
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA256,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_128_CBC_SHA,
        CipherSuite.TLS_ECDHE_ECDSA_WITH_AES_256_CBC_SHA,
    ];

    protected override TlsSignerCredentials GetECDsaSignerCredentials() =>
        new DefaultTlsSignerCredentials(mContext, _certificate.Chain, _certificate.PrivateKey,
            new SignatureAndHashAlgorithm(HashAlgorithm.sha256, SignatureAlgorithm.ecdsa));

    public override void ProcessClientExtensions(IDictionary clientExtensions)
    {
        base.ProcessClientExtensions(clientExtensions);
        var offered = TlsSRTPUtils.GetUseSrtpExtension(clientExtensions)
            ?? throw new TlsFatalAlert(AlertDescription.handshake_failure);
        _selectedProfile = _profiles.FirstOrDefault(p => offered.ProtectionProfiles.Contains(p), -1);
        if (_selectedProfile < 0)
        {
            throw new TlsFatalAlert(AlertDescription.handshake_failure);
        }

        _clientMki = offered.Mki ?? TlsUtilities.EmptyBytes;
    }

    public override IDictionary GetServerExtensions()
    {
        var extensions = TlsExtensionsUtilities.EnsureExtensionsInitialised(base.GetServerExtensions());
        TlsSRTPUtils.AddUseSrtpExtension(extensions, new UseSrtpData([_selectedProfile], _clientMki));
        return extensions;
    }

    public override CertificateRequest GetCertificateRequest() =>
        new([ClientCertificateType.ecdsa_sign, ClientCertificateType.rsa_sign], DtlsSrtpKeyExport.SignatureAlgorithms(), null);

    public override void NotifyClientCertificate(TlsCertificate clientCertificate)
    {
        if (clientCertificate is null || clientCertificate.IsEmpty
            || !DtlsFingerprint.Matches(_remoteFingerprint, clientCertificate.GetCertificateAt(0).GetEncoded()))
        {
            throw new TlsFatalAlert(AlertDescription.bad_certificate);
        }
    }

    public override void NotifySecureRenegotiation(bool secureRenegotiation)
    {
        // Peers without renegotiation_info (pion, some embedded stacks) are fine: we never renegotiate.
    }

    public override void NotifyHandshakeComplete()
    {
        base.NotifyHandshakeComplete();
        Keys = DtlsSrtpKeyExport.Export(mContext, _selectedProfile, isClient: false);
    }
}
