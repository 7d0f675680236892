// RFC 3711 §3.1 (SRTP packet = header ‖ encrypted payload ‖ tag), §3.3 (sender/receiver processing),
// §3.3.1 + Appendix A (ROC estimate from the highest sequence seen), §3.4 and §3.4-Figure 2 (SRTCP: E flag and
// 31-bit index after the encrypted part), §3.3.2 (replay list), §4.1.1 (only the payload is encrypted).
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
    private const int RtcpIndexLength = 4;
    private readonly SrtpSessionCipher _rtp;
    private readonly SrtpSessionCipher _rtcp;
    private readonly int _rtpTagLength;
    private readonly int _rtcpTagLength = 10;
    private readonly Dictionary<uint, SrtpSenderState> _rtpSenders = [];
    private readonly Dictionary<uint, SrtpReceiverState> _rtpReceivers = [];
    private readonly Dictionary<uint, uint> _rtcpSenders = [];
    private readonly Dictionary<uint, SrtpReplayWindow> _rtcpReceivers = [];

    public SrtpContext(SrtpMasterKey masterKey, SrtpProtectionProfile profile = SrtpProtectionProfile.AesCm128HmacSha1Tag80)
    {
        ArgumentNullException.ThrowIfNull(masterKey);
        _rtp = new SrtpSessionCipher(masterKey.Key, masterKey.Salt, SrtpKeyDerivation.RtpEncryptionLabel);
        _rtcp = new SrtpSessionCipher(masterKey.Key, masterKey.Salt, SrtpKeyDerivation.RtcpEncryptionLabel);
        _rtpTagLength = profile == SrtpProtectionProfile.AesCm128HmacSha1Tag32 ? 4 : 10;
    }

    public SrtpCounters Counters { get; } = new();

    /// <summary>Bytes SRTP adds to an RTP packet (the tag).</summary>
    public int RtpOverhead => _rtpTagLength;

    /// <summary>Bytes SRTCP adds to an RTCP packet (E‖index and the tag).</summary>
    public int RtcpOverhead => RtcpIndexLength + _rtcpTagLength;

    /// <summary>Encrypts and authenticates the RTP packet in <paramref name="buffer"/>[..length]; the buffer needs
    /// <see cref="RtpOverhead"/> spare bytes.</summary>
    public bool TryProtectRtp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length > buffer.Length - _rtpTagLength
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
        long index = ((long)roc << 16) | header.SequenceNumber;
        _rtp.Transform(header.Ssrc, index, buffer[header.HeaderLength..length]);
        _rtp.ComputeTag(buffer[..length], roc, buffer.Slice(length, _rtpTagLength));
        protectedLength = length + _rtpTagLength;
        Counters.CountProtected();
        return true;
    }

    /// <summary>Authenticates and decrypts an SRTP packet in place; drops (false, counted) anything invalid.</summary>
    public bool TryUnprotectRtp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int bodyLength = packet.Length - _rtpTagLength;
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

        uint roc = (uint)(index >> 16);
        if (!_rtp.VerifyTag(packet[..bodyLength], roc, packet.Slice(bodyLength, _rtpTagLength)))
        {
            return Counters.AuthFailed();
        }

        if (receiver is null)
        {
            receiver = new SrtpReceiverState();
            _rtpReceivers[header.Ssrc] = receiver;
        }

        receiver.Accept(index);
        _rtp.Transform(header.Ssrc, index, packet[header.HeaderLength..bodyLength]);
        plainLength = bodyLength;
        Counters.CountUnprotected();
        return true;
    }

    /// <summary>Encrypts a (compound) RTCP packet in place and appends E‖index and the tag.</summary>
    public bool TryProtectRtcp(Span<byte> buffer, int length, out int protectedLength)
    {
        protectedLength = 0;
        if (length < 8 || length > buffer.Length - RtcpOverhead)
        {
            return Counters.Malformed();
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(buffer[4..]);
        _rtcpSenders.TryGetValue(ssrc, out uint index);
        index = (index + 1) & 0x7FFFFFFF; // libsrtp numbers the first SRTCP packet 1
        _rtcpSenders[ssrc] = index;
        _rtcp.Transform(ssrc, index, buffer[8..length]);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[length..], 0x80000000 | index);
        int authenticatedLength = length + RtcpIndexLength;
        _rtcp.ComputeTag(buffer[..authenticatedLength], null, buffer.Slice(authenticatedLength, _rtcpTagLength));
        protectedLength = authenticatedLength + _rtcpTagLength;
        Counters.CountProtected();
        return true;
    }

    /// <summary>Authenticates and decrypts an SRTCP packet in place; drops (false, counted) anything invalid.</summary>
    public bool TryUnprotectRtcp(Span<byte> packet, out int plainLength)
    {
        plainLength = 0;
        int authenticatedLength = packet.Length - _rtcpTagLength;
        int length = authenticatedLength - RtcpIndexLength;
        if (length < 8 || (packet[0] >> 6) != 2)
        {
            return Counters.Malformed();
        }

        uint ssrc = BinaryPrimitives.ReadUInt32BigEndian(packet[4..]);
        uint word = BinaryPrimitives.ReadUInt32BigEndian(packet[length..]);
        long index = word & 0x7FFFFFFF;
        _rtcpReceivers.TryGetValue(ssrc, out var window);
        if (window is not null && !window.IsAcceptable(index))
        {
            return Counters.Replayed();
        }

        if (!_rtcp.VerifyTag(packet[..authenticatedLength], null, packet.Slice(authenticatedLength, _rtcpTagLength)))
        {
            return Counters.AuthFailed();
        }

        if (window is null)
        {
            window = new SrtpReplayWindow();
            _rtcpReceivers[ssrc] = window;
        }

        window.Accept(index);
        if ((word & 0x80000000) != 0)
        {
            _rtcp.Transform(ssrc, index, packet[8..length]);
        }

        plainLength = length;
        Counters.CountUnprotected();
        return true;
    }

    public void Dispose()
    {
        _rtp.Dispose();
        _rtcp.Dispose();
    }
}
