using System.Buffers.Binary;
using System.Text;
using MediaRelay.Bridge;
using MediaRelay.WebRtc.Rtp;

namespace MediaRelay.Recording;

/// <summary>
/// Records one call without decoding (webrtc-relay.md §6): a temporary Ogg file holding two multiplexed Ogg Opus
/// logical streams (RFC 7845 allows several), the customer (<c>LEG=caller</c>) and what the relay sent to the
/// customer (<c>LEG=agent</c>, which already contains the relay's silence while no agent spoke). Each RTP payload is
/// one Ogg packet; gaps in a stream's RTP timestamps, and the time before its first packet, are filled with 20 ms
/// silence frames so both streams stay aligned to the call's wall clock. Packets older than the last one written
/// (duplicates, reordering) are dropped. Players pick the first stream; <c>ffmpeg -map 0:a:0 -map 0:a:1</c> both.
/// </summary>
internal sealed class CallRecording : IDisposable
{
    /// <summary>Longest gap filled with silence; a larger timestamp jump is a new timeline, not a pause.</summary>
    private const long MaxGapSamples = 48_000L * 60;

    private const int PacketsPerPage = 50;

    private readonly object _gate = new();
    private readonly FileStream _file;
    private readonly TimeProvider _time;
    private readonly long _startedAt;
    private readonly Track _caller;
    private readonly Track _agent;
    private bool _finished;

    public CallRecording(string sessionId, TimeProvider time)
    {
        _time = time;
        _startedAt = time.GetTimestamp();
        FilePath = Path.Combine(Path.GetTempPath(), $"relay-recording-{Guid.NewGuid():N}.ogg");
        _file = new FileStream(FilePath, FileMode.CreateNew, FileAccess.ReadWrite, FileShare.Read, 16 * 1024, FileOptions.DeleteOnClose);
        _caller = new Track(new OggPageWriter(_file, (uint)Random.Shared.NextInt64(1, uint.MaxValue)));
        _agent = new Track(new OggPageWriter(_file, (uint)Random.Shared.NextInt64(1, uint.MaxValue)));
        string started = time.GetUtcNow().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'");

        // RFC 3533 grouping: every stream's first (BOS) page comes before any other page.
        _caller.Writer.Add(OpusHead(), 0);
        _caller.Writer.Flush(false);
        _agent.Writer.Add(OpusHead(), 0);
        _agent.Writer.Flush(false);
        _caller.Writer.Add(OpusTags(sessionId, "caller", started), 0);
        _caller.Writer.Flush(false);
        _agent.Writer.Add(OpusTags(sessionId, "agent", started), 0);
        _agent.Writer.Flush(false);
    }

    public string FilePath { get; }

    /// <summary>Seconds of audio in the longer of the two streams.</summary>
    public double DurationSeconds
    {
        get
        {
            lock (_gate)
            {
                return Math.Max(_caller.Writer.Granule, _agent.Writer.Granule) / 48_000.0;
            }
        }
    }

    /// <summary>Signature of <see cref="AddCaller"/> and <see cref="AddAgent"/>.</summary>
    public delegate void PacketSink(ReadOnlySpan<byte> packet, in RtpHeader header);

    /// <summary>A plain RTP packet the customer sent.</summary>
    public void AddCaller(ReadOnlySpan<byte> packet, in RtpHeader header) => Add(_caller, packet, header);

    /// <summary>A plain RTP packet the relay sent to the customer.</summary>
    public void AddAgent(ReadOnlySpan<byte> packet, in RtpHeader header) => Add(_agent, packet, header);

    /// <summary>Ends both streams (EOS pages) and rewinds the file for upload; later packets are ignored.</summary>
    public Stream Finish()
    {
        lock (_gate)
        {
            if (!_finished)
            {
                _finished = true;
                _caller.Writer.Flush(endOfStream: true);
                _agent.Writer.Flush(endOfStream: true);
                _file.Flush();
            }

            _file.Position = 0;
            return _file;
        }
    }

    public void Dispose() => _file.Dispose();

    private void Add(Track track, ReadOnlySpan<byte> packet, in RtpHeader header)
    {
        var payload = packet.Slice(header.HeaderLength, Math.Max(0, header.PayloadLength(packet.Length)));
        int samples = OpusPackets.SamplesAt48Khz(payload);
        if (samples == 0)
        {
            return; // not Opus (e.g. telephone-event): nothing to play
        }

        lock (_gate)
        {
            if (_finished)
            {
                return;
            }

            long gap;
            if (!track.Started)
            {
                gap = (long)(_time.GetElapsedTime(_startedAt).TotalSeconds * 48_000) - track.Writer.Granule;
                track.Started = true;
            }
            else
            {
                int delta = unchecked((int)(header.Timestamp - track.NextTimestamp));
                if (delta < 0)
                {
                    return; // duplicate or reordered: older than what is written
                }

                gap = delta;
            }

            for (long filled = 0; gap - filled >= OutboundStream.FrameTimestampUnits && filled < MaxGapSamples; filled += OutboundStream.FrameTimestampUnits)
            {
                Write(track, SilenceSource.OpusSilenceFrame, (int)OutboundStream.FrameTimestampUnits);
            }

            Write(track, payload, samples);
            track.NextTimestamp = unchecked(header.Timestamp + (uint)samples);
        }
    }

    private static void Write(Track track, ReadOnlySpan<byte> payload, int samples)
    {
        track.Writer.Add(payload, samples);
        if (track.Writer.PendingPackets >= PacketsPerPage)
        {
            track.Writer.Flush(endOfStream: false);
        }
    }

    /// <summary>OpusHead (RFC 7845 §5.1): version 1, mono, pre-skip 0 (RTP capture), 48 kHz, gain 0, family 0.</summary>
    private static byte[] OpusHead()
    {
        byte[] head = new byte[19];
        "OpusHead"u8.CopyTo(head);
        head[8] = 1;
        head[9] = 1;
        BinaryPrimitives.WriteUInt16LittleEndian(head.AsSpan(10), 0);
        BinaryPrimitives.WriteUInt32LittleEndian(head.AsSpan(12), 48_000);
        return head;
    }

    /// <summary>OpusTags (RFC 7845 §5.2) with the call id, which side, and the start time.</summary>
    private static byte[] OpusTags(string sessionId, string leg, string startedUtc)
    {
        string[] comments = [$"CALL_ID={sessionId}", $"LEG={leg}", $"START_UTC={startedUtc}"];
        byte[] vendor = Encoding.UTF8.GetBytes("whatsapp-calling media-relay");
        using var tags = new MemoryStream();
        tags.Write("OpusTags"u8);
        Span<byte> number = stackalloc byte[4];
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)vendor.Length);
        tags.Write(number);
        tags.Write(vendor);
        BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)comments.Length);
        tags.Write(number);
        foreach (var comment in comments)
        {
            byte[] text = Encoding.UTF8.GetBytes(comment);
            BinaryPrimitives.WriteUInt32LittleEndian(number, (uint)text.Length);
            tags.Write(number);
            tags.Write(text);
        }

        return tags.ToArray();
    }

    private sealed class Track(OggPageWriter writer)
    {
        public OggPageWriter Writer { get; } = writer;

        public bool Started { get; set; }

        public uint NextTimestamp { get; set; }
    }
}
