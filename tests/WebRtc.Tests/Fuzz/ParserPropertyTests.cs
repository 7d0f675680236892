using System.Text;
using FsCheck;
using FsCheck.Fluent;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Rtp;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;
using MediaRelay.WebRtc.Stun;
using MediaRelay.WebRtc.Tests.Sdp;
using MediaRelay.WebRtc.Tests.Srtp;

namespace MediaRelay.WebRtc.Tests.Fuzz;

// Random and mutated input to every parser: none may throw; rejects are plain "false".
public sealed class ParserPropertyTests
{
    private const int Iterations = 3000;

    private static readonly byte[] StunSample = Convert.FromHexString(
        "000100582112a442b7e7a701bc34d686fa87dfae802200105354554e207465737420636c69656e74002400046e0001ff80290008932ff9b151263b36000600096576746a3a68367659202020000800149aeaa70cbfd8cb56781ef2b5b2d3f249c1b571a280280004e57a3bcf");

    private static readonly byte[] RtpSample = Convert.FromHexString("B1EF123401020304CAFEBABE11111111BEDE000110FF00006162630002");

    private static readonly byte[] RtcpSample = BuildRtcpSample();

    private static byte[] BuildRtcpSample()
    {
        byte[] buffer = new byte[128];
        int length = RtcpWriter.WriteSenderReport(buffer, new RtcpSenderReport(
            0x01020304, 0xE123456789ABCDEF, 960, 50, 4000, [new RtcpReportBlock(0xAABBCCDD, 12, -3, 70000, 45, 0x11112222, 65536)]));
        length += RtcpWriter.WriteSdesCname(buffer.AsSpan(length), 0x01020304, "relay-cname");
        return buffer[..length];
    }

    [Fact]
    public void Stun_parser_never_throws_on_arbitrary_bytes_fscheck()
    {
        var bytes = Arb.From(Gen.ArrayOf(Gen.Choose(0, 255).Select(i => (byte)i)));
        Check.One(Config.QuickThrowOnFailure.WithMaxTest(2000), Prop.ForAll(bytes, datagram =>
        {
            bool parsed = StunParser.TryParse(datagram, out var message);
            return parsed == (message is not null);
        }));
    }

    [Fact]
    public void Stun_parser_rejects_or_accepts_mutations_without_throwing()
    {
        var mutator = new DatagramMutator(5769);
        int rejected = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] datagram = i % 2 == 0 ? mutator.Mutate(StunSample) : mutator.RandomWithFirstByte(0, 3);
            if (StunParser.TryParse(datagram, out var message))
            {
                StunMessageIntegrity.Verify(datagram, message!, "VOkJxbRl1RmTxUk/WvJxBt"u8);
            }
            else
            {
                rejected++;
            }
        }

        Assert.True(rejected > Iterations / 2);
    }

    [Fact]
    public void Rtp_and_rtcp_parsers_never_throw()
    {
        var mutator = new DatagramMutator(3550);
        for (int i = 0; i < Iterations; i++)
        {
            byte[] rtp = i % 2 == 0 ? mutator.Mutate(RtpSample) : mutator.RandomWithFirstByte(128, 191);
            if (RtpHeader.TryParse(rtp, out var header))
            {
                Assert.InRange(header.HeaderLength + header.PaddingLength, 12, rtp.Length);
            }

            bool rtcpParsed = RtcpCompoundParser.TryParse(i % 2 == 0 ? mutator.Mutate(RtcpSample) : mutator.RandomBytes(), out var packets);
            Assert.True(rtcpParsed || packets is not null);
            PacketClassifier.Classify(mutator.RandomBytes(4));
        }
    }

    [Fact]
    public void Rtcp_sample_itself_parses()
    {
        Assert.True(RtcpCompoundParser.TryParse(RtcpSample, out var packets));
        Assert.Equal(2, packets.Count);
    }

    [Fact]
    public void Sdp_parser_and_summary_never_throw_on_mutated_offers()
    {
        var mutator = new DatagramMutator(8866);
        string[] samples = [SdpSamples.MetaUserInitiatedOffer, SdpSamples.ChromiumOffer, SdpSamples.MetaOfferWithExtmap];
        for (int i = 0; i < Iterations; i++)
        {
            byte[] text = mutator.Mutate(Encoding.UTF8.GetBytes(samples[i % samples.Length]));
            if (SdpParser.TryParse(Encoding.UTF8.GetString(text), out var sdp)
                && SdpMediaSummary.TryCreate(sdp!, out var summary))
            {
                _ = summary!.Sha256Fingerprint?.GetBytes();
                _ = summary.Candidates.Select(c => c.EndPoint).ToList();
            }
        }
    }

    [Fact]
    public void Srtp_unprotect_drops_and_counts_every_bad_packet()
    {
        var mutator = new DatagramMutator(3711);
        using var sender = new SrtpContext(SrtpRfc3711VectorTests.B3Master);
        using var receiver = new SrtpContext(SrtpRfc3711VectorTests.B3Master);
        int accepted = 0;
        for (int i = 0; i < Iterations; i++)
        {
            byte[] buffer = SrtpContextTests.PlainRtp((ushort)i);
            Assert.True(sender.TryProtectRtp(buffer, buffer.Length - 10, out int length));
            byte[] valid = buffer[..length];
            byte[] bad = i % 3 == 0 ? mutator.RandomWithFirstByte(128, 191) : mutator.Mutate(valid);
            bool badAccepted = receiver.TryUnprotectRtp(bad, out _);
            bool rtcpAccepted = receiver.TryUnprotectRtcp(mutator.RandomWithFirstByte(128, 191), out _);
            Assert.False(rtcpAccepted);
            accepted += badAccepted ? 1 : 0;
            accepted += receiver.TryUnprotectRtp(valid, out _) ? 1 : 0;
        }

        // Each call either succeeded or incremented exactly one drop counter.
        Assert.Equal(3 * Iterations, accepted + receiver.Counters.Dropped);
        Assert.Equal(accepted, receiver.Counters.Unprotected);
        Assert.True(receiver.Counters.Dropped >= 2 * Iterations - 5);
    }

    [Fact]
    public void Dtls_record_inspector_never_throws_and_accepts_only_complete_records()
    {
        var mutator = new DatagramMutator(6347);
        byte[] record = Convert.FromHexString("16FEFD000000000000000000050102030405");
        Assert.True(DtlsRecordInspector.IsWellFormed(record));
        Assert.True(DtlsRecordInspector.IsWellFormed([.. record, .. record]));
        for (int i = 0; i < Iterations; i++)
        {
            byte[] datagram = i % 2 == 0 ? mutator.Mutate(record) : mutator.RandomWithFirstByte(20, 63);
            if (DtlsRecordInspector.IsWellFormed(datagram))
            {
                Assert.InRange(datagram[0], 20, 24);
            }
        }
    }
}
