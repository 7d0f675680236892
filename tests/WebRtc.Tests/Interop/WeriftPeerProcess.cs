using System.Diagnostics;
using System.Text.Json;
using System.Threading.Channels;

namespace MediaRelay.WebRtc.Tests.Interop;

/// <summary>Runs peers/werift-peer.mjs under Node and exchanges JSON lines with it.</summary>
internal sealed class WeriftPeerProcess : IAsyncDisposable
{
    private readonly Process _process;
    private readonly Channel<JsonElement> _messages = Channel.CreateUnbounded<JsonElement>();
    private readonly System.Text.StringBuilder _stderr = new();

    private WeriftPeerProcess(Process process)
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

    public string StandardError
    {
        get
        {
            lock (_stderr)
            {
                return _stderr.ToString();
            }
        }
    }

    public static WeriftPeerProcess Start(string mode)
    {
        string root = RepositoryRoot();
        var info = new ProcessStartInfo("node", [Path.Combine(root, "tests", "WebRtc.Tests", "peers", "werift-peer.mjs"), mode])
        {
            WorkingDirectory = root,
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        return new WeriftPeerProcess(Process.Start(info) ?? throw new InvalidOperationException("node did not start"));
    }

    /// <summary>The repository root: the first ancestor of the test binaries that holds node_modules/werift.</summary>
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

    public async Task SendAsync(object message)
    {
        await _process.StandardInput.WriteLineAsync(JsonSerializer.Serialize(message));
        await _process.StandardInput.FlushAsync();
    }

    /// <summary>Next message of <paramref name="type"/> that satisfies <paramref name="predicate"/>.</summary>
    public async Task<JsonElement> WaitForAsync(string type, CancellationToken cancellationToken, Func<JsonElement, bool>? predicate = null)
    {
        await foreach (var message in _messages.Reader.ReadAllAsync(cancellationToken))
        {
            string? actual = message.GetProperty("type").GetString();
            if (actual is "failed" && type != "failed")
            {
                throw new InvalidOperationException("werift reported failure: " + StandardError);
            }

            if (actual == type && (predicate is null || predicate(message)))
            {
                return message;
            }
        }

        throw new InvalidOperationException($"werift exited before '{type}': {StandardError}");
    }

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
