// RFC 8489 §5 (header, magic cookie), §14 (attribute registry), §18.3; RFC 8445 §16.1 (ICE attributes);
// RFC 7983 §7 (first-byte range 0–3 for STUN on a shared port).
namespace MediaRelay.WebRtc.Stun;

/// <summary>Message types used by ICE (class and method already combined, RFC 8489 §5).</summary>
public static class StunMessageType
{
    public const ushort BindingRequest = 0x0001;
    public const ushort BindingIndication = 0x0011;
    public const ushort BindingSuccess = 0x0101;
    public const ushort BindingError = 0x0111;
}

/// <summary>Attribute type codes (RFC 8489 §18.3, RFC 8445 §16.1).</summary>
public static class StunAttributeType
{
    public const ushort MappedAddress = 0x0001;
    public const ushort Username = 0x0006;
    public const ushort MessageIntegrity = 0x0008;
    public const ushort ErrorCode = 0x0009;
    public const ushort UnknownAttributes = 0x000A;
    public const ushort MessageIntegritySha256 = 0x001C;
    public const ushort XorMappedAddress = 0x0020;
    public const ushort Priority = 0x0024;
    public const ushort UseCandidate = 0x0025;
    public const ushort Software = 0x8022;
    public const ushort Fingerprint = 0x8028;
    public const ushort IceControlled = 0x8029;
    public const ushort IceControlling = 0x802A;

    /// <summary>Types below 0x8000 are comprehension-required (RFC 8489 §14).</summary>
    public static bool IsComprehensionRequired(ushort type) => type < 0x8000;
}

/// <summary>Wire constants of the STUN header.</summary>
public static class StunWire
{
    public const uint MagicCookie = 0x2112A442;
    public const int HeaderLength = 20;
    public const int TransactionIdLength = 12;
    public const uint FingerprintXor = 0x5354554E;
    public const int MessageIntegrityLength = 20;
}

/// <summary>Error codes ICE uses (RFC 8489 §14.8, RFC 8445 §7.3.1.1).</summary>
public static class StunErrorCode
{
    public const int BadRequest = 400;
    public const int Unauthorized = 401;
    public const int UnknownAttribute = 420;
    public const int RoleConflict = 487;
}
