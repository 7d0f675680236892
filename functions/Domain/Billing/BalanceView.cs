using System.Globalization;
using WhatsAppCalling.Domain.Primitives;

namespace WhatsAppCalling.Domain.Billing;

/// <summary>
/// A prepaid balance as the API shows it: the exact amount, a two-decimal display amount, and whether a top-up is
/// needed. The comparison uses the exact amount, so $9.995 needs a top-up although it displays as $10.00.
/// </summary>
public sealed record BalanceView(Money Exact, decimal DisplayUsd, bool TopUpRequired, Money Minimum)
{
    public static BalanceView Of(Money balance, Money minimum) =>
        new(balance, balance.DisplayUsd, balance < minimum, minimum);

    /// <summary>How much is missing to reach the minimum (zero when none is).</summary>
    public Money ShortBy => TopUpRequired ? Minimum - Exact : Money.Zero;

    /// <summary>Two decimals, for people.</summary>
    public string DisplayText => Format(DisplayUsd);

    /// <summary>Every stored decimal, for messages where rounding would mislead.</summary>
    public string ExactText => ExactTextOf(Exact);

    public static string ExactTextOf(Money amount) => Format(amount.Usd);

    private static string Format(decimal usd) =>
        (usd < 0 ? "-$" : "$") + Math.Abs(usd).ToString("0.00###########################", CultureInfo.InvariantCulture);
}
