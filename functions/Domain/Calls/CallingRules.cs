namespace WhatsAppCalling.Domain.Calls;

/// <summary>
/// The tunable numbers of the call lifecycle, bound from <c>Calling__*</c> settings (architecture.md, configuration
/// keys). Defaults follow issue 8: 15 s per ring step, a 45 s ring budget inside Meta's 30–60 s accept window
/// (whatsapp-calling-api.md §0, §2.6), and a 30 s transfer revert (respond.io seed).
/// </summary>
public sealed record CallingRules
{
    public static CallingRules Default { get; } = new();

    public TimeSpan RingStep { get; init; } = TimeSpan.FromSeconds(15);

    public TimeSpan RingBudget { get; init; } = TimeSpan.FromSeconds(45);

    public TimeSpan TransferRevert { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Longest transfer note an agent may type; the note travels in a SignalR message, so keep it short.</summary>
    public int MaxTransferNoteLength { get; init; } = 500;

    public DispositionCatalog Dispositions { get; init; } = DispositionCatalog.Default;

    /// <summary>Throws when a setting would break a rule of the lifecycle; call at start-up.</summary>
    public CallingRules Validate()
    {
        if (RingStep <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(RingStep), RingStep, "A ring step must last longer than zero.");
        }

        // Meta stops offering an unanswered call after about 30–60 s (§0); a longer budget could never be spent.
        if (RingBudget < TimeSpan.FromSeconds(5) || RingBudget > TimeSpan.FromSeconds(60))
        {
            throw new ArgumentOutOfRangeException(nameof(RingBudget), RingBudget, "The ring budget must lie within Meta's 60 s accept window.");
        }

        if (TransferRevert <= TimeSpan.Zero)
        {
            throw new ArgumentOutOfRangeException(nameof(TransferRevert), TransferRevert, "The transfer revert time must be positive.");
        }

        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(MaxTransferNoteLength);
        ArgumentNullException.ThrowIfNull(Dispositions);
        return this;
    }
}
