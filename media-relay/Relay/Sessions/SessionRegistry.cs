using System.Collections.Concurrent;
using MediaRelay.Api;

namespace MediaRelay.Sessions;

/// <summary>
/// The live sessions, in memory: the relay is one always-on process (architecture.md, decision 5), so a restart
/// ends its calls, which the function app learns from the calls' media_lost/terminate paths. Ids are Meta's call
/// ids; a create with the same id and body returns the existing session (idempotency), another body is a 409.
/// </summary>
internal sealed class SessionRegistry(RelayMedia media) : IDisposable
{
    private readonly ConcurrentDictionary<string, RelaySession> _sessions = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _finishing = new(StringComparer.Ordinal);
    private readonly object _createGate = new();

    public int Count => _sessions.Count;

    public (RelaySession Session, bool Created) Create(string id, CreateSessionRequest request)
    {
        lock (_createGate)
        {
            if (_sessions.TryGetValue(id, out var existing))
            {
                return existing.Request == request
                    ? (existing, false)
                    : throw RelayApiException.Conflict($"Session '{id}' already exists with a different body.");
            }

            var session = RelaySession.Start(id, request, media);
            _sessions[id] = session;
            return (session, true);
        }
    }

    public RelaySession Get(string id) =>
        _sessions.TryGetValue(id, out var session)
            ? session
            : throw new RelayApiException(404, "session_not_found", $"No session '{id}' (never created, or ended).");

    public bool TryGet(string id, out RelaySession? session) => _sessions.TryGetValue(id, out session);

    /// <summary>Ends and forgets the session; nothing to do when it is unknown (DELETE is idempotent).</summary>
    public void End(string id, string? reason)
    {
        if (_sessions.TryRemove(id, out var session))
        {
            var finishing = session.EndAsync(reason);
            if (!finishing.IsCompleted)
            {
                _finishing[id + "#" + Guid.NewGuid().ToString("N")] = finishing;
                _ = finishing.ContinueWith(_ => Prune(), TaskScheduler.Default);
            }
        }
    }

    /// <summary>Completes when every ended session's recording is uploaded (tests, orderly shutdown).</summary>
    public Task DrainAsync() => Task.WhenAll(_finishing.Values);

    public void Tick()
    {
        foreach (var session in _sessions.Values)
        {
            session.OnClockTick();
        }
    }

    public void Dispose()
    {
        foreach (var id in _sessions.Keys)
        {
            End(id, "relay shutting down");
        }
    }

    private void Prune()
    {
        foreach (var (key, task) in _finishing)
        {
            if (task.IsCompleted)
            {
                _finishing.TryRemove(key, out _);
            }
        }
    }
}
