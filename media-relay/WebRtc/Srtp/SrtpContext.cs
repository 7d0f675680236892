// RFC 3711 §3.3 (sender/receiver processing), §3.3.1 + Appendix A (ROC estimate from the highest sequence seen),
// §3.3.2 (replay list, updated only after authentication), §3.4 (SRTCP E flag and 31-bit index, per-SSRC
// replay state); the cryptographic transform per profile is an ISrtpCipher (RFC 3711 §4 or RFC 7714).
using System.Buffers.Binary;
using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.WebRtc.Srtp;

/// <summary>
/// SRTP/SRTCP for one direction's master key: protect with the local key, unprotect with the remote key (use two
/// contexts per leg). Operates in place on caller buffers and does not allocate after a stream's first packet.
/// Not thread-safe; each leg serialises its sends and its receives.
/// </summary>
public sealed class SrtpContext : IDisposable
{
    private readonly ISrtpCipher _cipher;
    private readonly Dictionary<uint, SrtpSenderState> _rtpSenders = [];
    private readonly Dictionary<uint, SrtpReceiverState> _rtpReceivers = [];
    private readonly Dictionary<uint, uint> _rtcpSenders = [];
    private readonly Dictionary<uint, SrtpReplayWindow> _rtcpReceivers = [];

    public SrtpContext(SrtpMasterKey masterKey, SrtpProtectionProfile profile = SrtpProtectionProfile.AesCm128HmacSha1Tag80)
        : this(CreateCipher(masterKey, profile))
    {
    }

    internal SrtpContext(ISrtpCipher cipher) => _cipher = cipher;

    public SrtpCounters Counters { get; } = new();

    /// <summary>Bytes SRTP adds to an RTP packet (the tag).</summary>
    public int RtpOverhead => _cipher.RtpOverhead;

    /// <summary>Bytes SRTCP adds to an RTCP packet (E‖index and the tag).</summary>
    public int RtcpOverhead => _cipher.RtcpOverhead;

    /// <summary>Encrypts and authenticates the RTP packet in <paramref name="buffer"/>[..length]; the buffer needs
    /// <see cref="RtpOverhead"/> spare bytes.</summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length > buffer.Length - _cipher.RtpOverhead
            || !RtpHeader.TryParse(buffer[..length], out var header, ignorePadding: true))
        {
            return Counters.Malformed();
        }

        if (!_rtpSenders.TryGetValue(header.Ssrc, out var sender))
        {
            sender = new SrtpSenderState(header.SequenceNumber);
            _rtpSenders[header.Ssrc] = sender;
        }

        uint roc = sender.Advance(header.SequenceNumber);
        protectedLength = _cipher.ProtectRtp(buffer, header.HeaderLength, length, header.Ssrc, roc, header.SequenceNumber);
        Counters.CountProtected();
        return true;
    }

    /// <summary>Authenticates and decrypts an SRTP packet in place; drops (false, counted) anything invalid.</summary>
    public bool TryUnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int bodyLength = packet.Length - _cipher.RtpOverhead;
        if (bodyLength < RtpHeader.FixedLength
            || !RtpHeader.TryParse(packet[..bodyLength], out var header, ignorePadding: true))
        {
            return Counters.Malformed();
        }

        _rtpReceivers.TryGetValue(header.Ssrc, out var receiver);
        long index = receiver?.EstimateIndex(header.SequenceNumber) ?? header.SequenceNumber;
        if (index < 0 || (receiver is not null && !receiver.Window.IsAcceptable(index)))
        {
            return Counters.Replayed();
        }

        int length = _cipher.UnprotectRtp(packet, header.HeaderLength, header.Ssrc, (uint)(index >> 16), header.SequenceNumber);
        if (length < 0)
        {
            return Counters.AuthFailed();
        }

        if (receiver is null)
        {
            receiver = new SrtpReceiverState();
            _rtpReceivers[header.Ssrc] = receiver;
        }

        receiver.Accept(index);
        plainLength = length;
        Counters.CountUnprotected();
        return true;
    }

    /// <summary>Encrypts a (compound) RTCP packet in place and appends E‖index and the tag.</summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length < 8 || length > buffer.Length - _cipher.RtcpOverhead)
        {
            return Counters.Malformed();
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        _rtcpSenders.TryGetValue(ssrc, out uint index);
        index = (index + 1) & 0x7FFFFFFF; // libsrtp numbers the first SRTCP packet 1
        _rtcpSenders[ssrc] = index;
        protectedLength = _cipher.ProtectRtcp(buffer, length, ssrc, index);
        Counters.CountProtected();
        return true;
    }

    /// <summary>Authenticates and decrypts an SRTCP packet in place; drops (false, counted) anything invalid.</summary>
    public bool TryUnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        if (packet.Length < 8 + _cipher.RtcpOverhead || (packet[0] >> 6) != 2)
        {
            return Counters.Malformed();
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[_cipher.RtcpIndexOffset(packet.Length)..]);
        long index = word & 0x7FFFFFFF;
        _rtcpReceivers.TryGetValue(ssrc, out var window);
        if (window is not null && !window.IsAcceptable(index))
        {
            return Counters.Replayed();
        }

        int length = _cipher.UnprotectRtcp(packet, ssrc, word);
        if (length < 0)
        {
            return Counters.AuthFailed();
        }

        if (window is null)
        {
            window = new SrtpReplayWindow();
            _rtcpReceivers[ssrc] = window;
        }

        window.Accept(index);
        plainLength = length;
        Counters.CountUnprotected();
        return true;
    }

    public void Dispose() => _cipher.Dispose();

    private static ISrtpCipher CreateCipher(SrtpMasterKey masterKey, SrtpProtectionProfile profile)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        return profile switch
        {
            SrtpProtectionProfile.AeadAes128Gcm => AesGcmCipher.FromMasterKey(masterKey),
            SrtpProtectionProfile.AesCm128HmacSha1Tag32 => new AesCmHmacSha1Cipher(masterKey, 4),
            _ => new AesCmHmacSha1Cipher(masterKey, 10),
        };
    }
}
