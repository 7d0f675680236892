using System.Diagnostics;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.FunctionApp.Calls.Notifications;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Notifications;

/// <summary>
/// The console's own client library, <c>@microsoft/signalr</c> from npm, under Node against the running app: it
/// must follow the negotiate redirect to the local hub exactly as it follows it to SignalR Service in Azure.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NodeSignalRClientTests(AzuriteFixture azurite) : IAsyncLifetime
{
    // Forces WebSockets so the token travels the way browsers send it there; the barrier invocation is answered only
    // once the server has registered the connection under its user id.
    private const string Listener = """
        const [signalrPath, baseUrl, token] = process.argv.slice(2);
        const signalR = require(signalrPath);
        const connection = new signalR.HubConnectionBuilder()
          .withUrl(baseUrl + "/api", { accessTokenFactory: () => token, transport: signalR.HttpTransportType.WebSockets })
          .configureLogging(signalR.LogLevel.Error)
          .build();
        for (const target of ["incomingCall", "callTaken"]) {
          connection.on(target, payload => console.log(JSON.stringify({ target, payload })));
        }
        connection.start()
          .then(() => connection.invoke("barrier").catch(() => {}))
          .then(() => console.log(JSON.stringify({ connected: true })))
          .catch(error => { console.error(String(error)); process.exit(2); });
        process.stdin.on("end", () => connection.stop().then(() => process.exit(0)));
        process.stdin.resume();
        """;

    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    [Fact]
    public async Task The_npm_client_follows_negotiate_to_the_hub_and_receives_its_agents_events()
    {
        using var agent = await _app.ClientForAsync("agent-1");
        var script = Path.Combine(Path.GetTempPath(), $"signalr-listen-{Guid.NewGuid():N}.js");
        await File.WriteAllTextAsync(script, Listener);
        var signalr = Path.Combine(RepositoryRoot(), "node_modules", "@microsoft", "signalr");
        using var node = Process.Start(new ProcessStartInfo("node")
        {
            ArgumentList = { script, signalr, _app.BaseAddress.AbsoluteUri.TrimEnd('/'), agent.DefaultRequestHeaders.Authorization!.Parameter! },
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        })!;
        var errors = new System.Text.StringBuilder();
        node.ErrorDataReceived += (_, e) => { lock (errors) { errors.AppendLine(e.Data); } };
        node.BeginErrorReadLine();
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
            var connected = await ReadLineAsync(node, timeout.Token);
            Assert.True(connected?.Contains("connected", StringComparison.Ordinal) == true, $"node said '{connected}', stderr: {errors}");

            var notifier = _app.Services.GetRequiredService<IAgentNotifier>();
            var at = new DateTimeOffset(2026, 11, 22, 3, 0, 0, TimeSpan.Zero);
            await notifier.NotifyAgentAsync(new AgentId("agent-2"), new CallTakenNotification("wacid.other", "agent-2") { At = at }, CancellationToken.None);
            await notifier.NotifyAgentAsync(new AgentId("agent-1"), new IncomingCallNotification("wacid.node", RunningFunctionApp.BusinessNumberId,
                null, new NotifiedCustomer("wa:447700900123", "+447700900123", null), CanAcceptNow: false, Reason: "on_call", at.AddSeconds(15)) { At = at },
                CancellationToken.None);

            var received = await ReadLineAsync(node, timeout.Token);
            Assert.True(received is not null, $"no event; stderr: {errors}");
            using var line = JsonDocument.Parse(received);
            Assert.Equal("incomingCall", line.RootElement.GetProperty("target").GetString());
            var payload = line.RootElement.GetProperty("payload");
            Assert.Equal("wacid.node", payload.GetProperty("callId").GetString());
            Assert.False(payload.GetProperty("canAcceptNow").GetBoolean());
            Assert.Equal("on_call", payload.GetProperty("reason").GetString());
        }
        finally
        {
            node.StandardInput.Close();
            if (!node.WaitForExit(5000))
            {
                node.Kill();
            }

            File.Delete(script);
        }
    }

    private static async Task<string?> ReadLineAsync(Process node, CancellationToken cancellationToken)
    {
        try
        {
            return await node.StandardOutput.ReadLineAsync(cancellationToken);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    /// <summary>Where npm installed the client: above the test binaries, or the tree TestSupport was built from.</summary>
    private static string RepositoryRoot()
    {
        var recorded = typeof(AzuriteFixture).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;
        return new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() }
            .SelectMany(start => Ancestors(new DirectoryInfo(start)))
            .Append(recorded)
            .First(dir => dir is not null && File.Exists(Path.Combine(dir, "Serverless.sln")))!;
    }

    private static IEnumerable<string?> Ancestors(DirectoryInfo? dir)
    {
        for (; dir is not null; dir = dir.Parent)
        {
            yield return dir.FullName;
        }
    }
}
