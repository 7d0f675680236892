// One UDP socket with a single receive loop. Browser legs share one (RFC 7983 demultiplexing happens above);
// each Meta leg gets its own so two calls can never share a 5-tuple (webrtc-relay.md §1, issue 9 §3).
using System.Net;
using System.Net.Sockets;

namespace MediaRelay.WebRtc.Transport;

/// <summary>Handler for one received datagram; the span is the loop's buffer and may be modified in place.</summary>
public delegate void DatagramHandler(Span<byte> datagram, IPEndPoint remote);

/// <summary>Something that can send a datagram to a remote address.</summary>
public interface IDatagramSender
{
    void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote);
}

public sealed class UdpSocketLoop : IDatagramSender, IDisposable
{
    private const int MaxDatagram = 2048;
    private readonly Socket _socket;
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    private UdpSocketLoop(Socket socket) => _socket = socket;

    public IPEndPoint LocalEndPoint => (IPEndPoint)_socket.LocalEndPoint!;

    /// <summary>Number of send failures (ICMP unreachable, buffer full); sends are best-effort like UDP itself.</summary>
    public long SendErrors => Interlocked.Read(ref _sendErrors);

    private long _sendErrors;
    private long _oversized;
    private int _disposed;
    private volatile Dictionary<IPEndPoint, IPEndPoint>? _sourceAliases;

    /// <summary>Datagrams over 2048 bytes (no media or handshake packet is that large), dropped unread.</summary>
    public long OversizedDropped => Interlocked.Read(ref _oversized);

    /// <summary>Binds a socket; port 0 picks a free port.</summary>
    public static UdpSocketLoop Bind(IPEndPoint local)
    {
        ArgumentNullException.ThrowIfNull(local);
        var socket = new Socket(local.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            socket.Bind(local);
        }
        catch
        {
            socket.Dispose();
            throw;
        }

        return new UdpSocketLoop(socket);
    }

    /// <summary>Starts the receive loop, delivering each datagram to <paramref name="handler"/> on the loop's task.</summary>
    public void Start(DatagramHandler handler) =>
        _loop = Task.Factory.StartNew(() => ReceiveLoopAsync(handler), CancellationToken.None,
            TaskCreationOptions.DenyChildAttach, TaskScheduler.Default).Unwrap();

    public void Send(ReadOnlySpan<byte> datagram, IPEndPoint remote)
    {
        try
        {
            _socket.SendTo(datagram, SocketFlags.None, remote);
        }
        catch (SocketException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
        catch (ObjectDisposedException)
        {
            Interlocked.Increment(ref _sendErrors);
        }
    }

    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _socket.Dispose();
        _ = _loop.ContinueWith(_ => _stop.Dispose(), TaskScheduler.Default);
    }

    private async Task ReceiveLoopAsync(DatagramHandler handler)
    {
        // One spare byte: Linux silently truncates a longer datagram to the buffer (Windows reports MessageSize), so
        // a datagram that fills the spare byte is known to be oversized without asking for MSG_TRUNC.
        byte[] buffer = new byte[MaxDatagram + 1];
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.ConnectionReset)
            {
                continue; // ICMP port unreachable from an earlier send
            }
            catch (SocketException ex) when (ex.SocketErrorCode == SocketError.MessageSize)
            {
                Interlocked.Increment(ref _oversized); // no media packet is that large; its truncated head is useless
                continue;
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            if (result.ReceivedBytes > MaxDatagram)
            {
                Interlocked.Increment(ref _oversized);
                continue;
            }

            try
            {
                var from = (IPEndPoint)result.RemoteEndPoint;
                if (_sourceAliases is { } aliases && aliases.TryGetValue(from, out var alias))
                {
                    from = alias;
                }

                handler(buffer.AsSpan(0, result.ReceivedBytes), from);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A handler bug must not stop the socket: every other call on it would go silent.
                Interlocked.Increment(ref _handlerErrors);
            }
        }
    }

    /// <summary>
    /// Tests only: datagrams from <paramref name="actual"/> are delivered as if they came from <paramref name="asIf"/>,
    /// so a test can put packets on the real receive path "from" a peer whose socket it does not own (a browser).
    /// </summary>
    internal void TreatAsFromForTests(IPEndPoint actual, IPEndPoint asIf)
    {
        var next = new Dictionary<IPEndPoint, IPEndPoint>(_sourceAliases ?? []) { [actual] = asIf };
        _sourceAliases = next;
    }

    /// <summary>Exceptions thrown by the handler (should stay 0; the legs drop bad input without throwing).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    private long _handlerErrors;
}
