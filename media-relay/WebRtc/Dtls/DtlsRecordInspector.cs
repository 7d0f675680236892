// RFC 6347 §4.1: DTLS record = type(1) version(2, major 0xFE) epoch(2) sequence(6) length(2) fragment; several
// records may share a datagram. Content types 20–23 (RFC 5246 §6.2.1) and heartbeat 24 (RFC 6520).
using System.Buffers.Binary;

namespace MediaRelay.WebRtc.Dtls;

/// <summary>Cheap structural check of a datagram classified as DTLS, before it is handed to BouncyCastle.</summary>
public static class DtlsRecordInspector
{
    public const int RecordHeaderLength = 13;

    /// <summary>True when the datagram is a sequence of complete DTLS 1.0/1.2 records and nothing else.</summary>
    public static bool IsWellFormed(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty)
        {
            return false;
        }

        while (!datagram.IsEmpty)
        {
            if (datagram.Length < RecordHeaderLength
                || datagram[0] is < 20 or > 24
                || datagram[1] != 0xFE
                || datagram[2] is not (0xFF or 0xFD))
            {
                return false;
            }

            int length = BinaryPrimitives.ReadUInt16BigEndian(datagram[11..]);
            if (length == 0 || RecordHeaderLength + length > datagram.Length)
            {
                return false;
            }

            datagram = datagram[(RecordHeaderLength + length)..];
        }

        return true;
    }
}
