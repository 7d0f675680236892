// RFC 8489 §5 (header checks), §6.3 (processing rules), §14 (attribute TLV layout, 32-bit padding),
// §14.5/§14.7 (attributes after MESSAGE-INTEGRITY / FINGERPRINT); RFC 7983 §7 (first two bits are zero).
using System.Buffers.Binary;
using System.Net;
using System.Text;

namespace MediaRelay.WebRtc.Stun;

/// <summary>Decodes STUN datagrams; never throws, returns false for anything malformed.</summary>
public static class StunParser
{
    /// <summary>Cheap check used by demultiplexers: STUN header shape and magic cookie.</summary>
    public static bool LooksLikeStun(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= StunWire.HeaderLength
        && (datagram[0] & 0xC0) == 0
        && BinaryPrimitives.ReadUInt32BigEndian(datagram[4..]) == StunWire.MagicCookie;

    public static bool TryParse(ReadOnlySpan<byte> datagram, out StunMessage? message)
    {
        message = null;
        if (!LooksLikeStun(datagram))
        {
            return false;
        }

        int bodyLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[2..]);
        if (bodyLength % 4 != 0 || StunWire.HeaderLength + bodyLength != datagram.Length)
        {
            return false;
        }

        ushort type = BinaryPrimitives.ReadUInt16BigEndian(datagram);
        var transactionId = StunTransactionId.Read(datagram.Slice(8, StunWire.TransactionIdLength));
        var fields = new Fields();
        int offset = StunWire.HeaderLength;
        while (offset < datagram.Length)
        {
            if (datagram.Length - offset < 4 || fields.SawFingerprint)
            {
                return false; // truncated attribute header, or something after FINGERPRINT
            }

            ushort attrType = BinaryPrimitives.ReadUInt16BigEndian(datagram[offset..]);
            int attrLength = BinaryPrimitives.ReadUInt16BigEndian(datagram[(offset + 2)..]);
            int padded = (attrLength + 3) & ~3;
            if (offset + 4 + padded > datagram.Length)
            {
                return false;
            }

            var value = datagram.Slice(offset + 4, attrLength);
            if (!ReadAttribute(datagram, offset, attrType, value, transactionId, ref fields))
            {
                return false;
            }

            offset += 4 + padded;
        }

        message = new StunMessage
        {
            Type = type,
            TransactionId = transactionId,
            Username = fields.Username,
            Priority = fields.Priority,
            UseCandidate = fields.UseCandidate,
            IceControlling = fields.IceControlling,
            IceControlled = fields.IceControlled,
            XorMappedAddress = fields.XorMappedAddress,
            ErrorCode = fields.ErrorCode,
            ErrorReason = fields.ErrorReason,
            Software = fields.Software,
            MessageIntegrityOffset = fields.MessageIntegrityOffset,
            HasFingerprint = fields.SawFingerprint,
            UnknownRequiredAttributes = fields.Unknown ?? [],
        };
        return true;
    }

    private static bool ReadAttribute(
        ReadOnlySpan<byte> datagram, int offset, ushort attrType, ReadOnlySpan<byte> value,
        StunTransactionId transactionId, ref Fields fields)
    {
        if (attrType == StunAttributeType.Fingerprint)
        {
            if (value.Length != 4)
            {
                return false;
            }

            uint expected = StunCrc32.Compute(datagram[..offset]) ^ StunWire.FingerprintXor;
            fields.SawFingerprint = true;
            return BinaryPrimitives.ReadUInt32BigEndian(value) == expected;
        }

        if (fields.MessageIntegrityOffset >= 0)
        {
            return true; // RFC 8489 §14.5: attributes after MESSAGE-INTEGRITY (other than FINGERPRINT) are ignored
        }

        switch (attrType)
        {
            case StunAttributeType.MessageIntegrity:
                if (value.Length != StunWire.MessageIntegrityLength)
                {
                    return false;
                }

                fields.MessageIntegrityOffset = offset;
                return true;
            case StunAttributeType.Username:
                if (value.Length > 513)
                {
                    return false;
                }

                fields.Username = Encoding.UTF8.GetString(value);
                return true;
            case StunAttributeType.Priority:
                if (value.Length != 4)
                {
                    return false;
                }

                fields.Priority = BinaryPrimitives.ReadUInt32BigEndian(value);
                return true;
            case StunAttributeType.UseCandidate:
                fields.UseCandidate = true;
                return value.IsEmpty;
            case StunAttributeType.IceControlling:
            case StunAttributeType.IceControlled:
                if (value.Length != 8)
                {
                    return false;
                }

                ulong tieBreaker = BinaryPrimitives.ReadUInt64BigEndian(value);
                if (attrType == StunAttributeType.IceControlling)
                {
                    fields.IceControlling = tieBreaker;
                }
                else
                {
                    fields.IceControlled = tieBreaker;
                }

                return true;
            case StunAttributeType.XorMappedAddress:
                fields.XorMappedAddress = StunAddressCodec.ReadXorAddress(value, transactionId);
                return fields.XorMappedAddress is not null;
            case StunAttributeType.ErrorCode:
                if (value.Length < 4 || value[2] > 6 || value[3] > 99)
                {
                    return false;
                }

                fields.ErrorCode = (value[2] & 0x7) * 100 + value[3];
                fields.ErrorReason = Encoding.UTF8.GetString(value[4..]);
                return true;
            case StunAttributeType.Software:
                fields.Software = Encoding.UTF8.GetString(value);
                return true;
            default:
                if (StunAttributeType.IsComprehensionRequired(attrType)
                    && attrType != StunAttributeType.MappedAddress
                    && attrType != StunAttributeType.MessageIntegritySha256
                    && attrType != StunAttributeType.UnknownAttributes)
                {
                    (fields.Unknown ??= []).Add(attrType);
                }

                return true;
        }
    }

    private struct Fields
    {
        public string? Username;
        public uint? Priority;
        public bool UseCandidate;
        public ulong? IceControlling;
        public ulong? IceControlled;
        public IPEndPoint? XorMappedAddress;
        public int? ErrorCode;
        public string? ErrorReason;
        public string? Software;
        public int MessageIntegrityOffset;
        public bool SawFingerprint;
        public List<ushort>? Unknown;

        public Fields() => MessageIntegrityOffset = -1;
    }
}
