// RFC 8445 §6.1.1 (a full agent facing a lite peer is controlling), §7.2.4 (checks: PRIORITY, ICE-CONTROLLING,
// USE-CANDIDATE, short-term credentials "remote:local" keyed with the remote pwd), §8.1.1 (aggressive-style
// nomination is accepted by lite peers), §7.2.5.2.1 (response must come from the address the check went to),
// §7.2.5.1 (487 ⇒ switch role); RFC 7675 §5.1 (consent checks every 5 s ±20 %, consent expires after 30 s).
using System.Net;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.WebRtc.Ice;

/// <summary>Timings of the controlling agent; defaults follow webrtc-relay.md §1.4.</summary>
public sealed record IceAgentTimings
{
    public IReadOnlyList<TimeSpan> CheckSchedule { get; init; } =
        [TimeSpan.Zero, TimeSpan.FromMilliseconds(100), TimeSpan.FromMilliseconds(200), TimeSpan.FromMilliseconds(400),
         TimeSpan.FromMilliseconds(800), TimeSpan.FromMilliseconds(1600)];
    public TimeSpan CheckRepeatInterval { get; init; } = TimeSpan.FromMilliseconds(1600);
    public TimeSpan NominationTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ConsentInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan ConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>Lite legs: no authenticated check for this long ⇒ the peer is gone (mediasoup's default, §1.3).</summary>
    public TimeSpan LiteConsentTimeout { get; init; } = TimeSpan.FromSeconds(30);
}

public sealed class IceFailedException(string message) : Exception(message);

/// <summary>
/// The minimal full, controlling ICE agent used toward Meta (an ICE-lite peer that sends no checks): sends
/// authenticated checks to the remote host candidates, nominates the first pair that answers, keeps consent.
/// </summary>
public sealed class IceControllingAgent
{
    /// <summary>PRIORITY of our checks: peer-reflexive type preference 110, component 1 (RFC 8445 §5.1.2.1).</summary>
    public const uint PeerReflexivePriority = 1862270975;

    private readonly IceCredentials _local;
    private readonly IceCredentials _remote;
    private readonly byte[] _remoteKey;
    private readonly IReadOnlyList<IPEndPoint> _candidates;
    private readonly Action<ReadOnlyMemory<byte>, IPEndPoint> _send;
    private readonly TimeProvider _time;
    private readonly IceAgentTimings _timings;
    private readonly Dictionary<StunTransactionId, IPEndPoint> _pending = [];
    private readonly TaskCompletionSource<IPEndPoint> _nominated = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly object _gate = new();
    private long _lastConsentTimestamp;

    public IceControllingAgent(
        IceCredentials local, IceCredentials remote, IReadOnlyList<IPEndPoint> remoteCandidates, ulong tieBreaker,
        Action<ReadOnlyMemory<byte>, IPEndPoint> send, TimeProvider? time = null, IceAgentTimings? timings = null)
    {
        ArgumentNullException.ThrowIfNull(remote);
        _local = local;
        _remote = remote;
        _remoteKey = remote.Key;
        _candidates = remoteCandidates;
        TieBreaker = tieBreaker;
        _send = send;
        _time = time ?? TimeProvider.System;
        _timings = timings ?? new IceAgentTimings();
    }

    public ulong TieBreaker { get; }

    public IceRole Role { get; private set; } = IceRole.Controlling;

    /// <summary>Completes with the selected remote address, or faults with <see cref="IceFailedException"/>.</summary>
    public Task<IPEndPoint> Nominated => _nominated.Task;

    /// <summary>Raised when no authenticated response arrived for the consent timeout (RFC 7675 §5.1).</summary>
    public event Action? ConsentLost;

    /// <summary>Runs checks until nomination, then consent freshness, until cancelled or consent is lost.</summary>
    public async Task RunAsync(CancellationToken cancellationToken)
    {
        try
        {
            await RunChecksAsync(cancellationToken).ConfigureAwait(false);
            await RunConsentAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            _nominated.TrySetCanceled(cancellationToken);
        }
    }

    /// <summary>Handles a STUN response; returns true when it answered one of our checks and verified.</summary>
    public bool OnResponse(ReadOnlySpan<byte> datagram, StunMessage response, IPEndPoint from)
    {
        ArgumentNullException.ThrowIfNull(response);
        IPEndPoint? target;
        lock (_gate)
        {
            if (!_pending.TryGetValue(response.TransactionId, out target) || !target.Equals(from))
            {
                return false; // unknown transaction, or asymmetric (RFC 8445 §7.2.5.2.1)
            }

            if (!StunMessageIntegrity.Verify(datagram, response, _remoteKey))
            {
                return false;
            }

            _pending.Remove(response.TransactionId);
            if (response.IsErrorResponse)
            {
                if (response.ErrorCode == StunErrorCode.RoleConflict)
                {
                    Role = Role == IceRole.Controlling ? IceRole.Controlled : IceRole.Controlling;
                }

                return false;
            }

            Interlocked.Exchange(ref _lastConsentTimestamp, _time.GetTimestamp());
        }

        _nominated.TrySetResult(target);
        return true;
    }

    private async Task RunChecksAsync(CancellationToken cancellationToken)
    {
        long start = _time.GetTimestamp();
        int step = 0;
        while (!_nominated.Task.IsCompleted)
        {
            foreach (var candidate in _candidates)
            {
                SendCheck(candidate, nominate: true);
            }

            TimeSpan next = step + 1 < _timings.CheckSchedule.Count
                ? _timings.CheckSchedule[step + 1] - _timings.CheckSchedule[step]
                : _timings.CheckRepeatInterval;
            step++;
            if (_time.GetElapsedTime(start) + next > _timings.NominationTimeout)
            {
                TimeSpan rest = _timings.NominationTimeout - _time.GetElapsedTime(start);
                await Task.WhenAny(_nominated.Task, Task.Delay(rest > TimeSpan.Zero ? rest : TimeSpan.Zero, _time, cancellationToken)).ConfigureAwait(false);
                cancellationToken.ThrowIfCancellationRequested();
                _nominated.TrySetException(new IceFailedException("No connectivity check succeeded before the nomination timeout."));
                break;
            }

            await Task.WhenAny(_nominated.Task, Task.Delay(next, _time, cancellationToken)).ConfigureAwait(false);
            cancellationToken.ThrowIfCancellationRequested();
        }
    }

    private async Task RunConsentAsync(CancellationToken cancellationToken)
    {
        if (!_nominated.Task.IsCompletedSuccessfully)
        {
            return;
        }

        var selected = _nominated.Task.Result;
        while (!cancellationToken.IsCancellationRequested)
        {
            double jitter = 0.8 + (0.4 * Random.Shared.NextDouble());
            await Task.Delay(_timings.ConsentInterval * jitter, _time, cancellationToken).ConfigureAwait(false);
            if (_time.GetElapsedTime(Interlocked.Read(ref _lastConsentTimestamp)) > _timings.ConsentTimeout)
            {
                ConsentLost?.Invoke();
                return;
            }

            SendCheck(selected, nominate: false);
        }
    }

    private void SendCheck(IPEndPoint target, bool nominate)
    {
        var transactionId = StunTransactionId.NewRandom();
        byte[] buffer = new byte[256];
        var writer = new StunMessageWriter(buffer, StunMessageType.BindingRequest, transactionId);
        writer.AddUsername(_remote.Ufrag + ":" + _local.Ufrag);
        writer.AddPriority(PeerReflexivePriority);
        if (Role == IceRole.Controlling)
        {
            writer.AddIceControlling(TieBreaker);
            if (nominate)
            {
                writer.AddUseCandidate();
            }
        }
        else
        {
            writer.AddIceControlled(TieBreaker);
        }

        writer.AddMessageIntegrity(_remoteKey);
        writer.AddFingerprint();
        int length = writer.Length;
        lock (_gate)
        {
            if (_pending.Count > 64)
            {
                _pending.Clear(); // stale checks of a dead path; answers to them no longer matter
            }

            _pending[transactionId] = target;
        }

        _send(buffer.AsMemory(0, length), target);
    }
}
