using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using TestSupport;

namespace WhatsAppCalling.FunctionApp.Tests.Calls;

/// <summary>
/// The transfer tests' cast: agent-1 and agent-2, both available, each with an API client and a live SignalR console.
/// Deconstructs into <c>(one, two, consoleOne, consoleTwo)</c>; disposing closes all four.
/// </summary>
internal sealed class TwoAgents : IAsyncDisposable
{
    private TwoAgents(HttpClient one, HttpClient two, SignalRJsonClient consoleOne, SignalRJsonClient consoleTwo) =>
        (One, Two, ConsoleOne, ConsoleTwo) = (one, two, consoleOne, consoleTwo);

    public HttpClient One { get; }

    public HttpClient Two { get; }

    public SignalRJsonClient ConsoleOne { get; }

    public SignalRJsonClient ConsoleTwo { get; }

    public static async Task<TwoAgents> ConnectAsync(RunningFunctionApp app)
    {
        var one = await app.ClientForAsync("agent-1");
        var two = await app.ClientForAsync("agent-2");
        await AnsweredCall.GoAvailableAsync(one);
        await AnsweredCall.GoAvailableAsync(two);
        return new TwoAgents(one, two, await SignalRJsonClient.ConnectAsync(one), await SignalRJsonClient.ConnectAsync(two));
    }

    public void Deconstruct(out HttpClient one, out HttpClient two, out SignalRJsonClient consoleOne, out SignalRJsonClient consoleTwo) =>
        (one, two, consoleOne, consoleTwo) = (One, Two, ConsoleOne, ConsoleTwo);

    public async ValueTask DisposeAsync()
    {
        await ConsoleOne.DisposeAsync();
        await ConsoleTwo.DisposeAsync();
        One.Dispose();
        Two.Dispose();
    }
}
