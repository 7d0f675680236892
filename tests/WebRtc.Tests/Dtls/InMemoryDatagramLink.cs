using System.Threading.Channels;

namespace MediaRelay.WebRtc.Tests.Dtls;

/// <summary>Delivers datagrams asynchronously and in order, like a loopback UDP path.</summary>
internal sealed class InMemoryDatagramLink
{
    private readonly Channel<byte[]> _queue = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });

    public InMemoryDatagramLink(Action<byte[]> deliver) =>
        _ = Task.Run(async () =>
        {
            await foreach (byte[] datagram in _queue.Reader.ReadAllAsync())
            {
                deliver(datagram);
            }
        });

    public void Send(ReadOnlyMemory<byte> datagram) => _queue.Writer.TryWrite(datagram.ToArray());
}
