using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Xunit;
using WhatsAppCalling.Storage.Account;

namespace TestSupport;

/// <summary>
/// Real Azurite for integration tests (xunit collection or class fixture). Uses
/// <c>TEST_AZURITE_CONNECTION_STRING</c> when test.sh already started one; otherwise starts
/// <c>node_modules/.bin/azurite</c> in memory on free loopback ports, shared by every fixture instance in the
/// process and killed when the last one is disposed (or the process exits).
/// </summary>
public sealed class AzuriteFixture : IAsyncLifetime
{
    public const string ConnectionStringVariable = "TEST_AZURITE_CONNECTION_STRING";

    private string? _connectionString;

    public string ConnectionString => _connectionString ?? throw new InvalidOperationException("Azurite has not started yet.");

    public StorageAccount Account => StorageAccount.Parse(ConnectionString);

    /// <summary>A name unique to this run, valid for tables (letters and digits) as well as queues and containers.</summary>
    public static string UniqueName(string prefix) =>
        (prefix + Guid.NewGuid().ToString("N")[..12]).ToLowerInvariant();

    public async Task InitializeAsync()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable(ConnectionStringVariable);
        _connectionString = string.IsNullOrWhiteSpace(fromEnvironment)
            ? await AzuriteProcess.AcquireAsync()
            : fromEnvironment;
    }

    public Task DisposeAsync()
    {
        if (string.IsNullOrWhiteSpace(Environment.GetEnvironmentVariable(ConnectionStringVariable)))
            AzuriteProcess.Release();
        return Task.CompletedTask;
    }

    /// <summary>One Azurite process per test process, reference counted across fixtures.</summary>
    private static class AzuriteProcess
    {
        private static readonly SemaphoreSlim Gate = new(1, 1);
        private static Process? _process;
        private static string? _connectionString;
        private static int _users;

        public static async Task<string> AcquireAsync()
        {
            await Gate.WaitAsync();
            try
            {
                _users++;
                if (_connectionString is not null)
                    return _connectionString;
                _connectionString = await StartAsync();
                return _connectionString;
            }
            catch
            {
                _users--;
                throw;
            }
            finally
            {
                Gate.Release();
            }
        }

        public static void Release()
        {
            Gate.Wait();
            try
            {
                if (--_users > 0)
                    return;
                Stop();
            }
            finally
            {
                Gate.Release();
            }
        }

        private static async Task<string> StartAsync()
        {
            var root = RepositoryRoot();
            var azurite = Path.Combine(root, "node_modules", ".bin", "azurite");
            if (!File.Exists(azurite))
                throw new InvalidOperationException($"Azurite is not installed at {azurite}; run 'npm ci' in {root}.");

            var (blob, queue, table) = (FreePort(), FreePort(), FreePort());
            var start = new ProcessStartInfo(azurite)
            {
                WorkingDirectory = root,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            foreach (var arg in new[]
                     {
                         "--inMemoryPersistence", "--silent", "--loose", "--skipApiVersionCheck", "--disableTelemetry",
                         "--blobHost", "127.0.0.1", "--queueHost", "127.0.0.1", "--tableHost", "127.0.0.1",
                         "--blobPort", blob.ToString(), "--queuePort", queue.ToString(), "--tablePort", table.ToString(),
                     })
            {
                start.ArgumentList.Add(arg);
            }

            var process = Process.Start(start) ?? throw new InvalidOperationException("Azurite did not start.");
            process.OutputDataReceived += (_, _) => { };
            process.ErrorDataReceived += (_, _) => { };
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            _process = process;
            AppDomain.CurrentDomain.ProcessExit += (_, _) => Stop();

            try
            {
                await WaitForPortsAsync(process, blob, queue, table);
            }
            catch
            {
                Stop();
                throw;
            }

            return "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;" +
                   "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;" +
                   $"BlobEndpoint=http://127.0.0.1:{blob}/devstoreaccount1;" +
                   $"QueueEndpoint=http://127.0.0.1:{queue}/devstoreaccount1;" +
                   $"TableEndpoint=http://127.0.0.1:{table}/devstoreaccount1;";
        }

        private static void Stop()
        {
            var process = Interlocked.Exchange(ref _process, null);
            _connectionString = null;
            if (process is null)
                return;
            try
            {
                if (!process.HasExited)
                {
                    process.Kill(entireProcessTree: true);
                    process.WaitForExit(5000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }
            finally
            {
                process.Dispose();
            }
        }

        private static async Task WaitForPortsAsync(Process process, params int[] ports)
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            foreach (var port in ports)
            {
                while (true)
                {
                    if (process.HasExited)
                        throw new InvalidOperationException($"Azurite exited with code {process.ExitCode} before listening.");
                    try
                    {
                        using var client = new TcpClient();
                        await client.ConnectAsync(IPAddress.Loopback, port, timeout.Token);
                        break;
                    }
                    catch (SocketException)
                    {
                        await Task.Delay(100, timeout.Token);
                    }
                }
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }

        private static string RepositoryRoot()
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                    return dir.FullName;
            }
            for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
                    return dir.FullName;
            }
            var recorded = typeof(AzuriteFixture).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>()
                .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
            if (recorded is not null && File.Exists(Path.Combine(recorded, "Serverless.sln")))
                return recorded;
            throw new InvalidOperationException("Serverless.sln not found above the test directory or the build's source tree.");
        }
    }
}
