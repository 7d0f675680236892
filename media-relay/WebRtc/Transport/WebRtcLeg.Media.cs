// SRTP/SRTCP half of a leg: RFC 3711 §3.3 protect/unprotect on the selected pair, RFC 5761 rtcp-mux,
// keys from DTLS-SRTP (RFC 5764 §4.2) installed once the handshake completes.
using System.Net;
using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Transport;

public sealed partial class WebRtcLeg
{
    private void OnSrtp(Span<byte> datagram, IPEndPoint from, bool rtcp)
    {
        if (rtcp)
        {
            Counters.CountRtcp();
        }
        else
        {
            Counters.CountRtp();
        }

        if (_inbound is null)
        {
            Counters.DropBeforeKeys();
            return;
        }

        if (!IsValidated(from))
        {
            Counters.DropUnknownSource();
            return;
        }

        int length = 0;
        bool ok;
        lock (_receiveLock)
        {
            var inbound = _inbound; // re-read under the lock: Close() disposes it under the same lock
            ok = inbound is not null
                && (rtcp ? inbound.TryUnprotectRtcp(datagram, out length) : inbound.TryUnprotectRtp(datagram, out length));
        }

        if (!ok)
        {
            Counters.DropSrtp();
            return;
        }

        (rtcp ? RtcpReceived : RtpReceived)?.Invoke(this, datagram[..length]);
    }

    private bool SendMedia(ReadOnlySpan<byte> plain, bool rtcp)
    {
        var target = _selected;
        if (target is null || plain.Length + SrtpMaxOverhead > _sendBuffer.Length)
        {
            return false;
        }

        lock (_sendLock)
        {
            var outbound = _outbound; // read under the lock: Close() disposes it under the same lock
            if (outbound is null)
            {
                return false;
            }

            plain.CopyTo(_sendBuffer);
            int length;
            bool ok = rtcp
                ? outbound.TryProtectRtcp(_sendBuffer, plain.Length, out length)
                : outbound.TryProtectRtp(_sendBuffer, plain.Length, out length);
            if (ok)
            {
                _socket.Send(_sendBuffer.AsSpan(0, length), target);
            }

            return ok;
        }
    }

    private void OnKeys(Task<SrtpKeyingMaterial> keys)
    {
        if (!keys.IsCompletedSuccessfully)
        {
            Close(keys.Exception?.InnerException ?? new DtlsHandshakeException("DTLS failed.", new InvalidOperationException()));
            return;
        }

        var material = keys.Result;
        lock (_sendLock)
        {
            lock (_receiveLock)
            {
                if (Volatile.Read(ref _closed) != 0)
                {
                    return;
                }

                SrtpProfile = material.Profile;
                _outbound = new SrtpContext(material.Local, material.Profile);
                _inbound = new SrtpContext(material.Remote, material.Profile);
            }
        }

        _connected.TrySetResult();
    }
}
