using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using MediaRelay;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Transport;

namespace Relay.Bench;

/// <summary>
/// N bridged calls through a real relay process over loopback UDP. This process is the load generator: per call a
/// "Meta" leg (ICE-lite, DTLS server, like Meta's offer) and an "agent" leg (controlling ICE, DTLS client, like a
/// browser), both on the project's own allocation-free stack, each sending an 80-byte Opus-sized RTP packet every
/// 20 ms (calls spread over ten 2 ms phases). The relay runs as a child process, so its CPU (utime + stime from
/// /proc/&lt;pid&gt;/stat) is its own; it is divided by the packets the relay forwarded in the window.
/// </summary>
internal static class LoopbackRun
{
    private const string ApiKey = "relay-bench-key-0123456789";
    private static readonly TimeSpan WarmUp = TimeSpan.FromSeconds(5);

    public static async Task<int> RunRelayAsync()
    {
        var app = RelayApp.Build(
        [
            "--urls=http://127.0.0.1:0", "--Relay:ApiKey=" + ApiKey, "--Relay:PublicIp=127.0.0.1", "--Relay:BindAddress=127.0.0.1",
            "--Relay:BrowserUdpPort=0", "--Logging:LogLevel:Default=Warning",
        ]);
        await app.StartAsync();
        Console.WriteLine("RELAY " + app.Urls.First());
        await Console.In.ReadLineAsync(); // the parent closes stdin to stop us
        await app.StopAsync();
        return 0;
    }

    public static async Task<int> RunAsync(int callCount, int seconds)
    {
        using var relay = StartRelayProcess();
        string url = await ReadRelayUrlAsync(relay);
        using var http = new HttpClient { BaseAddress = new Uri(url + "/") };
        http.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", ApiKey);
        var certificate = DtlsCertificate.Generate();
        var calls = new List<BenchCall>();
        var setup = Stopwatch.StartNew();
        for (int first = 0; first < callCount; first += 10)
        {
            calls.AddRange(await Task.WhenAll(Enumerable.Range(first, Math.Min(10, callCount - first))
                .Select(i => BenchCall.StartAsync(http, "bench-" + i.ToString(CultureInfo.InvariantCulture), certificate))));
        }

        await Task.WhenAll(calls.Select(c => c.ConnectedAsync())).WaitAsync(TimeSpan.FromMinutes(2));
        Console.WriteLine($"{callCount} calls connected in {setup.Elapsed.TotalSeconds:F1} s; warm-up {WarmUp.TotalSeconds} s, window {seconds} s");

        using var stop = new CancellationTokenSource();
        var pacer = new Thread(() => Pace(calls, stop.Token)) { IsBackground = true, Name = "pacer", Priority = ThreadPriority.AboveNormal };
        pacer.Start();
        await Task.Delay(WarmUp);
        var before = Sample(relay, calls);
        await Task.Delay(TimeSpan.FromSeconds(seconds));
        var after = Sample(relay, calls);
        stop.Cancel();
        pacer.Join();
        await Task.Delay(TimeSpan.FromMilliseconds(500)); // packets in flight arrive
        long sentInAll = calls.Sum(c => c.Sent);
        long lost = sentInAll - calls.Sum(c => c.Received);

        double window = (after.At - before.At).TotalSeconds;
        long sent = after.Sent - before.Sent;
        long forwarded = after.Received - before.Received;
        double relayCpu = (after.RelayCpu - before.RelayCpu).TotalSeconds;
        double generatorCpu = (after.GeneratorCpu - before.GeneratorCpu).TotalSeconds;
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"""
            calls {callCount}, window {window:F1} s, load average {File.ReadAllText("/proc/loadavg").Trim()}
            sent {sent / window:F0} packets/s, forwarded by the relay {forwarded / window:F0} packets/s; lost over the whole run {lost} of {sentInAll} ({100.0 * lost / Math.Max(1, sentInAll):F2} %)
            relay CPU {100 * relayCpu / window:F1} % of one core = {1e6 * relayCpu / Math.Max(1, forwarded):F1} µs per forwarded packet = {1000 * relayCpu / window / callCount:F2} ms CPU per call-second
            estimate at this per-packet cost: {callCount * window / Math.Max(1e-9, relayCpu):F0} calls per core (relay only)
            generator CPU {100 * generatorCpu / window:F1} % of one core ({1e6 * generatorCpu / Math.Max(1, sent):F1} µs per packet sent and received)
            """));
        foreach (var call in calls)
        {
            call.Dispose();
        }

        relay.StandardInput.Close();
        await relay.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(20));
        return forwarded > 0 ? 0 : 1;
    }

    private static void Pace(List<BenchCall> calls, CancellationToken stop)
    {
        // Ten 2 ms phases per 20 ms frame, so the relay sees a steady stream instead of one burst per frame.
        var clock = Stopwatch.StartNew();
        long slot = 0;
        while (!stop.IsCancellationRequested)
        {
            long due = (long)(clock.Elapsed.TotalMilliseconds / 2);
            for (; slot <= due; slot++)
            {
                for (int i = (int)(slot % 10); i < calls.Count; i += 10)
                {
                    calls[i].SendFrame();
                }
            }

            Thread.Sleep(1);
        }
    }

    private static (DateTime At, long Sent, long Received, TimeSpan RelayCpu, TimeSpan GeneratorCpu) Sample(Process relay, List<BenchCall> calls) =>
        (DateTime.UtcNow, calls.Sum(c => c.Sent), calls.Sum(c => c.Received), ProcessCpu(relay.Id), Process.GetCurrentProcess().TotalProcessorTime);

    /// <summary>utime + stime of a process, from /proc/&lt;pid&gt;/stat (fields 14 and 15, in clock ticks of 1/100 s).</summary>
    private static TimeSpan ProcessCpu(int pid)
    {
        string stat = File.ReadAllText($"/proc/{pid}/stat");
        string[] fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
        long ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
        return TimeSpan.FromMilliseconds(ticks * 10);
    }

    private static Process StartRelayProcess()
    {
        string self = Environment.ProcessPath!;
        var info = Path.GetFileNameWithoutExtension(self) == "dotnet"
            ? new ProcessStartInfo(self, [typeof(LoopbackRun).Assembly.Location, "relay"])
            : new ProcessStartInfo(self, ["relay"]);
        info.RedirectStandardInput = true;
        info.RedirectStandardOutput = true;
        info.UseShellExecute = false;
        return Process.Start(info) ?? throw new InvalidOperationException("relay process did not start");
    }

    private static async Task<string> ReadRelayUrlAsync(Process relay)
    {
        while (await relay.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith("RELAY ", StringComparison.Ordinal))
            {
                _ = relay.StandardOutput.ReadToEndAsync(); // keep draining warnings
                return line["RELAY ".Length..];
            }
        }

        throw new InvalidOperationException("relay process exited before it was ready");
    }

    /// <summary>One bridged call as the generator sees it: the customer's (Meta's) leg and the agent's leg.</summary>
    private sealed class BenchCall : IDisposable
    {
        private readonly DedicatedLegSocket _metaSocket;
        private readonly DedicatedLegSocket _agentSocket;
        private readonly byte[] _packet = new byte[80];
        private WebRtcLeg? _meta;
        private WebRtcLeg? _agent;
        private ushort _metaSeq = (ushort)Random.Shared.Next(65536);
        private ushort _agentSeq = (ushort)Random.Shared.Next(65536);
        private long _sent;
        private long _received;

        private BenchCall(DedicatedLegSocket metaSocket, DedicatedLegSocket agentSocket)
        {
            _metaSocket = metaSocket;
            _agentSocket = agentSocket;
        }

        public long Sent => Interlocked.Read(ref _sent);

        public long Received => Interlocked.Read(ref _received);

        public static async Task<BenchCall> StartAsync(HttpClient http, string id, DtlsCertificate certificate)
        {
            var loopback = new IPEndPoint(IPAddress.Loopback, 0);
            var call = new BenchCall(DedicatedLegSocket.Bind(loopback), DedicatedLegSocket.Bind(loopback));
            var metaIce = IceCredentials.Generate();
            var metaOffer = WebRtcSdpBuilder.BuildBrowserOffer(InProcessForwarding.Local(call._metaSocket.LocalEndPoint, metaIce, 0x1000, certificate));
            using var created = await http.PutAsJsonAsync("v1/sessions/" + id, new { direction = "user_initiated", businessNumberId = "1065", metaOffer = metaOffer.Write() });
            string metaAnswer = (await created.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("metaLeg").GetProperty("sdp").GetString()!;
            call._meta = call._metaSocket.CreateLeg(new WebRtcLegOptions
            {
                LocalIce = metaIce, Remote = InProcessForwarding.Summary(metaAnswer), Certificate = certificate, DtlsRole = DtlsRole.Server,
                IceLite = true, LocalSsrc = 0x1000,
            });

            var agentIce = IceCredentials.Generate();
            var agentOffer = WebRtcSdpBuilder.BuildMetaOffer(InProcessForwarding.Local(call._agentSocket.LocalEndPoint, agentIce, 0x2000, certificate));
            using var added = await http.PutAsJsonAsync($"v1/sessions/{id}/legs/agent", new { agentId = "a-" + id, browserOffer = agentOffer.Write(), active = true });
            string agentAnswer = (await added.EnsureSuccessStatusCode().Content.ReadFromJsonAsync<JsonElement>()).GetProperty("sdpAnswer").GetString()!;
            call._agent = call._agentSocket.CreateLeg(new WebRtcLegOptions
            {
                LocalIce = agentIce, Remote = InProcessForwarding.Summary(agentAnswer), Certificate = certificate, DtlsRole = DtlsRole.Client,
                IceLite = false, LocalSsrc = 0x2000,
            });
            // Only the generator's own 80-byte packets count; the relay's 3-byte silence toward Meta (sent while no
            // agent audio flows, e.g. during set-up) is not forwarding.
            call._meta.RtpReceived += (_, packet) => call.CountReceived(packet.Length);
            call._agent.RtpReceived += (_, packet) => call.CountReceived(packet.Length);
            return call;
        }

        private void CountReceived(int length)
        {
            if (length == _packet.Length)
            {
                Interlocked.Increment(ref _received);
            }
        }

        public Task ConnectedAsync() => Task.WhenAll(_meta!.Connected, _agent!.Connected);

        /// <summary>One 20 ms frame each way (only the pacer thread calls this).</summary>
        public void SendFrame()
        {
            InProcessForwarding.OpusPacket(_packet, _metaSeq++, _meta!.LocalSsrc);
            int sent = _meta.SendRtp(_packet) ? 1 : 0;
            InProcessForwarding.OpusPacket(_packet, _agentSeq++, _agent!.LocalSsrc);
            sent += _agent.SendRtp(_packet) ? 1 : 0;
            Interlocked.Add(ref _sent, sent);
        }

        public void Dispose()
        {
            _metaSocket.Dispose();
            _agentSocket.Dispose();
        }
    }
}
