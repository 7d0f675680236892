// RFC 8489 §14.5: MESSAGE-INTEGRITY is HMAC-SHA1 over the message up to the attribute, with the header length
// field set as if MESSAGE-INTEGRITY were the last attribute. RFC 8445 §7.2.2: short-term key = ice-pwd.
using System.Buffers.Binary;
using System.Security.Cryptography;

namespace MediaRelay.WebRtc.Stun;

public static class StunMessageIntegrity
{
    /// <summary>Verifies MESSAGE-INTEGRITY of <paramref name="datagram"/> with <paramref name="key"/>; false if absent.</summary>
    public static bool Verify(ReadOnlySpan<byte> datagram, StunMessage message, ReadOnlySpan<byte> key)
    {
        int miOffset = message.MessageIntegrityOffset;
        if (miOffset < StunWire.HeaderLength || miOffset + 4 + StunWire.MessageIntegrityLength > datagram.Length)
        {
            return false;
        }

        using var hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, key);
        Span<byte> header = stackalloc byte[StunWire.HeaderLength];
        datagram[..StunWire.HeaderLength].CopyTo(header);
        BinaryPrimitives.WriteUInt16BigEndian(header[2..], (ushort)(miOffset + 4 + StunWire.MessageIntegrityLength - StunWire.HeaderLength));
        hmac.AppendData(header);
        hmac.AppendData(datagram[StunWire.HeaderLength..miOffset]);
        Span<byte> computed = stackalloc byte[StunWire.MessageIntegrityLength];
        hmac.GetHashAndReset(computed);
        return CryptographicOperations.FixedTimeEquals(
            computed, datagram.Slice(miOffset + 4, StunWire.MessageIntegrityLength));
    }
}
