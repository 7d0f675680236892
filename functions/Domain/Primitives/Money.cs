namespace WhatsAppCalling.Domain.Primitives;

/// <summary>
/// An exact amount of US dollars. Stored unrounded (pulse arithmetic yields up to 5 decimals); rounded only for display.
/// </summary>
public readonly record struct Money(decimal Usd) : IComparable<Money>
{
    public static Money Zero => new(0m);

    public static Money operator +(Money a, Money b) => new(a.Usd + b.Usd);

    public static Money operator -(Money a, Money b) => new(a.Usd - b.Usd);

    public static Money operator -(Money a) => new(-a.Usd);

    public static bool operator <(Money a, Money b) => a.Usd < b.Usd;

    public static bool operator >(Money a, Money b) => a.Usd > b.Usd;

    public static bool operator <=(Money a, Money b) => a.Usd <= b.Usd;

    public static bool operator >=(Money a, Money b) => a.Usd >= b.Usd;

    public static Money Add(Money a, Money b) => a + b;

    public static Money Subtract(Money a, Money b) => a - b;

    public static Money Negate(Money a) => -a;

    public int CompareTo(Money other) => Usd.CompareTo(other.Usd);

    /// <summary>Two-decimal display amount (banker's rounding is not what a customer expects: away from zero).</summary>
    public decimal DisplayUsd => Math.Round(Usd, 2, MidpointRounding.AwayFromZero);

    public override string ToString() => $"${DisplayUsd:0.00}";
}
