namespace MediaRelay.Api;

/// <summary>A request the relay refuses; the endpoint turns it into the RFC 9457 problem of docs/RELAY-API.md, "Errors".</summary>
internal sealed class RelayApiException(int status, string code, string detail, string? fieldName = null) : Exception(detail)
{
    public int Status => status;

    public string Code => code;

    public string? Field => fieldName;

    public static RelayApiException Invalid(string field, string detail) => new(400, "invalid_request", detail, field);

    public static RelayApiException SdpRejected(string detail) => new(422, "sdp_rejected", detail);

    public static RelayApiException Conflict(string detail) => new(409, "conflict", detail);

    public static RelayApiException LegNotFound(string legId) => new(404, "leg_not_found", $"The session has no agent leg '{legId}'.");
}
