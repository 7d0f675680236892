using System.Text.Json.Nodes;

namespace FakeMeta.Recording;

/// <summary>
/// "Fail the next N requests to path X with status S": lets client tests see retries (429/5xx) and the absence of
/// retries without a real outage. The error body is Meta's envelope (§2.7).
/// </summary>
public sealed class FaultInjector
{
    private readonly object gate = new();
    private readonly List<Fault> faults = [];

    /// <summary>
    /// Fails the next <paramref name="count"/> requests whose path ends with <paramref name="pathSuffix"/>.
    /// The default code is 613 for 429 (the call_permissions rate limit, §2.7) and 2 (service unavailable) otherwise.
    /// </summary>
    public void FailNext(string pathSuffix, int count, int status, int? code = null, string? method = null)
    {
        lock (gate)
        {
            faults.Add(new Fault(pathSuffix, method, status, code ?? (status == 429 ? 613 : 2)) { Remaining = count });
        }
    }

    public void Clear()
    {
        lock (gate)
        {
            faults.Clear();
        }
    }

    /// <summary>Consumes one matching fault and returns its status and body, or null to serve normally.</summary>
    internal (int Status, string Body)? Take(string method, string path)
    {
        lock (gate)
        {
            var fault = faults.Find(f => f.Remaining > 0 && path.EndsWith(f.PathSuffix, StringComparison.Ordinal)
                && (f.Method is null || string.Equals(f.Method, method, StringComparison.OrdinalIgnoreCase)));
            if (fault is null)
            {
                return null;
            }

            fault.Remaining--;
            var body = new JsonObject
            {
                ["error"] = new JsonObject
                {
                    ["message"] = "Injected fault",
                    ["type"] = "OAuthException",
                    ["code"] = fault.Code,
                    ["fbtrace_id"] = "FakeInjected",
                },
            };
            return (fault.Status, body.ToJsonString());
        }
    }

    private sealed record Fault(string PathSuffix, string? Method, int Status, int Code)
    {
        public int Remaining { get; set; }
    }
}
