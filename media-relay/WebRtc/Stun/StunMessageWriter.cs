// RFC 8489 §5 (header), §14 (TLV + padding), §14.5 (MESSAGE-INTEGRITY: HMAC-SHA1 with the length field counting
// the MI attribute), §14.7 (FINGERPRINT last, CRC-32 XOR 0x5354554E); RFC 8445 §7.1 (ICE attributes).
using System.Buffers.Binary;
using System.Net;
using System.Security.Cryptography;
using System.Text;

namespace MediaRelay.WebRtc.Stun;

/// <summary>Builds a STUN message in place in a caller-provided buffer (no allocations for fixed-size attributes).</summary>
public ref struct StunMessageWriter
{
    private readonly Span<byte> _buffer;
    private readonly StunTransactionId _transactionId;
    private int _length;

    public StunMessageWriter(Span<byte> buffer, ushort type, StunTransactionId transactionId)
    {
        if (buffer.Length < StunWire.HeaderLength)
        {
            throw new ArgumentException("Buffer too small for a STUN header.", nameof(buffer));
        }

        _buffer = buffer;
        _transactionId = transactionId;
        BinaryPrimitives.WriteUInt16BigEndian(buffer, type);
        BinaryPrimitives.WriteUInt16BigEndian(buffer[2..], 0);
        BinaryPrimitives.WriteUInt32BigEndian(buffer[4..], StunWire.MagicCookie);
        transactionId.Write(buffer[8..]);
        _length = StunWire.HeaderLength;
    }

    /// <summary>Total bytes written so far (header plus attributes).</summary>
    public readonly int Length => _length;

    public void AddUsername(string username)
    {
        int count = Encoding.UTF8.GetByteCount(username);
        var value = BeginAttribute(StunAttributeType.Username, count);
        Encoding.UTF8.GetBytes(username, value);
        EndAttribute(count);
    }

    public void AddPriority(uint priority)
    {
        BinaryPrimitives.WriteUInt32BigEndian(BeginAttribute(StunAttributeType.Priority, 4), priority);
        EndAttribute(4);
    }

    public void AddUseCandidate()
    {
        BeginAttribute(StunAttributeType.UseCandidate, 0);
        EndAttribute(0);
    }

    public void AddIceControlling(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlling, tieBreaker);

    public void AddIceControlled(ulong tieBreaker) => AddUInt64(StunAttributeType.IceControlled, tieBreaker);

    public void AddSoftware(string software)
    {
        int count = Encoding.UTF8.GetByteCount(software);
        Encoding.UTF8.GetBytes(software, BeginAttribute(StunAttributeType.Software, count));
        EndAttribute(count);
    }

    public void AddXorMappedAddress(IPEndPoint endPoint)
    {
        var value = BeginAttribute(StunAttributeType.XorMappedAddress, 20);
        EndAttribute(StunAddressCodec.WriteXorAddress(value, endPoint, _transactionId));
    }

    public void AddErrorCode(int code, string reason)
    {
        int reasonLength = Encoding.UTF8.GetByteCount(reason);
        var value = BeginAttribute(StunAttributeType.ErrorCode, 4 + reasonLength);
        value[0] = 0;
        value[1] = 0;
        value[2] = (byte)(code / 100);
        value[3] = (byte)(code % 100);
        Encoding.UTF8.GetBytes(reason, value[4..]);
        EndAttribute(4 + reasonLength);
    }

    /// <summary>Appends MESSAGE-INTEGRITY keyed with <paramref name="key"/> (for ICE: the UTF-8 ice-pwd).</summary>
    public void AddMessageIntegrity(ReadOnlySpan<byte> key)
    {
        int attributeOffset = _length;
        SetBodyLength(attributeOffset + 4 + StunWire.MessageIntegrityLength);
        var value = BeginAttribute(StunAttributeType.MessageIntegrity, StunWire.MessageIntegrityLength);
        HMACSHA1.HashData(key, _buffer[..attributeOffset], value);
        EndAttribute(StunWire.MessageIntegrityLength);
    }

    public void AddFingerprint()
    {
        int attributeOffset = _length;
        SetBodyLength(attributeOffset + 8);
        uint crc = StunCrc32.Compute(_buffer[..attributeOffset]) ^ StunWire.FingerprintXor;
        BinaryPrimitives.WriteUInt32BigEndian(BeginAttribute(StunAttributeType.Fingerprint, 4), crc);
        EndAttribute(4);
    }

    private void AddUInt64(ushort type, ulong value)
    {
        BinaryPrimitives.WriteUInt64BigEndian(BeginAttribute(type, 8), value);
        EndAttribute(8);
    }

    private readonly Span<byte> BeginAttribute(ushort type, int maxValueLength)
    {
        int padded = (maxValueLength + 3) & ~3;
        if (_length + 4 + padded > _buffer.Length)
        {
            throw new InvalidOperationException("STUN buffer too small.");
        }

        BinaryPrimitives.WriteUInt16BigEndian(_buffer[_length..], type);
        return _buffer.Slice(_length + 4, maxValueLength);
    }

    private void EndAttribute(int valueLength)
    {
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[(_length + 2)..], (ushort)valueLength);
        int padded = (valueLength + 3) & ~3;
        _buffer.Slice(_length + 4 + valueLength, padded - valueLength).Clear();
        _length += 4 + padded;
        SetBodyLength(_length);
    }

    private readonly void SetBodyLength(int totalLength) =>
        BinaryPrimitives.WriteUInt16BigEndian(_buffer[2..], (ushort)(totalLength - StunWire.HeaderLength));
}
