using System.Net;
using System.Net.Sockets;
using MediaRelay.WebRtc.Transport;

namespace MediaRelay.Sessions;

/// <summary>No free UDP port for a new Meta leg: the control API answers 503 with Retry-After.</summary>
internal sealed class NoCapacityException(string message) : Exception(message);

/// <summary>
/// One UDP socket per Meta leg (webrtc-relay.md §1.4; the NSG opens <c>Relay__MetaPortRange</c>). Without a range
/// the operating system picks a free port, which is what tests use.
/// </summary>
internal sealed class MetaPortPool(IPAddress bindAddress, (int First, int Last)? range)
{
    private readonly object _gate = new();
    private readonly HashSet<int> _inUse = [];
    private int _next = range?.First ?? 0;

    public DedicatedLegSocket Rent()
    {
        if (range is not { } r)
        {
            return DedicatedLegSocket.Bind(new IPEndPoint(bindAddress, 0));
        }

        lock (_gate)
        {
            int size = r.Last - r.First + 1;
            for (int tried = 0; tried < size; tried++)
            {
                int port = _next;
                _next = port == r.Last ? r.First : port + 1;
                if (_inUse.Contains(port))
                {
                    continue;
                }

                try
                {
                    var socket = DedicatedLegSocket.Bind(new IPEndPoint(bindAddress, port));
                    _inUse.Add(port);
                    return socket;
                }
                catch (SocketException)
                {
                    // Taken by another process: try the next one.
                }
            }
        }

        throw new NoCapacityException($"All {range.Value.Last - range.Value.First + 1} Meta ports are in use.");
    }

    /// <summary>Closes the socket (it may already be closed: a failed leg closes its own) and frees its port.</summary>
    public void Return(DedicatedLegSocket socket, int port)
    {
        socket.Dispose();
        lock (_gate)
        {
            _inUse.Remove(port);
        }
    }
}
