namespace WhatsAppCalling.Domain.Billing;

/// <summary>A billing data file (market table or rate card) is invalid; lists every problem found, by entry.</summary>
public sealed class BillingDataException : Exception
{
    public BillingDataException(string fileName, IReadOnlyList<string> problems)
        : base($"{fileName} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
    {
        FileName = fileName;
        Problems = problems;
    }

    public BillingDataException(string fileName, string problem, Exception inner)
        : base($"{fileName} is invalid: {problem}", inner)
    {
        FileName = fileName;
        Problems = [problem];
    }

    public string FileName { get; }

    public IReadOnlyList<string> Problems { get; }
}
