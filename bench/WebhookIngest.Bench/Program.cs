using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using WhatsAppCalling.Storage.Account;
using WhatsAppCalling.Storage.Blobs;
using WhatsAppCalling.Storage.Queues;

// Webhook acknowledgement benchmark (issue 4): open-loop load at fixed rates against a running function app, and
// Azurite's raw rate for the same two writes (one blob put + one queue put) measured in the same run.
// Usage: WebhookIngest.Bench <functionAppBaseUrl> <storageConnectionString> <appSecret> [seconds-per-rate] [rates...]
if (args.Length < 3)
{
    Console.Error.WriteLine("usage: WebhookIngest.Bench <baseUrl> <storageConnectionString> <appSecret> [secondsPerRate=10] [rates=100,250,500,750]");
    return 2;
}

var baseUrl = new Uri(args[0]);
var account = StorageAccount.Parse(args[1]);
var secret = args[2];
var seconds = args.Length > 3 ? int.Parse(args[3], CultureInfo.InvariantCulture) : 10;
var rates = args.Length > 4 ? args[4].Split(',').Select(r => int.Parse(r, CultureInfo.InvariantCulture)).ToArray() : [100, 250, 500, 750];

var body = Encoding.UTF8.GetBytes(SampleDelivery());
var signature = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
using var http = new HttpClient(new SocketsHttpHandler { MaxConnectionsPerServer = 256, PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
{
    BaseAddress = baseUrl,
    Timeout = TimeSpan.FromSeconds(30),
};

Console.WriteLine($"# Webhook ingest benchmark, {DateTimeOffset.UtcNow:u}, {Environment.ProcessorCount} cores, body {body.Length} bytes");
await Warmup(http, body, signature);

var raw = await RawStoragePutRate(account, body, TimeSpan.FromSeconds(seconds));
Console.WriteLine($"azurite raw (blob put + queue put, 64 in flight): {raw:F0} deliveries/s");

var closed = await ClosedLoop(http, body, signature, 64, TimeSpan.FromSeconds(seconds));
Console.WriteLine($"acknowledgement max (64 in flight): {closed.Throughput:F0} req/s, median {closed.Median:F2} ms, p99 {closed.P99:F2} ms, errors {closed.Errors}");
Console.WriteLine($"ack max / azurite raw: {closed.Throughput / raw * 100:F0} %");
Console.WriteLine();
Console.WriteLine("| offered rate (req/s) | achieved (req/s) | median (ms) | p99 (ms) | errors |");
Console.WriteLine("|---:|---:|---:|---:|---:|");
foreach (var rate in rates)
{
    var r = await OpenLoop(http, body, signature, rate, TimeSpan.FromSeconds(seconds));
    Console.WriteLine($"| {rate} | {r.Throughput:F0} | {r.Median:F2} | {r.P99:F2} | {r.Errors} |");
}

return 0;

static async Task Warmup(HttpClient http, byte[] body, string signature)
{
    for (var i = 0; i < 200; i++)
    {
        using var response = await Post(http, body, signature);
        response.EnsureSuccessStatusCode();
    }
}

static async Task<HttpResponseMessage> Post(HttpClient http, byte[] body, string signature)
{
    using var request = new HttpRequestMessage(HttpMethod.Post, "api/webhooks/whatsapp") { Content = new ByteArrayContent(body) };
    request.Content.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/json");
    request.Headers.TryAddWithoutValidation("X-Hub-Signature-256", signature);
    return await http.SendAsync(request);
}

// Open loop: requests start on a fixed schedule whatever the latency, so queueing delay shows in the percentiles.
static async Task<Result> OpenLoop(HttpClient http, byte[] body, string signature, int rate, TimeSpan duration)
{
    var latencies = new List<double>();
    var errors = 0;
    var gate = new Lock();
    var tasks = new List<Task>();
    var clock = Stopwatch.StartNew();
    var total = (int)(rate * duration.TotalSeconds);
    for (var i = 0; i < total; i++)
    {
        var due = TimeSpan.FromSeconds((double)i / rate);
        var wait = due - clock.Elapsed;
        if (wait > TimeSpan.FromMilliseconds(1))
        {
            await Task.Delay(wait);
        }

        var scheduled = due;
        tasks.Add(Task.Run(async () =>
        {
            try
            {
                using var response = await Post(http, body, signature);
                var ms = (clock.Elapsed - scheduled).TotalMilliseconds;
                lock (gate)
                {
                    if (response.IsSuccessStatusCode) { latencies.Add(ms); } else { errors++; }
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException)
            {
                // Refused or timed out (30 s): counted, not fatal, so an overloaded rate still reports.
                lock (gate) { errors++; }
            }
        }));
    }

    await Task.WhenAll(tasks);
    return Summarize(latencies, errors, clock.Elapsed);
}

static async Task<Result> ClosedLoop(HttpClient http, byte[] body, string signature, int concurrency, TimeSpan duration)
{
    var latencies = new List<double>();
    var errors = 0;
    var gate = new Lock();
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        while (clock.Elapsed < duration)
        {
            var started = clock.Elapsed;
            using var response = await Post(http, body, signature);
            var ms = (clock.Elapsed - started).TotalMilliseconds;
            lock (gate)
            {
                if (response.IsSuccessStatusCode) { latencies.Add(ms); } else { errors++; }
            }
        }
    })));
    return Summarize(latencies, errors, clock.Elapsed);
}

// The ceiling: the same two writes the acknowledgement makes, straight from a client with no HTTP hop in front.
static async Task<double> RawStoragePutRate(StorageAccount account, byte[] body, TimeSpan duration)
{
    var container = new BlobServiceClient(account).GetContainerClient("bench-raw-" + Guid.NewGuid().ToString("N")[..8]);
    var queue = new QueueServiceClient(account).GetQueueClient("bench-raw-" + Guid.NewGuid().ToString("N")[..8]);
    await container.CreateIfNotExistsAsync();
    await queue.CreateIfNotExistsAsync();
    var message = QueueMessageEncoding.EncodeUtf8Base64("""{"delivery":"x","entry":0,"change":0}""");
    var count = 0;
    var clock = Stopwatch.StartNew();
    await Task.WhenAll(Enumerable.Range(0, 64).Select(_ => Task.Run(async () =>
    {
        while (clock.Elapsed < duration)
        {
            await container.GetBlobClient(Guid.NewGuid().ToString("N")).UploadAsync(BinaryData.FromBytes(body));
            await queue.SendMessageAsync(message);
            Interlocked.Increment(ref count);
        }
    })));
    var rate = count / clock.Elapsed.TotalSeconds;
    await container.DeleteIfExistsAsync();
    await queue.DeleteIfExistsAsync();
    return rate;
}

static Result Summarize(List<double> latencies, int errors, TimeSpan elapsed)
{
    latencies.Sort();
    double At(double q) => latencies.Count == 0 ? double.NaN : latencies[Math.Min(latencies.Count - 1, (int)Math.Ceiling(q * latencies.Count) - 1)];
    return new Result(latencies.Count / elapsed.TotalSeconds, At(0.5), At(0.99), errors);
}

static string SampleDelivery() =>
    """
    {"object":"whatsapp_business_account","entry":[{"id":"730192846610372","changes":[{"field":"calls","value":{
    "messaging_product":"whatsapp","metadata":{"display_phone_number":"15557340912","phone_number_id":"581920374615208"},
    "contacts":[{"profile":{"name":"Bench Customer"},"wa_id":"4915123456789","user_id":"DE.7342109855120447"}],
    "calls":[{"id":"wacid.BENCH","from":"4915123456789","from_user_id":"DE.7342109855120447","to":"15557340912",
    "event":"connect","timestamp":"1795310400","direction":"USER_INITIATED",
    "session":{"sdp_type":"offer","sdp":"v=0\r\no=- 1 2 IN IP4 127.0.0.1\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n"}}]}}]}]}
    """;

internal sealed record Result(double Throughput, double Median, double P99, int Errors);
