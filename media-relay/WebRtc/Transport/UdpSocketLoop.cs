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
    private int _disposed;

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
        byte[] buffer = new byte[MaxDatagram];
        EndPoint any = _socket.AddressFamily == AddressFamily.InterNetworkV6
            ? new IPEndPoint(IPAddress.IPv6Any, 0) : new IPEndPoint(IPAddress.Any, 0);
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult result;
            try
            {
                result = await _socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
            }
            catch (SocketException ex) when (ex.SocketErrorCode is SocketError.ConnectionReset or SocketError.MessageSize)
            {
                continue; // ICMP port unreachable from an earlier send, or an oversized datagram: skip it
            }
            catch (Exception ex) when (ex is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            try
            {
                handler(buffer.AsSpan(0, result.ReceivedBytes), (IPEndPoint)result.RemoteEndPoint);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // A handler bug must not stop the socket: every other call on it would go silent.
                Interlocked.Increment(ref _handlerErrors);
            }
        }
    }

    /// <summary>Exceptions thrown by the handler (should stay 0; the legs drop bad input without throwing).</summary>
    public long HandlerErrors => Interlocked.Read(ref _handlerErrors);

    private long _handlerErrors;
}
