using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using System.Threading.Channels;

namespace TestSupport;

/// <summary>
/// A minimal SignalR client over a raw WebSocket and the JSON hub protocol, standing in for the browser's
/// <c>@microsoft/signalr</c> (the .NET client package is not obtainable): it follows the negotiate redirect,
/// negotiates with the hub, connects, handshakes and collects invocation frames.
/// </summary>
public sealed class SignalRJsonClient : IAsyncDisposable
{
    private const char RecordSeparator = '\u001e';

    private readonly ClientWebSocket _socket = new();
    private readonly Channel<Invocation> _invocations = Channel.CreateUnbounded<Invocation>();
    private readonly Channel<JsonElement> _completions = Channel.CreateUnbounded<JsonElement>();
    private readonly CancellationTokenSource _stop = new();
    private Task _receiving = Task.CompletedTask;

    public sealed record Invocation(string Target, JsonElement[] Arguments);

    /// <summary>Negotiates through the app's <c>POST /api/negotiate</c> with an agent's client and connects.</summary>
    public static async Task<SignalRJsonClient> ConnectAsync(HttpClient agent, CancellationToken cancellationToken = default)
    {
        using var redirect = await agent.PostAsync("/api/negotiate?negotiateVersion=1", content: null, cancellationToken);
        redirect.EnsureSuccessStatusCode();
        var target = await redirect.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var hubUrl = target.GetProperty("url").GetString()!;
        var token = target.GetProperty("accessToken").GetString()!;

        using var http = new HttpClient();
        using var negotiate = new HttpRequestMessage(HttpMethod.Post, hubUrl.TrimEnd('/') + "/negotiate?negotiateVersion=1");
        negotiate.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var negotiated = await http.SendAsync(negotiate, cancellationToken);
        negotiated.EnsureSuccessStatusCode();
        var connection = await negotiated.Content.ReadFromJsonAsync<JsonElement>(cancellationToken);
        var connectionToken = connection.GetProperty("connectionToken").GetString()!;

        var client = new SignalRJsonClient();
        var socketUrl = new UriBuilder(hubUrl)
        {
            Scheme = hubUrl.StartsWith("https", StringComparison.Ordinal) ? "wss" : "ws",
            Query = $"id={Uri.EscapeDataString(connectionToken)}&access_token={Uri.EscapeDataString(token)}",
        }.Uri;
        await client._socket.ConnectAsync(socketUrl, cancellationToken);
        await client.SendFrameAsync("""{"protocol":"json","version":1}""", cancellationToken);
        var handshake = await client.ReceiveFramesAsync(cancellationToken);
        if (handshake.Count == 0 || handshake[0].TryGetProperty("error", out _))
        {
            throw new InvalidOperationException($"Handshake failed: {string.Join(", ", handshake)}");
        }

        client._receiving = client.ReceiveLoopAsync();
        await client.WaitUntilRegisteredAsync(cancellationToken);
        return client;
    }

    /// <summary>The next invocation pushed by the server, or null when none arrives within <paramref name="timeout"/>.</summary>
    public async Task<Invocation?> NextAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            return await _invocations.Reader.ReadAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        try
        {
            if (_socket.State == WebSocketState.Open)
            {
                await _socket.CloseAsync(WebSocketCloseStatus.NormalClosure, "done", CancellationToken.None);
            }
        }
        catch (WebSocketException)
        {
        }

        try
        {
            await _receiving;
        }
        catch (Exception ex) when (ex is OperationCanceledException or WebSocketException)
        {
        }

        _socket.Dispose();
        _stop.Dispose();
    }

    /// <summary>
    /// The handshake reply can precede the server's registration of the connection under its user id; a call to a
    /// missing hub method is answered only after registration, so its completion is a barrier.
    /// </summary>
    private async Task WaitUntilRegisteredAsync(CancellationToken cancellationToken)
    {
        await SendFrameAsync("""{"type":1,"invocationId":"barrier","target":"barrier","arguments":[]}""", cancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        cts.CancelAfter(TimeSpan.FromSeconds(10));
        await _completions.Reader.ReadAsync(cts.Token);
    }

    private Task SendFrameAsync(string json, CancellationToken cancellationToken) =>
        _socket.SendAsync(Encoding.UTF8.GetBytes(json + RecordSeparator), WebSocketMessageType.Text, endOfMessage: true, cancellationToken);

    private async Task ReceiveLoopAsync()
    {
        while (!_stop.IsCancellationRequested && _socket.State == WebSocketState.Open)
        {
            foreach (var frame in await ReceiveFramesAsync(_stop.Token))
            {
                switch (frame.TryGetProperty("type", out var type) ? type.GetInt32() : 0)
                {
                    case 1:
                        await _invocations.Writer.WriteAsync(new Invocation(
                            frame.GetProperty("target").GetString()!, [.. frame.GetProperty("arguments").EnumerateArray().Select(a => a.Clone())]));
                        break;
                    case 3:
                        await _completions.Writer.WriteAsync(frame);
                        break;
                    case 7:
                        return;
                }
            }
        }
    }

    private async Task<List<JsonElement>> ReceiveFramesAsync(CancellationToken cancellationToken)
    {
        var buffer = new byte[16 * 1024];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await _socket.ReceiveAsync(buffer, cancellationToken);
            if (result.MessageType == WebSocketMessageType.Close)
            {
                return [];
            }

            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);

        return [.. Encoding.UTF8.GetString(message.ToArray())
            .Split(RecordSeparator, StringSplitOptions.RemoveEmptyEntries)
            .Select(json => JsonDocument.Parse(json).RootElement.Clone())];
    }
}
