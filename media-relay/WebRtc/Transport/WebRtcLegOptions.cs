using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Transport;

/// <summary>
/// Everything a leg needs once both descriptions are known. Browser legs: <see cref="IceLite"/> true, DTLS server.
/// Meta legs: full controlling ICE; DTLS client on user-initiated calls, server on business-initiated ones.
/// </summary>
public sealed record WebRtcLegOptions
{
    public required IceCredentials LocalIce { get; init; }
    public required SdpMediaSummary Remote { get; init; }
    public required DtlsCertificate Certificate { get; init; }
    public required DtlsRole DtlsRole { get; init; }

    /// <summary>True: ICE-lite responder only (browser leg). False: full controlling agent (Meta leg).</summary>
    public required bool IceLite { get; init; }

    /// <summary>The SSRC this leg sends with (announced in our SDP).</summary>
    public uint LocalSsrc { get; init; } = (uint)Random.Shared.NextInt64(1, uint.MaxValue);

    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>SRTP profiles in preference order (the DTLS server picks the first the client offers).</summary>
    public IReadOnlyList<SrtpProtectionProfile> SrtpProfiles { get; init; } =
        [SrtpProtectionProfile.AesCm128HmacSha1Tag80, SrtpProtectionProfile.AeadAes128Gcm];
    public IceAgentTimings IceTimings { get; init; } = new();
    public TimeProvider Time { get; init; } = TimeProvider.System;
}
