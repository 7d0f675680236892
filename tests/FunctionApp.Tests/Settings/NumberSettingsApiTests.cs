using System.Collections.Concurrent;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json.Nodes;
using FakeMeta;
using FakeMeta.Simulation;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Calls;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Settings;
using WhatsAppCalling.FunctionApp.Calls.Inbound;
using WhatsAppCalling.FunctionApp.Calls.Journal;
using WhatsAppCalling.FunctionApp.Settings;
using WhatsAppCalling.FunctionApp.Tests.Calls;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Settings;

/// <summary>
/// Business number settings end to end: the admin API over real HTTP, the row in Azurite, the push to the fake
/// Meta's settings endpoint, its <c>account_settings_update</c> webhook, and admission of inbound calls.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class NumberSettingsApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private const string Route = $"/api/admin/numbers/{RunningFunctionApp.BusinessNumberId}/settings";
    private readonly RecordingMediaRelay _relay = new();
    private readonly TimelineCapture _timeline = new();
    private FakeMetaServer _meta = null!;
    private RunningFunctionApp _app = null!;
    private HttpClient _admin = null!;

    public async Task InitializeAsync()
    {
        (_meta, _app) = await CallsTestEnvironment.StartAsync(
            azurite.ConnectionString, _relay, new Dictionary<string, string?> { ["Settings:SyncRetrySeconds"] = "1" },
            services => services.AddSingleton<ICallJournalSink>(_timeline));
        _admin = await _app.ClientForAsync("admin-1");
    }

    public async Task DisposeAsync()
    {
        _admin.Dispose();
        await _app.DisposeAsync();
        await _meta.DisposeAsync();
    }

    private static DayOfWeek TodayUtc => DateTime.UtcNow.DayOfWeek;

    private static string Day(DayOfWeek day) => day.ToString().ToLowerInvariant();

    private static object Document(bool callingEnabled = true, object? hours = null, bool recording = false) => new
    {
        callingEnabled,
        callIconVisibility = "default",
        callbackPermission = true,
        recording,
        businessHours = hours ?? new { enabled = false, timeZone = "UTC", weekly = Array.Empty<object>(), holidays = Array.Empty<object>() },
    };

    private static object AllWeek(string zone, params object[] holidays) => new
    {
        enabled = true,
        timeZone = zone,
        weekly = Enum.GetValues<DayOfWeek>().Select(d => new { day = Day(d), open = "00:00", close = "23:59" }).ToArray(),
        holidays,
    };

    private async Task<HttpResponseMessage> PutAsync(object document) => await _admin.PutAsJsonAsync(Route, document);

    private static async Task<JsonNode> BodyAsync(HttpResponseMessage response) => JsonNode.Parse(await response.Content.ReadAsStringAsync())!;

    private NumberSettingsStore Store => _app.Services.GetRequiredService<NumberSettingsStore>();

    private static BusinessNumberId Number => new(RunningFunctionApp.BusinessNumberId);

    [Fact]
    public async Task A_saved_document_is_stored_pushed_to_Meta_in_its_shape_and_read_back()
    {
        var hours = new
        {
            enabled = true,
            timeZone = "Europe/London",
            weekly = new object[] { new { day = "monday", open = "09:00", close = "12:30" }, new { day = "monday", open = "13:30", close = "17:00" } },
            holidays = new object[] { new { date = "2099-12-25" }, new { date = "2099-12-24", windows = new[] { new { open = "09:00", close = "13:00" } } } },
        };
        using var put = await PutAsync(Document(hours: hours, recording: true));
        var body = await BodyAsync(put);

        Assert.Equal(HttpStatusCode.OK, put.StatusCode);
        Assert.Equal("synced", (string?)body["sync"]!["state"]);
        var calling = _meta.Requests.To("/settings", "POST").Single().Json!["calling"]!;
        Assert.Equal("ENABLED", (string?)calling["status"]);
        Assert.Equal("ENABLED", (string?)calling["callback_permission_status"]);
        Assert.Equal("DEFAULT", (string?)calling["call_icon_visibility"]);
        Assert.Equal("Europe/London", (string?)calling["call_hours"]!["timezone_id"]);
        Assert.Equal("1330", (string?)calling["call_hours"]!["weekly_operating_hours"]![1]!["open_time"]);
        // Christmas closed all day is one entry; Christmas Eve open 09:00–13:00 is closed before and after.
        Assert.Equal(
            ["2099-12-24 0000-0900", "2099-12-24 1300-2359", "2099-12-25 0000-2359"],
            calling["call_hours"]!["holiday_schedule"]!.AsArray().Select(h => $"{h!["date"]} {h["start_time"]}-{h["end_time"]}"));
        Assert.Null(calling["recording"]);
        Assert.Equal("ENABLED", (string?)_meta.Simulator.CallingSettings(RunningFunctionApp.BusinessNumberId)["call_hours"]!["status"]);

        using var get = await _admin.GetAsync(Route);
        var read = await BodyAsync(get);
        Assert.Equal(put.Headers.ETag?.Tag, get.Headers.ETag?.Tag);
        Assert.Equal("13:30", (string?)read["businessHours"]!["weekly"]![1]!["open"]);
        Assert.Equal("09:00", (string?)read["businessHours"]!["holidays"]![0]!["windows"]![0]!["open"]);
        Assert.True((bool?)read["recording"]);
        Assert.NotNull((string?)read["availability"]!["nextOpening"]);
    }

    [Fact]
    public async Task Bad_bodies_are_400_problems_naming_the_field()
    {
        var overlapping = new
        {
            enabled = true,
            timeZone = "Europe/London",
            weekly = new object[] { new { day = "friday", open = "09:00", close = "12:00" }, new { day = "friday", open = "11:00", close = "14:00" } },
            holidays = Array.Empty<object>(),
        };
        Assert.Equal("businessHours.weekly[1].open", await FieldOfAsync(await PutAsync(Document(hours: overlapping))));
        Assert.Equal("businessHours.timeZone", await FieldOfAsync(await PutAsync(Document(hours: new { enabled = true, timeZone = "Atlantis/Capital", weekly = overlapping.weekly[..1], holidays = Array.Empty<object>() }))));
        Assert.Equal("businessHours.holidays[0].date", await FieldOfAsync(await PutAsync(Document(hours: AllWeek("UTC", new { date = "2001-01-01" })))));
        Assert.Equal("callingEnabled", await FieldOfAsync(await _admin.PutAsync(Route, Json("""{"callingEnabled":"yes"}"""))));
        Assert.Equal("businessHours.weekly[0].open", await FieldOfAsync(await _admin.PutAsync(Route, Json(
            """{"callingEnabled":true,"callIconVisibility":"default","callbackPermission":false,"recording":false,"businessHours":{"enabled":true,"timeZone":"UTC","weekly":[{"day":"monday","open":900,"close":"17:00"}]}}"""))));
        Assert.Equal("body", await FieldOfAsync(await _admin.PutAsync(Route, Json("[1,2]"))));
        Assert.Equal("recording", await FieldOfAsync(await _admin.PutAsync(Route, Json("""{"callingEnabled":true,"callIconVisibility":"default","callbackPermission":false,"businessHours":{"enabled":false,"timeZone":"UTC"}}"""))));
        Assert.Empty(_meta.Requests.To("/settings", "POST"));
        Assert.Null(await Store.FindAsync(Number, CancellationToken.None));
    }

    [Fact]
    public async Task Turning_calling_on_under_the_messaging_limit_threshold_is_a_409_and_changes_nothing()
    {
        _meta.Simulator.SetMessagingLimitTier(RunningFunctionApp.BusinessNumberId, "TIER_250");

        using var put = await PutAsync(Document(callingEnabled: true));
        var problem = await BodyAsync(put);

        Assert.Equal(HttpStatusCode.Conflict, put.StatusCode);
        Assert.Equal("callingEnabled", (string?)problem["field"]);
        Assert.Equal("TIER_250", (string?)problem["messagingLimitTier"]);
        Assert.Empty(_meta.Requests.To("/settings", "POST"));
        Assert.Null(await Store.FindAsync(Number, CancellationToken.None));

        // Off is always allowed, and needs no messaging-limit check.
        using var off = await PutAsync(Document(callingEnabled: false));
        Assert.Equal(HttpStatusCode.OK, off.StatusCode);
    }

    [Fact]
    public async Task A_Graph_failure_is_a_502_with_the_settings_stored_as_pending_then_the_retry_timer_syncs_them()
    {
        // More 500s than the client's own retries (3): the request fails, then the fault runs out for the timer.
        _meta.Faults.FailNext("/settings", 4, 500, method: "POST");

        using var put = await PutAsync(Document(callingEnabled: false));
        var problem = await BodyAsync(put);

        Assert.Equal(HttpStatusCode.BadGateway, put.StatusCode);
        Assert.Equal("pending", (string?)problem["sync"]!["state"]);
        Assert.NotNull((string?)problem["sync"]!["retryAt"]);
        var stored = await Store.FindAsync(Number, CancellationToken.None);
        Assert.False(stored!.Settings.CallingEnabled);
        Assert.Equal(SettingsSync.Pending, stored.Sync);

        var synced = await Eventually.UntilAsync(() => Store.FindAsync(Number, CancellationToken.None),
            s => s?.Sync == SettingsSync.Synced, TimeSpan.FromSeconds(30), "the retry timer to push the settings");
        Assert.Equal(stored.Version, synced!.Version);
        Assert.Equal("DISABLED", (string?)_meta.Simulator.CallingSettings(RunningFunctionApp.BusinessNumberId)["status"]);
    }

    [Fact]
    public async Task A_change_made_in_Metas_UI_reaches_the_stored_settings_through_the_webhook()
    {
        // Nothing saved here first: Meta's echo of our own push could otherwise arrive after the UI change (webhooks
        // go through a queue, and both fall in the same second, which is all Meta's timestamps resolve).
        await _meta.Simulator.ChangeSettingsInMetaUiAsync(RunningFunctionApp.BusinessNumberId, calling =>
        {
            calling["status"] = "DISABLED";
            calling["call_icon_visibility"] = "DISABLE_ALL";
            calling["callback_permission_status"] = "DISABLED";
        });

        var stored = await Eventually.UntilAsync(() => Store.FindAsync(Number, CancellationToken.None),
            s => s?.UpdatedBy == "meta", TimeSpan.FromSeconds(20), "the account_settings_update webhook to be applied");
        Assert.False(stored!.Settings.CallingEnabled);
        Assert.Equal(CallIconVisibility.DisableAll, stored.Settings.CallIcon);
        Assert.False(stored.Settings.CallbackPermission);
        Assert.Equal(SettingsSync.Synced, stored.Sync);

        // And it governs admission: the next call is refused as calling disabled.
        await CallsTestEnvironment.TopUpAsync(_app, "settings-meta-ui-top-up");
        _meta.Simulator.SetCallingEnabled(RunningFunctionApp.BusinessNumberId, true);
        Assert.Equal(CallAdmission.CallingDisabled, (await CallAsync("447700900105")).RejectedFor);
    }

    [Fact]
    public async Task A_call_outside_business_hours_is_rejected_via_Graph_with_the_reason_on_its_timeline()
    {
        await CallsTestEnvironment.TopUpAsync(_app, "settings-hours-top-up");
        var openDay = (DayOfWeek)(((int)TodayUtc + 3) % 7);
        var hours = new { enabled = true, timeZone = "UTC", weekly = new[] { new { day = Day(openDay), open = "10:00", close = "11:00" } }, holidays = Array.Empty<object>() };
        (await PutAsync(Document(hours: hours))).EnsureSuccessStatusCode();

        var call = await CallAsync("447700900101");

        Assert.Equal(CallAdmission.OutsideBusinessHours, call.RejectedFor);
        await AssertRejectedViaGraphAsync(call.CallId, "outside business hours");
    }

    [Fact]
    public async Task A_holiday_closes_a_number_that_is_otherwise_open_all_week()
    {
        await CallsTestEnvironment.TopUpAsync(_app, "settings-holiday-top-up");
        var today = DateOnly.FromDateTime(DateTime.UtcNow);
        // Today and tomorrow, so a run across midnight still lands on a holiday.
        var hours = AllWeek("UTC", new { date = today.ToString("yyyy-MM-dd") }, new { date = today.AddDays(1).ToString("yyyy-MM-dd") });
        (await PutAsync(Document(hours: hours))).EnsureSuccessStatusCode();

        var call = await CallAsync("447700900102");

        Assert.Equal(CallAdmission.OutsideBusinessHours, call.RejectedFor);
        await AssertRejectedViaGraphAsync(call.CallId, "outside business hours");
    }

    [Fact]
    public async Task A_call_while_calling_is_off_is_rejected_as_calling_disabled()
    {
        await CallsTestEnvironment.TopUpAsync(_app, "settings-off-top-up");
        (await PutAsync(Document(callingEnabled: false))).EnsureSuccessStatusCode();
        // Meta would not deliver calls to a number with calling off; the fake is told to anyway, as a late offer would.
        _meta.Simulator.SetCallingEnabled(RunningFunctionApp.BusinessNumberId, true);

        var call = await CallAsync("447700900103");

        Assert.Equal(CallAdmission.CallingDisabled, call.RejectedFor);
        await AssertRejectedViaGraphAsync(call.CallId, "calling is disabled");
    }

    [Fact]
    public async Task An_admitted_call_opens_its_relay_session_with_the_numbers_recording_flag()
    {
        await CallsTestEnvironment.TopUpAsync(_app, "settings-recording-top-up");
        (await PutAsync(Document(hours: AllWeek("America/Sao_Paulo"), recording: true))).EnsureSuccessStatusCode();
        using var agent = await _app.ClientForAsync("agent-1");
        (await agent.PutAsJsonAsync("/api/agents/me/presence", new { presence = "available" })).EnsureSuccessStatusCode();

        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber("447700900104"), SdpRules.MetaOffer());

        var settings = await Eventually.UntilAsync(() => Task.FromResult(_relay.SessionSettings.GetValueOrDefault(call.CallId)),
            s => s is not null, TimeSpan.FromSeconds(20), "the relay session");
        Assert.True(settings!.Recording);
    }

    private async Task<InboundCall> CallAsync(string customer)
    {
        var call = await _meta.SendUserInitiatedConnectAsync(_meta.Options.CallbackUrl!, RunningFunctionApp.AppSecret, FakeUser.WithNumber(customer), SdpRules.MetaOffer());
        var store = _app.Services.GetRequiredService<CallStore>();
        return (await Eventually.UntilAsync(() => store.GetAsync(new CallId(call.CallId), CancellationToken.None),
            c => c?.Phase == InboundCallPhase.Rejected, TimeSpan.FromSeconds(20), "the call to be rejected"))!;
    }

    private async Task AssertRejectedViaGraphAsync(CallId callId, string reason)
    {
        // The state is stored before its effects run: wait for the reject and the timeline line rather than race them.
        await Eventually.UntilAsync(
            () => Task.FromResult(
                _meta.Requests.All.Any(r => (string?)r.Json?["action"] == "reject" && (string?)r.Json?["call_id"] == callId.Value)
                && _timeline.Entries.Any(e => e.CallId == callId && e.What == CallTimelineKind.Rejected && e.Detail!.Contains(reason, StringComparison.Ordinal))),
            done => done, TimeSpan.FromSeconds(20), $"the Graph reject and a timeline line saying '{reason}'");
        Assert.DoesNotContain(_meta.Requests.All, r => (string?)r.Json?["action"] == "pre_accept");
        Assert.Empty(_relay.Operations);
    }

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    private static async Task<string?> FieldOfAsync(HttpResponseMessage response)
    {
        using (response)
        {
            Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
            Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
            return (string?)JsonNode.Parse(await response.Content.ReadAsStringAsync())!["field"];
        }
    }

    /// <summary>Keeps the timeline lines the call journal fans out.</summary>
    private sealed class TimelineCapture : ICallJournalSink
    {
        public ConcurrentQueue<CallTimelineEntry> Entries { get; } = new();

        public string Name => "test-capture";

        public Task TimelineAsync(JournalCall call, CallTimelineEntry entry, CancellationToken ct)
        {
            Entries.Enqueue(entry);
            return Task.CompletedTask;
        }

        public Task MissedAsync(JournalCall call, RecordMissedCall missed, CancellationToken ct) => Task.CompletedTask;
    }
}
