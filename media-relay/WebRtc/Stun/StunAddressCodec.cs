// RFC 8489 §14.2: XOR-MAPPED-ADDRESS — port XOR the cookie's top 16 bits; IPv4 XOR the cookie;
// IPv6 XOR (cookie ‖ transaction id).
using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MediaRelay.WebRtc.Stun;

internal static class StunAddressCodec
{
    private const byte FamilyIPv4 = 0x01;
    private const byte FamilyIPv6 = 0x02;

    public static IPEndPoint? ReadXorAddress(ReadOnlySpan<byte> value, StunTransactionId transactionId)
    {
        if (value.Length < 4)
        {
            return null;
        }

        int port = BinaryPrimitives.ReadUInt16BigEndian(value[2..]) ^ (int)(StunWire.MagicCookie >> 16);
        Span<byte> mask = stackalloc byte[16];
        WriteMask(mask, transactionId);
        if (value[1] == FamilyIPv4 && value.Length == 8)
        {
            Span<byte> address = stackalloc byte[4];
            for (int i = 0; i < 4; i++)
            {
                address[i] = (byte)(value[4 + i] ^ mask[i]);
            }

            return new IPEndPoint(new IPAddress(address), port);
        }

        if (value[1] == FamilyIPv6 && value.Length == 20)
        {
            Span<byte> address = stackalloc byte[16];
            for (int i = 0; i < 16; i++)
            {
                address[i] = (byte)(value[4 + i] ^ mask[i]);
            }

            return new IPEndPoint(new IPAddress(address), port);
        }

        return null;
    }

    /// <summary>Writes the attribute value; returns the value length (8 or 20).</summary>
    public static int WriteXorAddress(Span<byte> destination, IPEndPoint endPoint, StunTransactionId transactionId)
    {
        Span<byte> mask = stackalloc byte[16];
        WriteMask(mask, transactionId);
        bool v4 = endPoint.AddressFamily == AddressFamily.InterNetwork;
        int addressLength = v4 ? 4 : 16;
        destination[0] = 0;
        destination[1] = v4 ? FamilyIPv4 : FamilyIPv6;
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], (ushort)(endPoint.Port ^ (int)(StunWire.MagicCookie >> 16)));
        Span<byte> address = stackalloc byte[16];
        endPoint.Address.TryWriteBytes(address, out _);
        for (int i = 0; i < addressLength; i++)
        {
            destination[4 + i] = (byte)(address[i] ^ mask[i]);
        }

        return 4 + addressLength;
    }

    private static void WriteMask(Span<byte> mask, StunTransactionId transactionId)
    {
        BinaryPrimitives.WriteUInt32BigEndian(mask, StunWire.MagicCookie);
        transactionId.Write(mask[4..]);
    }
}
