namespace WhatsAppCalling.FunctionApp.Hosting;

/// <summary>What triggers a function; the names follow function.json binding types (azure-protocols.md §1.7).</summary>
public enum TriggerType
{
    Http,
    Queue,
    Timer,
}

/// <summary>
/// One function of the app, declared once in C#. HTTP functions are forwarded by the Functions host to their
/// original route; queue and timer functions arrive as <c>POST /{Name}</c> with the host's invocation envelope.
/// </summary>
public abstract record FunctionDefinition(string Name, TriggerType Trigger);

/// <param name="Route">Route below the <c>api</c> prefix, in ASP.NET Core template syntax (same as function.json).</param>
public sealed record HttpFunctionDefinition(string Name, string Route, IReadOnlyList<string> Methods)
    : FunctionDefinition(Name, TriggerType.Http);

/// <param name="Connection">App setting (prefix) holding the storage connection, as in function.json.</param>
/// <param name="HandlerType">The <see cref="IQueueFunction"/> that runs an invocation.</param>
public sealed record QueueFunctionDefinition(string Name, string QueueName, string Connection, Type HandlerType)
    : FunctionDefinition(Name, TriggerType.Queue)
{
    /// <summary>Binding name of the trigger value in <c>Data</c>.</summary>
    public const string BindingName = "message";

    public string PoisonQueueName => QueueName + "-poison";
}

/// <param name="Schedule">Six-field NCRONTAB: second minute hour day month day-of-week.</param>
public sealed record TimerFunctionDefinition(string Name, string Schedule, bool RunOnStartup, Type HandlerType)
    : FunctionDefinition(Name, TriggerType.Timer)
{
    public const string BindingName = "timer";
}

/// <summary>The app's functions. Filled at start-up from registrations and from the mapped HTTP endpoints.</summary>
public sealed class FunctionCatalog
{
    private readonly List<FunctionDefinition> _functions = [];

    public IReadOnlyList<FunctionDefinition> Functions => _functions;

    public IEnumerable<QueueFunctionDefinition> QueueFunctions => _functions.OfType<QueueFunctionDefinition>();

    public IEnumerable<TimerFunctionDefinition> TimerFunctions => _functions.OfType<TimerFunctionDefinition>();

    public void Add(FunctionDefinition function)
    {
        ArgumentNullException.ThrowIfNull(function);
        if (!FunctionNames.IsValid(function.Name))
        {
            throw new ArgumentException($"'{function.Name}' is not a valid function name.", nameof(function));
        }

        if (_functions.Any(f => string.Equals(f.Name, function.Name, StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException($"A function named '{function.Name}' is already declared.");
        }

        _functions.Add(function);
    }

    public FunctionDefinition? Find(string name) =>
        _functions.FirstOrDefault(f => string.Equals(f.Name, name, StringComparison.OrdinalIgnoreCase));
}

public static class FunctionNames
{
    /// <summary>Function names: a letter, then letters, digits, '_' or '-' (up to 127 characters).</summary>
    public static bool IsValid(string? name) =>
        !string.IsNullOrEmpty(name) && name.Length <= 127 && char.IsAsciiLetter(name[0]) &&
        name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');
}
