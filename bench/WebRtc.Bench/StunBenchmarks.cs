using System.Net;
using BenchmarkDotNet.Attributes;
using MediaRelay.WebRtc.Stun;

namespace MediaRelay.Bench;

/// <summary>STUN decoding of the RFC 5769 sample request, integrity check, and writing an ICE success response.</summary>
[MemoryDiagnoser]
[MinColumn]
public class StunBenchmarks
{
    private static readonly byte[] Request = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    private static readonly byte[] Password = "VOkJxbRl1RmTxUk/WvJxBt"u8.ToArray();
    private static readonly IPEndPoint Source = new(IPAddress.Parse("192.0.2.1"), 32853);
    private readonly byte[] _response = new byte[256];
    private StunMessage _parsed = null!;

    [GlobalSetup]
    public void Setup()
    {
        if (!StunParser.TryParse(Request, out var parsed))
        {
            throw new InvalidOperationException("RFC 5769 sample did not parse.");
        }

        _parsed = parsed!;
    }

    [Benchmark]
    public StunMessage? Parse() => StunParser.TryParse(Request, out var message) ? message : null;

    [Benchmark]
    public bool VerifyMessageIntegrity() => StunMessageIntegrity.Verify(Request, _parsed, Password);

    [Benchmark]
    public int WriteSuccessResponse()
    {
        var writer = new StunMessageWriter(_response, StunMessageType.BindingSuccess, _parsed.TransactionId);
        writer.AddXorMappedAddress(Source);
        writer.AddMessageIntegrity(Password);
        writer.AddFingerprint();
        return writer.Length;
    }
}
