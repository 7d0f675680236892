using System.Net;
using MediaRelay.Events;
using MediaRelay.Recording;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Transport;
using Microsoft.Extensions.Options;

namespace MediaRelay.Sessions;

/// <summary>
/// What every session shares in this process: the DTLS certificate (one per process, so one fingerprint for all
/// SDPs), the browser legs' one UDP port, the Meta port pool, the event publisher and the recording store.
/// </summary>
internal sealed class RelayMedia : IDisposable
{
    public RelayMedia(
        IOptions<RelayServiceOptions> options, IRelayEventPublisher events, RecordingStore recordings, TimeProvider time,
        ILoggerFactory loggers)
    {
        var settings = options.Value;
        PublicIp = settings.ParsedPublicIp;
        Certificate = DtlsCertificate.Generate(time);
        BrowserPort = BrowserUdpMux.Bind(new IPEndPoint(settings.ParsedBindAddress, settings.BrowserUdpPort));
        MetaPorts = new MetaPortPool(settings.ParsedBindAddress, settings.ParsedMetaPortRange);
        Events = events;
        Recordings = recordings;
        Time = time;
        Loggers = loggers;
        Cname = "relay-" + Guid.NewGuid().ToString("N")[..12];
    }

    public IPAddress PublicIp { get; }

    public DtlsCertificate Certificate { get; }

    public BrowserUdpMux BrowserPort { get; }

    public MetaPortPool MetaPorts { get; }

    public IRelayEventPublisher Events { get; }

    public RecordingStore Recordings { get; }

    public TimeProvider Time { get; }

    public ILoggerFactory Loggers { get; }

    /// <summary>RTCP CNAME of every stream the relay sends.</summary>
    public string Cname { get; }

    public void Dispose() => BrowserPort.Dispose();
}
