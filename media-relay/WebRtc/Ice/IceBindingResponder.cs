// RFC 8445 §7.3 (responding to Binding requests: USERNAME/MESSAGE-INTEGRITY checks, §7.3.1.1 role conflicts with
// 487), §2.5 (a lite agent only answers checks), RFC 8489 §6.3 (400/401/420 handling; no MESSAGE-INTEGRITY in
// a 401), §14.2 (XOR-MAPPED-ADDRESS = source transport address). webrtc-relay.md §1.3.
using System.Net;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Ice;

public enum IceRequestOutcome
{
    /// <summary>Not a usable request: nothing to send (malformed, or not addressed to us).</summary>
    Dropped,
    /// <summary>A success response was written; the source address is a valid pair.</summary>
    Accepted,
    /// <summary>An error response was written (400, 401, 420, 487).</summary>
    Rejected,
}

/// <summary>Result of handling one Binding request.</summary>
public readonly record struct IceRequestResult(IceRequestOutcome Outcome, int ResponseLength, bool UseCandidate, int ErrorCode);

/// <summary>
/// Answers STUN Binding requests for one ICE agent (lite or full). Holds the agent's role and tie-breaker;
/// may switch role on a conflict per RFC 8445 §7.3.1.1.
/// </summary>
public sealed class IceBindingResponder(IceCredentials local, IceRole role, ulong tieBreaker, bool isLite)
{
    private readonly byte[] _key = local.Key;
    private readonly string _usernamePrefix = local.Ufrag + ":";

    public IceRole Role { get; private set; } = role;

    public ulong TieBreaker { get; } = tieBreaker;

    public IceRequestResult Handle(ReadOnlySpan<byte> datagram, StunMessage request, IPEndPoint source, Span<byte> response)
    {
        ArgumentNullException.ThrowIfNull(request);
        if (!request.IsRequest)
        {
            return new(IceRequestOutcome.Dropped, 0, false, 0);
        }

        if (request.Username is null || request.MessageIntegrityOffset < 0)
        {
            return Error(request, StunErrorCode.BadRequest, "Bad Request", response);
        }

        if (!request.Username.StartsWith(_usernamePrefix, StringComparison.Ordinal)
            || !StunMessageIntegrity.Verify(datagram, request, _key))
        {
            return Error(request, StunErrorCode.Unauthorized, "Unauthorized", response);
        }

        if (request.UnknownRequiredAttributes.Count > 0)
        {
            return Error(request, StunErrorCode.UnknownAttribute, "Unknown Attribute", response);
        }

        if (HasRoleConflict(request))
        {
            return Error(request, StunErrorCode.RoleConflict, "Role Conflict", response);
        }

        var writer = new StunMessageWriter(response, StunMessageType.BindingSuccess, request.TransactionId);
        writer.AddXorMappedAddress(source);
        writer.AddMessageIntegrity(_key);
        writer.AddFingerprint();
        return new(IceRequestOutcome.Accepted, writer.Length, request.UseCandidate, 0);
    }

    /// <summary>RFC 8445 §7.3.1.1; a lite agent is always controlled and answers 487 to a controlled peer.</summary>
    private bool HasRoleConflict(StunMessage request)
    {
        if (Role == IceRole.Controlling && request.IceControlling is ulong theirs)
        {
            if (TieBreaker >= theirs)
            {
                return true;
            }

            Role = IceRole.Controlled;
        }
        else if (Role == IceRole.Controlled && request.IceControlled is ulong theirsControlled)
        {
            if (isLite || TieBreaker < theirsControlled)
            {
                return true;
            }

            Role = IceRole.Controlling;
        }

        return false;
    }

    private IceRequestResult Error(StunMessage request, int code, string reason, Span<byte> response)
    {
        var writer = new StunMessageWriter(response, StunMessageType.BindingError, request.TransactionId);
        writer.AddErrorCode(code, reason);
        if (code != StunErrorCode.Unauthorized && code != StunErrorCode.BadRequest)
        {
            writer.AddMessageIntegrity(_key);
        }

        writer.AddFingerprint();
        return new(IceRequestOutcome.Rejected, writer.Length, false, code);
    }
}
