using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace WhatsAppCalling.Storage.Tests.Account;

/// <summary>A scripted loopback HTTP server standing in for a storage endpoint when a test needs faults Azurite cannot produce.</summary>
internal sealed class LoopbackStorageServer : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly Func<int, HttpListenerContext, Task> _respond;
    private readonly Task _loop;
    private int _count;

    public LoopbackStorageServer(Func<int, HttpListenerContext, Task> respond)
    {
        _respond = respond;
        var port = FreePort();
        BaseUri = new Uri($"http://127.0.0.1:{port}/devstoreaccount1");
        _listener.Prefixes.Add($"http://127.0.0.1:{port}/");
        _listener.Start();
        _loop = Task.Run(LoopAsync);
    }

    public Uri BaseUri { get; }

    public ConcurrentQueue<(string Method, string Url, Dictionary<string, string> Headers)> Requests { get; } = new();

    public static async Task ReplyAsync(HttpListenerContext context, int status, string body = "", string? errorCode = null)
    {
        context.Response.StatusCode = status;
        if (errorCode is not null)
            context.Response.Headers["x-ms-error-code"] = errorCode;
        var bytes = Encoding.UTF8.GetBytes(body);
        context.Response.ContentLength64 = bytes.Length;
        await context.Response.OutputStream.WriteAsync(bytes);
        context.Response.Close();
    }

    public void Dispose()
    {
        _listener.Stop();
        _listener.Close();
        try
        {
            _loop.Wait(TimeSpan.FromSeconds(2));
        }
        catch (AggregateException)
        {
            // The loop ends with the listener.
        }
    }

    private async Task LoopAsync()
    {
        while (_listener.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _listener.GetContextAsync();
            }
            catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }
            var headers = context.Request.Headers.AllKeys.Where(k => k is not null)
                .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
            Requests.Enqueue((context.Request.HttpMethod, context.Request.Url!.PathAndQuery, headers));
            var index = Interlocked.Increment(ref _count) - 1;
            _ = Task.Run(async () =>
            {
                try
                {
                    await _respond(index, context);
                }
                catch (Exception ex) when (ex is HttpListenerException or ObjectDisposedException or IOException)
                {
                    // The client gave up (timeout tests).
                }
            });
        }
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
