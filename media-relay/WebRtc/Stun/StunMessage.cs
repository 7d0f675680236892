// RFC 8489 §5 (message structure), §14 (attributes), §14.2 (XOR-MAPPED-ADDRESS), §14.8 (ERROR-CODE);
// RFC 8445 §7.1.1–7.1.3 (PRIORITY, USE-CANDIDATE, ICE-CONTROLLED/ICE-CONTROLLING).
using System.Net;

namespace MediaRelay.WebRtc.Stun;

/// <summary>
/// A decoded STUN message: the attributes ICE needs, plus where MESSAGE-INTEGRITY sits in the datagram so the
/// caller can verify it with the right key (the key depends on who sent the message).
/// </summary>
public sealed record StunMessage
{
    public required ushort Type { get; init; }

    /// <summary>The 96-bit transaction id (RFC 8489 §5).</summary>
    public required StunTransactionId TransactionId { get; init; }

    public string? Username { get; init; }
    public uint? Priority { get; init; }
    public bool UseCandidate { get; init; }
    public ulong? IceControlling { get; init; }
    public ulong? IceControlled { get; init; }
    public IPEndPoint? XorMappedAddress { get; init; }
    public int? ErrorCode { get; init; }
    public string? ErrorReason { get; init; }
    public string? Software { get; init; }

    /// <summary>Offset of the MESSAGE-INTEGRITY attribute header in the datagram, or −1 when absent.</summary>
    public int MessageIntegrityOffset { get; init; } = -1;

    /// <summary>True when a FINGERPRINT attribute was present (it is always verified during parsing).</summary>
    public bool HasFingerprint { get; init; }

    /// <summary>Comprehension-required attributes this parser does not know (answer 420, RFC 8489 §6.3.1).</summary>
    public IReadOnlyList<ushort> UnknownRequiredAttributes { get; init; } = [];

    public bool IsRequest => Type == StunMessageType.BindingRequest;
    public bool IsSuccessResponse => Type == StunMessageType.BindingSuccess;
    public bool IsErrorResponse => Type == StunMessageType.BindingError;
}

/// <summary>A 96-bit STUN transaction id stored by value, usable as a dictionary key.</summary>
public readonly record struct StunTransactionId(ulong High, uint Low)
{
    public static StunTransactionId Read(ReadOnlySpan<byte> twelveBytes) =>
        new(System.Buffers.Binary.BinaryPrimitives.ReadUInt64BigEndian(twelveBytes),
            System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(twelveBytes[8..]));

    public static StunTransactionId NewRandom()
    {
        Span<byte> bytes = stackalloc byte[StunWire.TransactionIdLength];
        System.Security.Cryptography.RandomNumberGenerator.Fill(bytes);
        return Read(bytes);
    }

    public void Write(Span<byte> destination)
    {
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(destination, High);
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(destination[8..], Low);
    }
}
