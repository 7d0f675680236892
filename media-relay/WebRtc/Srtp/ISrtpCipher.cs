// The per-profile cryptographic transform behind SrtpContext: RFC 3711 §4 (AES-CM + HMAC-SHA1) or RFC 7714
// (AEAD AES-GCM). SrtpContext keeps the protocol state (ROC, replay windows, SRTCP indices); ciphers only
// encrypt, authenticate and place trailers.
namespace MediaRelay.WebRtc.Srtp;

internal interface ISrtpCipher : IDisposable
{
    /// <summary>Bytes appended to an RTP packet.</summary>
    int RtpOverhead { get; }

    /// <summary>Bytes appended to an RTCP packet (E‖index and tag, in the profile's order).</summary>
    int RtcpOverhead { get; }

    /// <summary>Encrypts buffer[headerLength..length) and appends the trailer; returns the new length.</summary>
    int ProtectRtp(Span<byte> buffer, int headerLength, int length, uint ssrc, uint rolloverCounter, ushort sequence);

    /// <summary>Verifies and decrypts in place; returns the plain length or −1 if authentication failed.</summary>
    int UnprotectRtp(Span<byte> packet, int headerLength, uint ssrc, uint rolloverCounter, ushort sequence);

    /// <summary>Encrypts buffer[8..length) with <paramref name="index"/> and appends the trailer; returns the new length.</summary>
    int ProtectRtcp(Span<byte> buffer, int length, uint ssrc, uint index);

    /// <summary>Offset of the E‖index word in a protected SRTCP packet of <paramref name="packetLength"/> bytes.</summary>
    int RtcpIndexOffset(int packetLength);

    /// <summary>Verifies and decrypts in place; returns the plain length or −1 if authentication failed.</summary>
    int UnprotectRtcp(Span<byte> packet, uint ssrc, uint eAndIndex);
}
