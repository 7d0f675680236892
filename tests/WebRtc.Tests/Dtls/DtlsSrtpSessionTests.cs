using MediaRelay.WebRtc.Dtls;
using MediaRelay.WebRtc.Sdp;
using MediaRelay.WebRtc.Srtp;

namespace MediaRelay.WebRtc.Tests.Dtls;

public sealed class DtlsSrtpSessionTests
{
    private static readonly TimeSpan HangGuard = TimeSpan.FromSeconds(30);

    private static (DtlsSrtpSession Client, DtlsSrtpSession Server) Pair(
        DtlsCertificate clientCert, DtlsCertificate serverCert, string clientExpects, string serverExpects,
        IReadOnlyList<SrtpProtectionProfile>? clientProfiles = null, IReadOnlyList<SrtpProtectionProfile>? serverProfiles = null)
    {
        DtlsSrtpSession? client = null;
        DtlsSrtpSession? server = null;
        var toServer = new InMemoryDatagramLink(d => server!.OnDatagram(d));
        var toClient = new InMemoryDatagramLink(d => client!.OnDatagram(d));
        client = new DtlsSrtpSession(DtlsRole.Client, clientCert, new SdpFingerprint("sha-256", clientExpects),
            toServer.Send, TimeSpan.FromSeconds(10), clientProfiles);
        server = new DtlsSrtpSession(DtlsRole.Server, serverCert, new SdpFingerprint("sha-256", serverExpects),
            toClient.Send, TimeSpan.FromSeconds(10), serverProfiles);
        return (client, server);
    }

    [Fact]
    public async Task Client_and_server_agree_on_mirrored_srtp_keys()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        var (client, server) = Pair(clientCert, serverCert, serverCert.Sha256Fingerprint, clientCert.Sha256Fingerprint);
        using (client)
        using (server)
        {
            server.Start();
            client.Start();
            var clientKeys = await client.Keys.WaitAsync(HangGuard);
            var serverKeys = await server.Keys.WaitAsync(HangGuard);
            Assert.Equal(clientKeys.Local.Key, serverKeys.Remote.Key);
            Assert.Equal(clientKeys.Local.Salt, serverKeys.Remote.Salt);
            Assert.Equal(serverKeys.Local.Key, clientKeys.Remote.Key);
            Assert.NotEqual(clientKeys.Local.Key, clientKeys.Remote.Key);
        }
    }

    [Fact]
    public async Task The_server_picks_its_preferred_profile_among_those_the_client_offers()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        var (client, server) = Pair(clientCert, serverCert, serverCert.Sha256Fingerprint, clientCert.Sha256Fingerprint,
            clientProfiles: [SrtpProtectionProfile.AesCm128HmacSha1Tag80, SrtpProtectionProfile.AeadAes128Gcm],
            serverProfiles: [SrtpProtectionProfile.AeadAes128Gcm, SrtpProtectionProfile.AesCm128HmacSha1Tag80]);
        using (client)
        using (server)
        {
            server.Start();
            client.Start();
            var clientKeys = await client.Keys.WaitAsync(HangGuard);
            var serverKeys = await server.Keys.WaitAsync(HangGuard);
            Assert.Equal(SrtpProtectionProfile.AeadAes128Gcm, clientKeys.Profile);
            Assert.Equal(12, clientKeys.Local.Salt.Length);
            Assert.Equal(clientKeys.Local.Salt, serverKeys.Remote.Salt);
        }
    }

    [Fact]
    public async Task Closing_one_side_raises_closed_on_the_other()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        var (client, server) = Pair(clientCert, serverCert, serverCert.Sha256Fingerprint, clientCert.Sha256Fingerprint);
        using (server)
        {
            var closed = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            server.Closed += () => closed.TrySetResult();
            server.Start();
            client.Start();
            await client.Keys.WaitAsync(HangGuard);
            await server.Keys.WaitAsync(HangGuard);
            client.Dispose();
            await closed.Task.WaitAsync(HangGuard);
        }
    }

    [Fact]
    public async Task A_server_certificate_that_does_not_match_the_sdp_fingerprint_is_refused()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        var other = DtlsCertificate.Generate();
        var (client, server) = Pair(clientCert, serverCert, other.Sha256Fingerprint, clientCert.Sha256Fingerprint);
        using (client)
        using (server)
        {
            server.Start();
            client.Start();
            await Assert.ThrowsAsync<DtlsHandshakeException>(() => client.Keys.WaitAsync(HangGuard));
        }
    }

    [Fact]
    public async Task A_client_certificate_that_does_not_match_the_sdp_fingerprint_is_refused()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        var other = DtlsCertificate.Generate();
        var (client, server) = Pair(clientCert, serverCert, serverCert.Sha256Fingerprint, other.Sha256Fingerprint);
        using (client)
        using (server)
        {
            server.Start();
            client.Start();
            await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.Keys.WaitAsync(HangGuard));
        }
    }

    [Fact]
    public async Task A_retransmitted_handshake_record_after_the_handshake_is_absorbed_without_blocking()
    {
        var clientCert = DtlsCertificate.Generate();
        var serverCert = DtlsCertificate.Generate();
        DtlsSrtpSession? server = null;
        var fromClient = new List<byte[]>();
        var toServer = new InMemoryDatagramLink(d =>
        {
            lock (fromClient)
            {
                fromClient.Add(d);
            }

            server!.OnDatagram(d);
        });
        DtlsSrtpSession? client = null;
        var toClient = new InMemoryDatagramLink(d => client!.OnDatagram(d));
        client = new DtlsSrtpSession(DtlsRole.Client, clientCert, new SdpFingerprint("sha-256", serverCert.Sha256Fingerprint), toServer.Send);
        server = new DtlsSrtpSession(DtlsRole.Server, serverCert, new SdpFingerprint("sha-256", clientCert.Sha256Fingerprint), toClient.Send);
        using (client)
        using (server)
        {
            server.Start();
            client.Start();
            await client.Keys.WaitAsync(HangGuard);
            await server.Keys.WaitAsync(HangGuard);
            byte[] finalFlight;
            lock (fromClient)
            {
                finalFlight = fromClient[^1];
            }

            // The client's last flight arriving again (as when our Finished was late) must not wedge the socket thread.
            await Task.Run(() => server.OnDatagram(finalFlight)).WaitAsync(HangGuard);
            await Task.Run(() => server.OnDatagram(finalFlight)).WaitAsync(HangGuard);
        }
    }

    [Fact]
    public async Task A_server_that_never_sees_a_client_hello_fails_at_the_handshake_timeout()
    {
        var cert = DtlsCertificate.Generate();
        using var server = new DtlsSrtpSession(DtlsRole.Server, cert, new SdpFingerprint("sha-256", cert.Sha256Fingerprint),
            _ => { }, TimeSpan.FromMilliseconds(500));
        server.Start();
        await Assert.ThrowsAsync<DtlsHandshakeException>(() => server.Keys.WaitAsync(HangGuard));
    }

    [Fact]
    public void Fingerprint_comparison_ignores_case_and_requires_sha256()
    {
        var cert = DtlsCertificate.Generate();
        Assert.Matches("^([0-9A-F]{2}:){31}[0-9A-F]{2}$", cert.Sha256Fingerprint);
        Assert.True(DtlsFingerprint.Matches(new SdpFingerprint("sha-256", cert.Sha256Fingerprint.ToLowerInvariant()), cert.Der));
        Assert.False(DtlsFingerprint.Matches(new SdpFingerprint("sha-1", cert.Sha256Fingerprint), cert.Der));
        Assert.False(DtlsFingerprint.Matches(null, cert.Der));
    }
}
