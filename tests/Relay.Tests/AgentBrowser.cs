using System.Text.Json;
using Microsoft.Playwright;
using TestSupport;

namespace MediaRelay.Tests;

/// <summary>
/// Headless Debian Chromium (Playwright, fake microphone) as the agents' browsers: each page is one agent that
/// offers (ICE controlling, DTLS client), plays the remote audio on an autoplay element, and reports inbound
/// audio stats (getStats energy, webrtc-relay.md §7.1). One browser per test class.
/// </summary>
public sealed class AgentBrowser : IAsyncLifetime
{
    public const string ChromiumPath = HeadlessChromium.ExecutablePath;
    private const string PageUrl = "http://localhost/agent.html";

    private const string Html = """
        <!doctype html>
        <html><body>
        <audio id="remote" autoplay></audio>
        <script>
        let pc;
        window.createOffer = async () => {
          const stream = await navigator.mediaDevices.getUserMedia({ audio: true });
          pc = new RTCPeerConnection({ iceServers: [] });
          stream.getTracks().forEach(t => pc.addTrack(t, stream));
          pc.ontrack = e => {
            const audio = document.getElementById('remote');
            audio.srcObject = e.streams[0] || new MediaStream([e.track]);
            audio.play().catch(() => {});
          };
          await pc.setLocalDescription(await pc.createOffer());
          await new Promise(r => { if (pc.iceGatheringState === 'complete') r(); else pc.onicegatheringstatechange = () => { if (pc.iceGatheringState === 'complete') r(); }; });
          return pc.localDescription.sdp;
        };
        window.acceptAnswer = async (answer) => { await pc.setRemoteDescription({ type: 'answer', sdp: answer }); };
        window.inbound = async () => {
          const stats = await pc.getStats();
          let inbound, transport;
          stats.forEach(s => {
            if (s.type === 'inbound-rtp' && s.kind === 'audio') inbound = s;
            if (s.type === 'transport') transport = s;
          });
          return {
            packetsReceived: inbound ? inbound.packetsReceived : 0,
            totalAudioEnergy: inbound ? (inbound.totalAudioEnergy || 0) : 0,
            connection: pc.connectionState, dtlsState: transport ? transport.dtlsState : '',
          };
        };
        </script>
        </body></html>
        """;

    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        if (!File.Exists(ChromiumPath))
        {
            return;
        }

        _playwright = await Playwright.CreateAsync();
        _browser = await HeadlessChromium.LaunchAsync(_playwright);
    }

    public async Task<AgentPage> OpenAsync()
    {
        Assert.True(_browser is not null, $"{ChromiumPath} is missing: install the Debian package 'chromium'.");
        var context = await _browser!.NewContextAsync();
        var page = await context.NewPageAsync();
        await page.RouteAsync(PageUrl, route => route.FulfillAsync(new RouteFulfillOptions { ContentType = "text/html", Body = Html }));
        await page.GotoAsync(PageUrl);
        return new AgentPage(page);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }
}

/// <summary>What one agent page heard.</summary>
public sealed record InboundAudio(long PacketsReceived, double TotalAudioEnergy, string Connection, string DtlsState);

public sealed class AgentPage(IPage page)
{
    public Task<string> CreateOfferAsync() => page.EvaluateAsync<string>("() => window.createOffer()");

    public Task AcceptAnswerAsync(string answer) => page.EvaluateAsync("a => window.acceptAnswer(a)", answer);

    public async Task<InboundAudio> InboundAsync()
    {
        var s = await page.EvaluateAsync<JsonElement>("() => window.inbound()");
        return new InboundAudio(s.GetProperty("packetsReceived").GetInt64(), s.GetProperty("totalAudioEnergy").GetDouble(),
            s.GetProperty("connection").GetString() ?? "", s.GetProperty("dtlsState").GetString() ?? "");
    }
}
