// webrtc-relay.md §2.5: BouncyCastle's DatagramTransport contract — Receive returns exactly one datagram or −1
// after waitMillis (BC drives its retransmission timers from that), and must unblock once the transport closes.
using System.Collections.Concurrent;
using Org.BouncyCastle.Crypto.Tls;

namespace MediaRelay.WebRtc.Dtls;

/// <summary>Feeds datagrams demultiplexed by the leg into BouncyCastle and sends its records through a callback.</summary>
public sealed class QueuedDatagramTransport : DatagramTransport, IDisposable
{
    /// <summary>libwebrtc and pion use a ~1200-byte DTLS MTU; minus IP/UDP headers.</summary>
    public const int SendLimit = 1200 - 28;
    public const int ReceiveLimit = 1500 - 28;
    private readonly BlockingCollection<byte[]> _inbound = new(boundedCapacity: 256);
    private readonly CancellationTokenSource _closed = new();
    private readonly Action<ReadOnlyMemory<byte>> _send;
    private List<byte[]>? _held;
    private long _deadlineTicks = long.MaxValue;

    public QueuedDatagramTransport(Action<ReadOnlyMemory<byte>> send) => _send = send;

    public bool IsClosed => _closed.IsCancellationRequested;

    /// <summary>Queues one received DTLS datagram; silently drops when full or closed (DTLS retransmits).</summary>
    public bool Enqueue(ReadOnlySpan<byte> datagram) => !IsClosed && _inbound.TryAdd(datagram.ToArray());

    public int GetReceiveLimit() => ReceiveLimit;

    public int GetSendLimit() => SendLimit;

    /// <summary>Until the handshake completes, Receive fails once this deadline passes: BouncyCastle's own
    /// handshake timeout only runs once a flight was exchanged, so a peer that never sends a ClientHello would
    /// otherwise block a server's Accept for ever.</summary>
    internal void SetHandshakeDeadline(TimeSpan fromNow) =>
        Interlocked.Exchange(ref _deadlineTicks, Environment.TickCount64 + (long)fromNow.TotalMilliseconds);

    internal void ClearHandshakeDeadline() => Interlocked.Exchange(ref _deadlineTicks, long.MaxValue);

    public int Receive(byte[] buf, int off, int len, int waitMillis)
    {
        long remaining = Interlocked.Read(ref _deadlineTicks) - Environment.TickCount64;
        if (remaining <= 0)
        {
            throw new DatagramTransportClosedException();
        }

        waitMillis = (int)Math.Min(waitMillis, remaining);
        try
        {
            if (!_inbound.TryTake(out var datagram, Math.Max(0, waitMillis), _closed.Token))
            {
                return -1;
            }

            int count = Math.Min(len, datagram.Length);
            Array.Copy(datagram, 0, buf, off, count);
            return count;
        }
        catch (OperationCanceledException)
        {
            throw new DatagramTransportClosedException();
        }
    }

    public void Send(byte[] buf, int off, int len)
    {
        if (IsClosed)
        {
            return;
        }

        if (_held is not null)
        {
            _held.Add(buf.AsSpan(off, len).ToArray());
            return;
        }

        _send(new ReadOnlyMemory<byte>(buf, off, len));
    }

    /// <summary>Holds outgoing records until <see cref="Release"/>; used around post-handshake record processing so
    /// that an alert BouncyCastle raises for a forged record is never sent to the genuine peer.</summary>
    internal void Hold() => _held = [];

    /// <summary>Sends (or discards) what was held and resumes direct sending.</summary>
    internal void Release(bool send)
    {
        var held = _held;
        _held = null;
        if (send && held is not null)
        {
            foreach (byte[] datagram in held)
            {
                _send(datagram);
            }
        }
    }

    public void Close()
    {
        if (!_closed.IsCancellationRequested)
        {
            _closed.Cancel();
        }
    }

    /// <summary>Closes the transport. The queue and token source are left to the GC on purpose: a handshake
    /// thread may still be inside <see cref="Receive"/> and must observe cancellation, not a disposed object.</summary>
    public void Dispose() => Close();
}

/// <summary>Thrown from <see cref="QueuedDatagramTransport.Receive"/> once the transport is closed.</summary>
public sealed class DatagramTransportClosedException() : IOException("DTLS transport closed.");
