using System.Diagnostics.CodeAnalysis;

namespace WhatsAppCalling.WhatsApp.Errors;

/// <summary>The outcome of a Graph request that returns only <c>success</c>.</summary>
public sealed record GraphResult
{
    private GraphResult(GraphError? error) => Error = error;

    public GraphError? Error { get; }

    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

    public static GraphResult Success { get; } = new((GraphError?)null);

    public static GraphResult Failure(GraphError error) => new(error ?? throw new ArgumentNullException(nameof(error)));
}

/// <summary>The outcome of a Graph request that returns a value.</summary>
public sealed record GraphResult<T>
{
    private GraphResult(T? value, GraphError? error)
    {
        Value = value;
        Error = error;
    }

    public T? Value { get; }

    public GraphError? Error { get; }

    [MemberNotNullWhen(true, nameof(Value))]
    [MemberNotNullWhen(false, nameof(Error))]
    public bool IsSuccess => Error is null;

#pragma warning disable CA1000 // Factory methods on the generic result read best at the call site.
    public static GraphResult<T> Success(T value) => new(value ?? throw new ArgumentNullException(nameof(value)), null);

    public static GraphResult<T> Failure(GraphError error) => new(default, error ?? throw new ArgumentNullException(nameof(error)));
#pragma warning restore CA1000
}
