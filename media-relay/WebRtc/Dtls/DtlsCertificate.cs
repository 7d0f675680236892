// RFC 8827 §6.5 / RFC 8122 §5: WebRTC peers authenticate DTLS certificates only by the SDP fingerprint, so a
// self-signed certificate suffices. ECDSA P-256 as Chrome and Meta use (webrtc-relay.md §2.7).
using Org.BouncyCastle.Asn1.Sec;
using Org.BouncyCastle.Asn1.X509;
using Org.BouncyCastle.Crypto;
using Org.BouncyCastle.Crypto.Generators;
using Org.BouncyCastle.Crypto.Operators;
using Org.BouncyCastle.Crypto.Parameters;
using Org.BouncyCastle.Math;
using Org.BouncyCastle.Security;
using Org.BouncyCastle.X509;
using TlsCertificate = Org.BouncyCastle.Crypto.Tls.Certificate;

namespace MediaRelay.WebRtc.Dtls;

/// <summary>A self-signed ECDSA P-256 certificate with its private key and SHA-256 fingerprint.</summary>
public sealed class DtlsCertificate
{
    private DtlsCertificate(TlsCertificate chain, AsymmetricKeyParameter privateKey, byte[] der)
    {
        Chain = chain;
        PrivateKey = privateKey;
        Der = der;
        Sha256Fingerprint = DtlsFingerprint.Sha256(der);
    }

    /// <summary>The certificate as BouncyCastle's TLS layer wants it.</summary>
    internal TlsCertificate Chain { get; }

    internal AsymmetricKeyParameter PrivateKey { get; }

    public byte[] Der { get; }

    /// <summary>Uppercase colon-separated SHA-256 of the DER certificate, for a=fingerprint:sha-256.</summary>
    public string Sha256Fingerprint { get; }

    /// <summary>Generates a fresh certificate valid from yesterday for <paramref name="validity"/> (default 30 days).</summary>
    public static DtlsCertificate Generate(TimeProvider? clock = null, TimeSpan? validity = null)
    {
        var random = new SecureRandom();
        var keyGenerator = new ECKeyPairGenerator();
        keyGenerator.Init(new ECKeyGenerationParameters(SecObjectIdentifiers.SecP256r1, random));
        var keys = keyGenerator.GenerateKeyPair();

        DateTime now = (clock ?? TimeProvider.System).GetUtcNow().UtcDateTime;
        var name = new X509Name("CN=WebRTC-" + Convert.ToHexString(random.GenerateSeed(4)));
        var generator = new X509V3CertificateGenerator();
        generator.SetSerialNumber(new BigInteger(63, random).Add(BigInteger.One));
        generator.SetIssuerDN(name);
        generator.SetSubjectDN(name);
        generator.SetNotBefore(now.AddDays(-1));
        generator.SetNotAfter(now.Add(validity ?? TimeSpan.FromDays(30)));
        generator.SetPublicKey(keys.Public);
        var certificate = generator.Generate(new Asn1SignatureFactory("SHA256WITHECDSA", keys.Private, random));
        byte[] der = certificate.GetEncoded();
        var chain = new TlsCertificate([X509CertificateStructure.GetInstance(der)]);
        return new DtlsCertificate(chain, keys.Private, der);
    }
}
