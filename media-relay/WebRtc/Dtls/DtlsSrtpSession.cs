// RFC 5764 §4 (DTLS-SRTP association), RFC 6347 §4.2.4 (handshake retransmission: BouncyCastle's
// DtlsReliableHandshake resends flights from 1 s doubling; our transport returns −1 on timeout so it can),
// RFC 4145 §4 / RFC 8842 §5 (setup attribute decides which side is client).
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using Org.BouncyCastle.Crypto.Tls;
using Org.BouncyCastle.Security;
using SrtpProtectionProfile = MediaRelay.WebRtc.Srtp.SrtpProtectionProfile;

namespace MediaRelay.WebRtc.Dtls;

public enum DtlsRole
{
    Client,
    Server,
}

/// <summary>
/// One DTLS-SRTP association: runs BouncyCastle's blocking handshake on a dedicated thread, feeds it the
/// datagrams the leg demultiplexes, and yields the SRTP keys. The peer certificate must match the SDP fingerprint.
/// </summary>
public sealed class DtlsSrtpSession : IDisposable
{
    private readonly DtlsRole _role;
    private readonly DtlsCertificate _certificate;
    private readonly SdpFingerprint? _remoteFingerprint;
    private readonly TimeSpan _handshakeTimeout;
    private readonly int[] _profiles;
    private readonly QueuedDatagramTransport _transport;
    private readonly TaskCompletionSource<SrtpKeyingMaterial> _keys = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _postHandshakeLock = new();
    private readonly byte[] _postHandshakeBuffer = new byte[QueuedDatagramTransport.ReceiveLimit];
    private const byte AlertContentType = 21;
    private const int PostHandshakeReadMillis = 1;
    private DtlsTransport? _dtls;
    private int _started;
    private int _closedRaised;
    private bool _postHandshakeFailed;
    private long _rejectedRecords;

    public DtlsSrtpSession(
        DtlsRole role, DtlsCertificate certificate, SdpFingerprint? remoteFingerprint,
        Action<ReadOnlyMemory<byte>> send, TimeSpan? handshakeTimeout = null,
        IReadOnlyList<SrtpProtectionProfile>? profiles = null)
    {
        _profiles = DtlsSrtpKeyExport.ToWire(profiles ?? DtlsSrtpKeyExport.DefaultProfiles);
        _role = role;
        _certificate = certificate;
        _remoteFingerprint = remoteFingerprint;
        _handshakeTimeout = handshakeTimeout ?? TimeSpan.FromSeconds(15);
        _transport = new QueuedDatagramTransport(send);
    }

    public DtlsRole Role => _role;

    /// <summary>Completes with the SRTP keys, or faults when the handshake fails (bad fingerprint, timeout, alert).</summary>
    public Task<SrtpKeyingMaterial> Keys => _keys.Task;

    /// <summary>Raised once when the peer closes the association (close_notify or fatal alert) after the handshake.</summary>
    public event Action? Closed;

    /// <summary>Starts the handshake on a dedicated thread; call before the first DTLS datagram can arrive.</summary>
    public void Start()
    {
        if (Interlocked.Exchange(ref _started, 1) == 0)
        {
            _transport.SetHandshakeDeadline(_handshakeTimeout);
            _ = Task.Factory.StartNew(RunHandshake, CancellationToken.None, TaskCreationOptions.LongRunning, TaskScheduler.Default);
        }
    }

    /// <summary>Hands a received DTLS datagram (first byte 20–63) to the association; false when it was discarded
    /// (association closed, queue full, or a post-handshake record BouncyCastle rejected).</summary>
    public bool OnDatagram(ReadOnlySpan<byte> datagram)
    {
        if (datagram.IsEmpty || (_dtls is not null && _postHandshakeFailed) || !_transport.Enqueue(datagram))
        {
            return false;
        }

        if (_dtls is null)
        {
            return true; // the handshake thread reads it
        }

        bool isAlert = datagram[0] == AlertContentType;

        // After the handshake BouncyCastle must still read records: a retransmitted final flight needs an answer and
        // close_notify ends the call. Application data is not used on WebRTC audio legs. BouncyCastle 1.8.10 fails
        // the whole association on one record with a bad MAC, whereas RFC 6347 §4.1.2.7 says to discard it: so its
        // output is held while it reads, and a record it rejects only stops further DTLS processing (the SRTP keys
        // are already in use) instead of sending a fatal alert to the genuine peer.
        lock (_postHandshakeLock)
        {
            if (_postHandshakeFailed)
            {
                return false;
            }

            _transport.Hold();
            try
            {
                // waitMillis must be > 0: BouncyCastle reads 0 as "no timeout" and would spin for ever once the
                // queue is empty after a record that yields no application data (e.g. a retransmitted flight).
                _dtls.Receive(_postHandshakeBuffer, 0, _postHandshakeBuffer.Length, PostHandshakeReadMillis);
                _transport.Release(send: true);
                if (isAlert)
                {
                    // After the handshake the only alerts peers send are close_notify or fatal ones (RFC 5246 §7.2).
                    CloseAfterPeerAlert();
                }

                return true;
            }
            catch (DatagramTransportClosedException)
            {
                // BouncyCastle authenticated a close_notify, closed the transport itself and then tried to read on.
                _transport.Release(send: true);
                CloseAfterPeerAlert();
                return true;
            }
            catch (Exception ex) when (ex is TlsFatalAlert or IOException or InvalidOperationException)
            {
                _transport.Release(send: false);
                _postHandshakeFailed = true;
                Interlocked.Increment(ref _rejectedRecords);
                return false;
            }
        }
    }

    /// <summary>Post-handshake DTLS datagrams that BouncyCastle rejected (discarded; see <see cref="OnDatagram"/>).</summary>
    public long RejectedRecords => Interlocked.Read(ref _rejectedRecords);

    private void CloseAfterPeerAlert()
    {
        _transport.Close();
        if (Interlocked.Exchange(ref _closedRaised, 1) == 0)
        {
            Closed?.Invoke();
        }
    }

    public void Dispose()
    {
        // Best-effort close_notify; never wait long for a reader that is inside BouncyCastle.
        if (Monitor.TryEnter(_postHandshakeLock, TimeSpan.FromSeconds(1)))
        {
            try
            {
                _dtls?.Close();
            }
            catch (Exception ex) when (ex is IOException or TlsFatalAlert or InvalidOperationException)
            {
                // The association is already gone.
            }
            finally
            {
                Monitor.Exit(_postHandshakeLock);
            }
        }

        _transport.Dispose();
        _keys.TrySetException(new ObjectDisposedException(nameof(DtlsSrtpSession)));
    }

    private void RunHandshake()
    {
        try
        {
            var random = new SecureRandom();
            SrtpKeyingMaterial? keys;
            if (_role == DtlsRole.Server)
            {
                var server = new DtlsSrtpServer(_certificate, _remoteFingerprint, _handshakeTimeout, _profiles);
                _dtls = new DtlsServerProtocol(random).Accept(server, _transport);
                keys = server.Keys;
            }
            else
            {
                var client = new DtlsSrtpClient(_certificate, _remoteFingerprint, _handshakeTimeout, _profiles);
                _dtls = new DtlsClientProtocol(random).Connect(client, _transport);
                keys = client.Keys;
            }

            if (keys is null)
            {
                throw new TlsFatalAlert(AlertDescription.internal_error);
            }

            _transport.ClearHandshakeDeadline();
            _keys.TrySetResult(keys);
        }
        catch (Exception ex)
        {
            // Any failure (alert, timeout, closed transport) refuses the association; the leg reports it.
            _transport.Close();
            _keys.TrySetException(new DtlsHandshakeException($"DTLS {_role} handshake failed: {ex.Message}", ex));
        }
    }
}

public sealed class DtlsHandshakeException(string message, Exception inner) : Exception(message, inner);
