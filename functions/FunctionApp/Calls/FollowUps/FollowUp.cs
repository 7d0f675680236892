using WhatsAppCalling.Domain.Calls;

namespace WhatsAppCalling.FunctionApp.Calls.FollowUps;

/// <summary>
/// A stored follow-up item: the domain's <see cref="CallbackRequest"/> with its id and the facts the list shows.
/// The id is the missed call's id (one item per missed call, whatever the order of the miss and the customer's
/// callback request), or <c>callback.{message id}</c> for a callback request that follows no known missed call.
/// </summary>
/// <param name="MissedAt">When the call was missed; null while only the callback request has arrived for that call.</param>
/// <param name="CallbackExpiresAt">When the customer's automatic permission ends: the callback must happen before.</param>
public sealed record FollowUp(
    string Id,
    CallbackRequest Request,
    DateTimeOffset? MissedAt = null,
    MissReason? MissReason = null,
    DateTimeOffset? CallbackExpiresAt = null)
{
    /// <summary>
    /// Listed and claimable. A callback request that names a call not (yet) missed waits unlisted: it shows when the
    /// call is missed, and never when the call was answered (someone already spoke with the customer).
    /// </summary>
    public bool Visible => MissedAt is not null || Request.MissedCall is null;

    /// <summary><c>callbackRequested</c> once the customer asked to be called back, else <c>missedCall</c>.</summary>
    public string Kind => Request.CallbackRequested ? "callbackRequested" : "missedCall";

    public static string Status(CallbackStage stage) => stage switch
    {
        CallbackStage.Open => "open",
        CallbackStage.Claimed => "claimed",
        _ => "completed",
    };
}
