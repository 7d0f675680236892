using System.Diagnostics;
using System.Globalization;
using CallSetup.Bench;
using TestSupport;

// Call lifecycle benchmark: time to ring, time to answer and time to free the agent, end to end through the real
// function app in process, real Azurite (TEST_AZURITE_CONNECTION_STRING, or one started on free ports), the fake
// Meta and real SignalR WebSocket consoles; only the media relay is an in-process stand-in.
// Usage: CallSetup.Bench [--calls 50] [--warmup 5] [--burst 20] [--gap-ms 3000] [--poll default|tuned|both] [--tuned-ms 100] [--seed 1]
var options = Options.Parse(args);
if (options is null)
{
    Console.Error.WriteLine("usage: CallSetup.Bench [--calls 50] [--warmup 5] [--burst 20] [--gap-ms 3000] [--poll default|tuned|both] [--tuned-ms 100] [--seed 1]");
    return 2;
}

var azurite = new AzuriteFixture();
await azurite.InitializeAsync();
try
{
    Console.WriteLine($"# Call setup benchmark, {DateTimeOffset.UtcNow:u}, {Environment.ProcessorCount} cores, load {Load()}");
    Console.WriteLine($"sequential: {options.Calls} calls after {options.Warmup} warm-up, idle before each call and talk time uniform in [0, {options.GapMs}] ms (seed {options.Seed}); burst: {options.Burst} customers calling {options.Burst} numbers at once, 1 s talk");
    foreach (var poll in options.PollSettings())
    {
        await RunScenarioAsync(azurite.ConnectionString, options, poll);
    }
}
finally
{
    await azurite.DisposeAsync();
}

return 0;

static async Task RunScenarioAsync(string storage, Options options, TimeSpan? poll)
{
    var setup = Stopwatch.StartNew();
    await using var rig = await Rig.StartAsync(storage, Math.Max(1, options.Burst), poll);
    Console.WriteLine();
    Console.WriteLine($"## maxPollingInterval {rig.Queues.MaxPollingInterval.TotalMilliseconds:F0} ms ({(poll is null ? "host.json" : "tuned")}), " +
        $"first poll after a message 100 ms, doubling per empty poll; batch {rig.Queues.BatchSize}; rig ready in {setup.Elapsed.TotalSeconds:F1} s");

    var random = new Random(options.Seed);
    var seat = rig.Seats[0];
    var sequential = new List<CallTiming>();
    for (var i = 0; i < options.Warmup + options.Calls; i++)
    {
        await Task.Delay(Gap(random, options.GapMs));
        var timing = await rig.CallAsync(seat, Customer(0, i), Gap(random, options.GapMs));
        if (i >= options.Warmup)
        {
            sequential.Add(timing);
        }
    }

    Report($"sequential, {sequential.Count} calls", sequential, perCallQueue: true);

    if (options.Burst > 0)
    {
        // Let every poller back off fully first, so the burst lands as it would on an idle contact centre.
        await Task.Delay(TimeSpan.FromSeconds(4));
        var burst = await Task.WhenAll(rig.Seats.Take(options.Burst).Select((s, k) =>
            Task.Run(() => rig.CallAsync(s, Customer(1, k), TimeSpan.FromSeconds(1)))));
        Report($"burst, {burst.Length} calls at once", burst, perCallQueue: false);
    }
}

static TimeSpan Gap(Random random, int maxMs) => TimeSpan.FromMilliseconds(random.Next(0, maxMs + 1));

static string Customer(int series, int i) => "4477009" + series.ToString(CultureInfo.InvariantCulture) + i.ToString("D5", CultureInfo.InvariantCulture);

static void Report(string title, IReadOnlyList<CallTiming> calls, bool perCallQueue)
{
    Console.WriteLine();
    Console.WriteLine($"### {title}");
    Console.WriteLine();
    Console.WriteLine("| span (ms) | p50 | p95 | max |");
    Console.WriteLine("|---|---:|---:|---:|");
    Row("**time to ring**: connect sent → incomingCall on the console", calls, c => c.Rang - c.ConnectSent);
    Row("  webhook acknowledged (signature, blob, queue put)", calls, c => c.ConnectAcked - c.ConnectSent);
    if (perCallQueue)
    {
        Row("  sent → function invoked from the queue (ack + queue wait)", calls, c => c.ConnectInvoked - c.ConnectSent);
        Row("  function invoked → relay session (handler)", calls, c => c.SessionCreated - c.ConnectInvoked);
    }
    else
    {
        Row("  acknowledged → relay session (queue wait + handler)", calls, c => c.SessionCreated - c.ConnectAcked);
    }

    Row("  relay session → pre_accept at Meta", calls, c => c.PreAcceptAtMeta - c.SessionCreated);
    Row("  pre_accept at Meta → incomingCall", calls, c => c.Rang - c.PreAcceptAtMeta);
    Row("**time to answer (a)**: accept posted → HTTP response with SDP answer", calls, c => c.AcceptAnswered - c.AcceptPosted);
    Row("**time to answer (b)**: accept posted → Graph accept at Meta", calls, c => c.AcceptAtMeta - c.AcceptPosted);
    Row("  accept posted → relay agent leg", calls, c => c.LegAdded - c.AcceptPosted);
    Row("**time to free the agent**: terminate sent → callEnded on the console", calls, c => c.Ended - c.TerminateSent);
    Row("  webhook acknowledged", calls, c => c.TerminateAcked - c.TerminateSent);
    if (perCallQueue)
    {
        Row("  sent → function invoked from the queue (ack + queue wait)", calls, c => c.TerminateInvoked - c.TerminateSent);
        Row("  function invoked → relay session ended (handler)", calls, c => c.SessionEnded - c.TerminateInvoked);
    }
    else
    {
        Row("  acknowledged → relay session ended (queue wait + handler)", calls, c => c.SessionEnded - c.TerminateAcked);
    }

    Row("  relay session ended → callEnded", calls, c => c.Ended - c.SessionEnded);
}

static void Row(string name, IReadOnlyList<CallTiming> calls, Func<CallTiming, TimeSpan> span)
{
    var ms = calls.Select(c => span(c).TotalMilliseconds).Order().ToList();
    double At(double q) => ms[Math.Min(ms.Count - 1, (int)Math.Ceiling(q * ms.Count) - 1)];
    Console.WriteLine($"| {name} | {At(0.5):F0} | {At(0.95):F0} | {ms[^1]:F0} |");
}

static string Load() =>
    File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "n/a";

internal sealed record Options(int Calls, int Warmup, int Burst, int GapMs, string Poll, int TunedMs, int Seed)
{
    public static Options? Parse(string[] args)
    {
        var o = new Options(50, 5, 20, 3000, "both", 100, 1);
        for (var i = 0; i + 1 < args.Length; i += 2)
        {
            if (!int.TryParse(args[i + 1], NumberStyles.Integer, CultureInfo.InvariantCulture, out var n) && args[i] != "--poll")
            {
                return null;
            }

            o = args[i] switch
            {
                "--calls" when n > 0 => o with { Calls = n },
                "--warmup" when n >= 0 => o with { Warmup = n },
                "--burst" when n >= 0 => o with { Burst = n },
                "--gap-ms" when n >= 0 => o with { GapMs = n },
                "--tuned-ms" when n >= 100 => o with { TunedMs = n },
                "--seed" => o with { Seed = n },
                "--poll" when args[i + 1] is "default" or "tuned" or "both" => o with { Poll = args[i + 1] },
                _ => null!,
            };
            if (o is null)
            {
                return null;
            }
        }

        return args.Length % 2 == 0 ? o : null;
    }

    public IEnumerable<TimeSpan?> PollSettings()
    {
        if (Poll is "default" or "both")
        {
            yield return null;
        }

        if (Poll is "tuned" or "both")
        {
            yield return TimeSpan.FromMilliseconds(TunedMs);
        }
    }
}
