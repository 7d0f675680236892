using System.Security.Cryptography;
using BenchmarkDotNet.Attributes;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.Bench;

/// <summary>
/// Why the SRTP hot path uses a cached ECB ICryptoTransform: AES-CM keystream for one Opus payload (6 blocks) via
/// the cached transform versus the span-based one-shot Aes.EncryptEcb, and the HMAC-SHA1 cost next to it.
/// </summary>
[MemoryDiagnoser]
[MinColumn]
public class SrtpPrimitiveBenchmarks
{
    private static readonly byte[] Key = Convert.FromHexString("2B7E151628AED2A6ABF7158809CF4F3C");
    private readonly byte[] _iv = Convert.FromHexString("F0F1F2F3F4F5F6F7F8F9FAFBFCFD0000");
    private readonly byte[] _payload = new byte[80];
    private readonly byte[] _counters = new byte[96];
    private readonly byte[] _keystream = new byte[96];
    private readonly byte[] _tag = new byte[20];
    private AesCounterMode _cachedTransform = null!;
    private Aes _aes = null!;
    private IncrementalHash _hmac = null!;

    [GlobalSetup]
    public void Setup()
    {
        _cachedTransform = new AesCounterMode(Key);
        _aes = Aes.Create();
        _aes.Key = Key;
        _hmac = IncrementalHash.CreateHMAC(HashAlgorithmName.SHA1, new byte[20]);
    }

    [Benchmark(Baseline = true)]
    public void KeystreamCachedTransform() => _cachedTransform.Apply(_iv, _payload);

    [Benchmark]
    public int KeystreamEncryptEcbOneShot() => _aes.EncryptEcb(_counters, _keystream, PaddingMode.None);

    [Benchmark]
    public bool HmacSha1Of92Bytes()
    {
        _hmac.AppendData(_payload);
        _hmac.AppendData(_counters.AsSpan(0, 16));
        return _hmac.TryGetHashAndReset(_tag, out _);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _cachedTransform.Dispose();
        _aes.Dispose();
        _hmac.Dispose();
    }
}
