using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.Bench;

/// <summary>SRTP protect/unprotect (AES-CM-128 + HMAC-SHA1-80) of one RTP packet, per payload size.</summary>
[MemoryDiagnoser]
[MinColumn]
public class SrtpBenchmarks
{
    private const int PacketsPerIteration = 65536;
    private static readonly SrtpMasterKey Key = new(
        Convert.FromHexString("E1F97A0D3E018BE0D64FA32C06DE4139"), Convert.FromHexString("0EC675AD498AFEEBB6960B3AABE6"));

    private readonly byte[] _buffer = new byte[1500];
    private byte[] _plain = [];
    private byte[][] _protected = [];
    private SrtpContext _sender = null!;
    private SrtpContext _receiver = null!;
    private ushort _sequence;
    private int _next;

    /// <summary>80 bytes ≈ one 20 ms Opus frame at Meta's 20 kbit/s; 160 bytes = one 20 ms G.711 frame.</summary>
    [Params(80, 160)]
    public int PayloadBytes { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _plain = new byte[12 + PayloadBytes];
        _plain[0] = 0x80;
        _plain[1] = 111;
        BinaryPrimitives.WriteUInt32BigEndian(_plain.AsSpan(8), 0xCAFEBABE);
        Random.Shared.NextBytes(_plain.AsSpan(12));
        _sender = new SrtpContext(Key);
        using var producer = new SrtpContext(Key);
        _protected = new byte[PacketsPerIteration][];
        for (int i = 0; i < PacketsPerIteration; i++)
        {
            _plain.CopyTo(_buffer, 0);
            BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), (ushort)i);
            if (!producer.TryProtectRtp(_buffer, _plain.Length, out int length))
            {
                throw new InvalidOperationException("protect failed");
            }

            _protected[i] = _buffer[..length];
        }
    }

    [IterationSetup(Target = nameof(Unprotect))]
    public void FreshReceiver()
    {
        _receiver?.Dispose();
        _receiver = new SrtpContext(Key);
        _next = 0;
    }

    [Benchmark]
    public int Protect()
    {
        _plain.CopyTo(_buffer, 0);
        BinaryPrimitives.WriteUInt16BigEndian(_buffer.AsSpan(2), _sequence++);
        return _sender.TryProtectRtp(_buffer, _plain.Length, out int length) ? length : -1;
    }

    /// <summary>Each invocation authenticates and decrypts the next packet of a fresh in-order stream.</summary>
    [Benchmark]
    [InvocationCount(PacketsPerIteration)]
    public int Unprotect()
    {
        byte[] packet = _protected[_next++];
        packet.CopyTo(_buffer, 0);
        return _receiver.TryUnprotectRtp(_buffer.AsSpan(0, packet.Length), out int length) ? length : -1;
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _sender.Dispose();
        _receiver?.Dispose();
    }
}
