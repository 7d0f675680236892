namespace WhatsAppCalling.WhatsApp.Errors;

/// <summary>
/// Why a Graph request failed, in terms an agent or the domain can act on. The calling codes are those of
/// whatsapp-calling-api.md §2.7; the last few cover failures that carry no calling code.
/// </summary>
public enum CallingFailureReason
{
    Unknown = 0,
    InvalidParameter,
    PermissionsRateLimited,
    InteractiveCallNotSupported,
    RecipientNotInAllowedList,
    NoPaymentMethod,
    SipEnabledNumber,
    OutdatedClient,
    CallingNotEnabled,
    CustomerUnreachable,
    ConcurrentCallLimit,
    DuplicateCall,
    ConnectionError,
    CallRateLimited,
    NoCallPermission,
    ConnectTimeout,
    TooManyPermissionRequests,
    ConnectedCallLimit,
    BusinessCountryNotAllowed,
    CallingTemporarilyDisabled,
    MessagingLimitTooLow,
    PermanentPermissionExists,
    CallingPrerequisitesMissing,
    ClientSetupFailed,
    ClientCannotReachRelay,
    NoMediaReceived,
    ClientCannotSendMedia,
    NoMediaSignals,
    AccessDenied,
    RateLimited,
    MetaUnavailable,
    Timeout,
    Unreachable,
}

/// <summary>Maps Graph error codes to reasons and reasons to sentences an agent can act on.</summary>
public static class CallingFailures
{
    /// <summary>Graph's generic "invalid OAuth token" code; not calling-specific but common after token rotation.</summary>
    public const int InvalidAccessTokenCode = 190;

    public static CallingFailureReason FromCode(int code, int? httpStatus) => code switch
    {
        100 => CallingFailureReason.InvalidParameter,
        613 => CallingFailureReason.PermissionsRateLimited,
        131009 => CallingFailureReason.InteractiveCallNotSupported,
        131026 => CallingFailureReason.OutdatedClient,
        131030 => CallingFailureReason.RecipientNotInAllowedList,
        131044 => CallingFailureReason.NoPaymentMethod,
        131055 => CallingFailureReason.SipEnabledNumber,
        138000 => CallingFailureReason.CallingNotEnabled,
        138001 => CallingFailureReason.CustomerUnreachable,
        138002 => CallingFailureReason.ConcurrentCallLimit,
        138003 => CallingFailureReason.DuplicateCall,
        138004 => CallingFailureReason.ConnectionError,
        138005 => CallingFailureReason.CallRateLimited,
        138006 => CallingFailureReason.NoCallPermission,
        138007 => CallingFailureReason.ConnectTimeout,
        138009 => CallingFailureReason.TooManyPermissionRequests,
        138012 => CallingFailureReason.ConnectedCallLimit,
        138013 => CallingFailureReason.BusinessCountryNotAllowed,
        138014 => CallingFailureReason.CallingTemporarilyDisabled,
        138015 => CallingFailureReason.MessagingLimitTooLow,
        138017 => CallingFailureReason.PermanentPermissionExists,
        138018 => CallingFailureReason.CallingPrerequisitesMissing,
        138019 => CallingFailureReason.ClientSetupFailed,
        138020 => CallingFailureReason.ClientCannotReachRelay,
        138021 => CallingFailureReason.NoMediaReceived,
        138022 => CallingFailureReason.ClientCannotSendMedia,
        138023 => CallingFailureReason.NoMediaSignals,
        InvalidAccessTokenCode => CallingFailureReason.AccessDenied,
        _ => FromHttpStatus(httpStatus),
    };

    public static CallingFailureReason FromHttpStatus(int? httpStatus) => httpStatus switch
    {
        401 or 403 => CallingFailureReason.AccessDenied,
        429 => CallingFailureReason.RateLimited,
        >= 500 => CallingFailureReason.MetaUnavailable,
        _ => CallingFailureReason.Unknown,
    };

    /// <summary>A sentence for the agent console: what happened and, where there is one, what to do.</summary>
    public static string AgentMessage(CallingFailureReason reason) => reason switch
    {
        CallingFailureReason.InvalidParameter => "WhatsApp rejected the request as invalid (for a call: the audio setup was not accepted).",
        CallingFailureReason.PermissionsRateLimited => "Too many permission look-ups right now; try again in a moment.",
        CallingFailureReason.InteractiveCallNotSupported => "Call buttons are not supported for this business number's country.",
        CallingFailureReason.RecipientNotInAllowedList => "This test number may only reach customers on its allowed list.",
        CallingFailureReason.NoPaymentMethod => "The WhatsApp account has no valid payment method; ask an admin to add one.",
        CallingFailureReason.SipEnabledNumber => "This business number is set up for SIP calling, not for this app.",
        CallingFailureReason.OutdatedClient => "The customer's WhatsApp app is too old for call permissions.",
        CallingFailureReason.CallingNotEnabled => "Calling is not enabled on this business number; ask an admin to enable it.",
        CallingFailureReason.CustomerUnreachable => "The customer is not reachable on WhatsApp.",
        CallingFailureReason.ConcurrentCallLimit => "The business number has too many calls at once; try again shortly.",
        CallingFailureReason.DuplicateCall => "A call with this customer is already in progress.",
        CallingFailureReason.ConnectionError => "WhatsApp could not set up the connection; try again.",
        CallingFailureReason.CallRateLimited => "Too many calls started from this business number; wait a little.",
        CallingFailureReason.NoCallPermission => "No call permission: ask the customer for permission to call first.",
        CallingFailureReason.ConnectTimeout => "The call could not be connected in time; try again.",
        CallingFailureReason.TooManyPermissionRequests => "Too many permission requests: at most 1 per day and 2 per week until the customer connects a call.",
        CallingFailureReason.ConnectedCallLimit => "The daily limit of connected calls with this customer is reached; try again tomorrow.",
        CallingFailureReason.BusinessCountryNotAllowed => "Business number country not allowed: calls to customers cannot start from this number's country.",
        CallingFailureReason.CallingTemporarilyDisabled => "Calling is paused on this number because of low call quality.",
        CallingFailureReason.MessagingLimitTooLow => "Calling cannot be enabled until the number's messaging limit reaches 2,000.",
        CallingFailureReason.PermanentPermissionExists => "The customer already gave permanent call permission; just call.",
        CallingFailureReason.CallingPrerequisitesMissing => "Calling prerequisites are missing (webhook subscription); ask an admin.",
        CallingFailureReason.ClientSetupFailed => "The customer's phone could not set up the call.",
        CallingFailureReason.ClientCannotReachRelay => "The customer's phone could not reach WhatsApp's media relay.",
        CallingFailureReason.NoMediaReceived => "The call ended because no audio arrived for too long.",
        CallingFailureReason.ClientCannotSendMedia => "The customer's phone could not send audio.",
        CallingFailureReason.NoMediaSignals => "The call was answered but no audio ever flowed.",
        CallingFailureReason.AccessDenied => "WhatsApp refused the app's credentials; ask an admin to check the access token.",
        CallingFailureReason.RateLimited => "WhatsApp is rate-limiting requests; try again shortly.",
        CallingFailureReason.MetaUnavailable => "WhatsApp is having trouble; try again shortly.",
        CallingFailureReason.Timeout => "WhatsApp did not answer in time; try again.",
        CallingFailureReason.Unreachable => "WhatsApp could not be reached; check connectivity.",
        _ => "WhatsApp refused the request.",
    };
}
