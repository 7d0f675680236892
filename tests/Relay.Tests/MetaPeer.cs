using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace MediaRelay.Tests;

/// <summary>What the werift "Meta" received from the relay.</summary>
internal sealed record MetaPeerStats(int Received, int Audio, int SsrcCount, int MaxSeqJump);

/// <summary>Runs peers/meta-peer.mjs (werift, ICE-lite, like Meta) under Node and exchanges JSON lines with it.</summary>
internal sealed class MetaPeer : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly StringBuilder _stderr = new();

    private MetaPeer(Process process)
    {
        _process = process;
        _ = Task.Run(ReadStdoutAsync);
        _process.ErrorDataReceived += (_, e) =>
        {
            lock (_stderr)
            {
                _stderr.AppendLine(e.Data);
            }
        };
        _process.BeginErrorReadLine();
    }

    /// <summary>"offer": werift offers like Meta on a user-initiated call; "answer": it answers the relay's offer.</summary>
    public static MetaPeer Start(string mode)
    {
        string root = RepositoryRoot();
        var info = new ProcessStartInfo("node", [Path.Combine(root, "tests", "Relay.Tests", "peers", "meta-peer.mjs"), mode])
        {
            WorkingDirectory = root, RedirectStandardInput = true, RedirectStandardOutput = true,
            RedirectStandardError = true, UseShellExecute = false,
        };
        return new MetaPeer(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
    }

    public static string RepositoryRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (Directory.Exists(Path.Combine(dir.FullName, "node_modules", "werift")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("node_modules/werift not found above " + AppContext.BaseDirectory);
    }

    public async Task<string> OfferAsync(CancellationToken ct) =>
        (await WaitForAsync("offer", ct)).GetProperty("sdp").GetString()!;

    public async Task<string> AnswerAsync(string offer, CancellationToken ct)
    {
        await SendAsync(new { type = "offer", sdp = offer });
        return (await WaitForAsync("answer", ct)).GetProperty("sdp").GetString()!;
    }

    public Task AcceptAnswerAsync(string answer) => SendAsync(new { type = "answer", sdp = answer });

    public async Task<MetaPeerStats> StatsAsync(CancellationToken ct)
    {
        await SendAsync(new { type = "stats" });
        var s = await WaitForAsync("stats", ct);
        return new MetaPeerStats(s.GetProperty("received").GetInt32(), s.GetProperty("audio").GetInt32(),
            s.GetProperty("ssrcs").GetArrayLength(), s.GetProperty("maxSeqJump").GetInt32());
    }

    /// <summary>Sends datagrams from werift's own ICE socket, the address the relay selected (see meta-peer.mjs).</summary>
    public async Task InjectAsync(IEnumerable<object> packets, CancellationToken ct)
    {
        await SendAsync(new { type = "inject", packets });
        await WaitForAsync("injected", ct);
    }

    /// <summary>A datagram sent exactly as given.</summary>
    public static object Raw(byte[] datagram) => new { raw = Convert.ToBase64String(datagram) };

    /// <summary>An RTP packet werift protects with its real SRTP keys; <paramref name="corruptTag"/> flips a tag bit.</summary>
    public static object Srtp(uint ssrc, int payloadType, ushort sequenceNumber, byte[] payload, bool padding = false, bool corruptTag = false) =>
        new { srtp = new { ssrc, payloadType, sequenceNumber, timestamp = 0, padding, payload = Convert.ToBase64String(payload) }, corruptTag };

    /// <summary>Presses the keys as Meta sends them (RFC 4733 on PT 126, see meta-peer.mjs); returns once all are sent.</summary>
    public async Task PressKeysAsync(string digits, CancellationToken ct)
    {
        await SendAsync(new { type = "dtmf", digits });
        await WaitForAsync("dtmfSent", ct);
    }

    public async Task WaitConnectedAsync(CancellationToken ct) => await WaitForAsync("connected", ct);

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_process.HasExited)
            {
                await SendAsync(new { type = "stop" });
                using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await _process.WaitForExitAsync(cts.Token);
            }
        }
        catch (Exception ex) when (ex is OperationCanceledException or IOException or InvalidOperationException)
        {
            _process.Kill(entireProcessTree: true);
        }
        finally
        {
            _process.Dispose();
        }
    }

    private async Task SendAsync(object message)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await _process.StandardInput.FlushAsync();
    }

    private async Task<JsonElement> WaitForAsync(string type, CancellationToken ct)
    {
        await foreach (var message in _messages.Reader.ReadAllAsync(ct))
        {
            string? actual = message.GetProperty("type").GetString();
            if (actual == type)
            {
                return message;
            }

            if (actual == "failed")
            {
                throw new InvalidOperationException("werift reported failure: " + Stderr());
            }
        }

        throw new InvalidOperationException($"werift exited before '{type}': {Stderr()}");
    }

    private string Stderr()
    {
        lock (_stderr)
        {
            return _stderr.ToString();
        }
    }

    private async Task ReadStdoutAsync()
    {
        while (await _process.StandardOutput.ReadLineAsync() is { } line)
        {
            if (line.StartsWith('{'))
            {
                _messages.Writer.TryWrite(JsonDocument.Parse(line).RootElement.Clone());
            }
        }

        _messages.Writer.TryComplete();
    }
}
