// One WebRTC audio leg: RFC 7983 §7 demultiplexing of STUN/DTLS/SRTP on the leg's path, ICE (RFC 8445: lite
// responder or controlling agent), DTLS-SRTP (RFC 5764) and SRTP/SRTCP (RFC 3711) with rtcp-mux (RFC 5761).
using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Ice;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Srtp;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Transport;

/// <summary>Receives a decrypted RTP or RTCP packet; the span is only valid during the call.</summary>
public delegate void MediaPacketHandler(WebRtcLeg leg, ReadOnlySpan<byte> packet);

public sealed partial class WebRtcLeg : IDisposable
{
    /// <summary>SRTCP with AES-GCM adds a 16-byte tag and E‖index: the largest overhead of the supported profiles.</summary>
    private const int SrtpMaxOverhead = 20;
    private readonly WebRtcLegOptions _options;
    private readonly IDatagramSender _socket;
    private readonly IceBindingResponder _responder;
    private readonly IceControllingAgent? _agent;
    private readonly DtlsSrtpSession _dtls;
    private readonly TaskCompletionSource _connected = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly object _sendLock = new();
    private readonly object _receiveLock = new();
    private readonly byte[] _sendBuffer = new byte[1500];
    private readonly byte[] _stunResponse = new byte[256];
    private readonly HashSet<IPEndPoint> _validated = [];
    private SrtpContext? _outbound;
    private SrtpContext? _inbound;
    private volatile IPEndPoint? _selected;
    private int _closed;
    private long _lastValidRequest;

    internal WebRtcLeg(WebRtcLegOptions options, IDatagramSender socket)
    {
        _options = options;
        _socket = socket;
        ulong tieBreaker = (ulong)Random.Shared.NextInt64() ^ ((ulong)Random.Shared.NextInt64() << 1);
        _responder = new IceBindingResponder(options.LocalIce, options.IceLite ? IceRole.Controlled : IceRole.Controlling,
            tieBreaker, options.IceLite);
        if (!options.IceLite)
        {
            var candidates = options.Remote.Candidates.Where(c => c.IsUdp && c.Component == 1)
                .Select(c => c.EndPoint).OfType<IPEndPoint>().Where(AddressFamilyUsable).Distinct().ToList();
            _agent = new IceControllingAgent(options.LocalIce,
                new IceCredentials(options.Remote.IceUfrag, options.Remote.IcePwd), candidates, tieBreaker,
                (d, to) => _socket.Send(d.Span, to), options.Time, options.IceTimings);
            _agent.ConsentLost += () => Close(new IceFailedException("ICE consent lost."));
        }

        _dtls = new DtlsSrtpSession(options.DtlsRole, options.Certificate, options.Remote.Sha256Fingerprint,
            SendDtls, options.HandshakeTimeout, options.SrtpProfiles);
        _dtls.Closed += () => Close(null);
    }

    /// <summary>Completes when ICE selected a pair and DTLS produced SRTP keys; faults when either fails.</summary>
    public Task Connected => _connected.Task;

    /// <summary>The remote address media is sent to (null until ICE selected one).</summary>
    public IPEndPoint? SelectedRemote => _selected;

    public uint LocalSsrc => _options.LocalSsrc;

    public DtlsRole DtlsRole => _options.DtlsRole;

    public IceRole IceRole => _agent?.Role ?? _responder.Role;

    public LegCounters Counters { get; } = new();

    /// <summary>SRTP counters of the receive direction (null before keys exist).</summary>
    public SrtpCounters? InboundSrtpCounters => _inbound?.Counters;

    /// <summary>The SRTP profile DTLS negotiated (null before keys exist).</summary>
    public SrtpProtectionProfile? SrtpProfile { get; private set; }

    public event MediaPacketHandler? RtpReceived;

    public event MediaPacketHandler? RtcpReceived;

    /// <summary>Raised once when the leg ends: null for a clean close_notify/dispose, else the failure.</summary>
    public event Action<WebRtcLeg, Exception?>? Closed;

    /// <summary>Raised when a remote address passed an authenticated ICE check (used by the shared-port demux).</summary>
    internal event Action<WebRtcLeg, IPEndPoint>? RemoteValidated;

    /// <summary>Starts ICE and DTLS according to the leg's roles.</summary>
    internal void Start()
    {
        _ = _dtls.Keys.ContinueWith(OnKeys, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        if (_options.DtlsRole == DtlsRole.Server)
        {
            _dtls.Start(); // queued early so a ClientHello racing the first STUN answer is not lost
        }

        if (_agent is null)
        {
            Interlocked.Exchange(ref _lastValidRequest, _options.Time.GetTimestamp());
            _ = WatchLiteConsentAsync(_stop.Token);
        }
        else
        {
            _ = _agent.RunAsync(_stop.Token);
            _ = _agent.Nominated.ContinueWith(OnNominated, CancellationToken.None, TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    /// <summary>Protects and sends one plain RTP packet to the selected pair; false if not connected or invalid.</summary>
    public bool SendRtp(ReadOnlySpan<byte> plainRtp) => SendMedia(plainRtp, rtcp: false);

    /// <summary>Protects and sends one plain (compound) RTCP packet.</summary>
    public bool SendRtcp(ReadOnlySpan<byte> plainRtcp) => SendMedia(plainRtcp, rtcp: true);

    /// <summary>Processes one datagram received on this leg's path (RFC 7983 first-byte demultiplexing).</summary>
    internal void OnDatagram(Span<byte> datagram, IPEndPoint from)
    {
        Counters.CountReceived();
        switch (PacketClassifier.Classify(datagram))
        {
            case PacketKind.Stun:
                Counters.CountStun();
                if (!StunParser.TryParse(datagram, out var message))
                {
                    Counters.DropMalformedStun();
                    return;
                }

                OnStun(datagram, message!, from);
                return;
            case PacketKind.Dtls:
                Counters.CountDtls();
                if (!IsValidated(from))
                {
                    Counters.DropUnknownSource();
                    return;
                }

                if (!DtlsRecordInspector.IsWellFormed(datagram) || !_dtls.OnDatagram(datagram))
                {
                    Counters.DropMalformedDtls();
                }

                return;
            case PacketKind.Rtp:
            case PacketKind.Rtcp:
                OnSrtp(datagram, from, PacketClassifier.Classify(datagram) == PacketKind.Rtcp);
                return;
            default:
                Counters.DropUnknownKind();
                return;
        }
    }

    /// <summary>Handles an already parsed STUN message (the shared-port demux parses to route by username).</summary>
    internal void OnStun(ReadOnlySpan<byte> datagram, StunMessage message, IPEndPoint from)
    {
        if (message.IsRequest)
        {
            IceRequestResult result;
            lock (_receiveLock)
            {
                result = _responder.Handle(datagram, message, from, _stunResponse);
                if (result.ResponseLength > 0)
                {
                    _socket.Send(_stunResponse.AsSpan(0, result.ResponseLength), from);
                }
            }

            if (result.Outcome != IceRequestOutcome.Accepted)
            {
                Counters.DropRejectedStun();
                return;
            }

            MarkValidated(from);
            Interlocked.Exchange(ref _lastValidRequest, _options.Time.GetTimestamp());
            if (_agent is null && (result.UseCandidate || _selected is null))
            {
                _selected = from; // RFC 8445 §7.3.1.5: the latest nominated pair wins; before that, the first valid one
            }

            return;
        }

        if (_agent is null || !_agent.OnResponse(datagram, message, from))
        {
            Counters.DropUnmatchedStun();
            return;
        }

        MarkValidated(from);
    }

    public void Dispose() => Close(null);

    private void SendDtls(ReadOnlyMemory<byte> record)
    {
        var target = _selected;
        if (target is not null)
        {
            _socket.Send(record.Span, target);
        }
    }

    private void OnNominated(Task<IPEndPoint> nominated)
    {
        if (!nominated.IsCompletedSuccessfully)
        {
            Close(nominated.Exception?.InnerException ?? new IceFailedException("ICE did not complete."));
            return;
        }

        _selected = nominated.Result;
        if (_options.DtlsRole == DtlsRole.Client)
        {
            _dtls.Start();
        }
    }

    /// <summary>A lite agent sends no checks; the peer's periodic checks are its consent (RFC 7675 §5.2 applied
    /// from the responder side, as mediasoup and pion-lite do).</summary>
    private async Task WatchLiteConsentAsync(CancellationToken cancellationToken)
    {
        var timeout = _options.IceTimings.LiteConsentTimeout;
        try
        {
            while (!cancellationToken.IsCancellationRequested)
            {
                await Task.Delay(timeout / 4, _options.Time, cancellationToken).ConfigureAwait(false);
                if (_options.Time.GetElapsedTime(Interlocked.Read(ref _lastValidRequest)) > timeout)
                {
                    Close(new IceFailedException("No ICE check from the peer within the consent timeout."));
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            // leg closed
        }
    }

    private void MarkValidated(IPEndPoint from)
    {
        bool added;
        lock (_validated)
        {
            added = _validated.Add(from);
        }

        if (added)
        {
            RemoteValidated?.Invoke(this, from);
        }
    }

    private bool IsValidated(IPEndPoint from)
    {
        lock (_validated)
        {
            return _validated.Contains(from);
        }
    }

    private bool AddressFamilyUsable(IPEndPoint endPoint) =>
        _socket is not UdpSocketLoop loop || loop.LocalEndPoint.AddressFamily == endPoint.AddressFamily;

    private void Close(Exception? error)
    {
        if (Interlocked.Exchange(ref _closed, 1) != 0)
        {
            return;
        }

        _stop.Cancel();
        _dtls.Dispose();
        lock (_sendLock)
        {
            _outbound?.Dispose();
            _outbound = null;
        }

        lock (_receiveLock)
        {
            _inbound?.Dispose();
            _inbound = null;
        }

        if (error is not null)
        {
            _connected.TrySetException(error);
        }
        else
        {
            _connected.TrySetCanceled();
        }

        Closed?.Invoke(this, error);
    }
}
