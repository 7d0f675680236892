using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using TestSupport;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

[Collection(AzuriteCollection.Name)]
public sealed class BillingApiTests(AzuriteFixture azurite) : IAsyncLifetime
{
    private RunningFunctionApp _app = null!;

    public async Task InitializeAsync() => _app = await BillingTestApp.StartAsync(azurite.ConnectionString);

    public async Task DisposeAsync() => await _app.DisposeAsync();

    private static async Task<HttpResponseMessage> TopUpAsync(HttpClient client, object body, string? key)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups") { Content = JsonContent.Create(body) };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        return await client.SendAsync(request);
    }

    private static async Task<JsonElement> JsonAsync(HttpResponseMessage response) => await response.Content.ReadFromJsonAsync<JsonElement>();

    [Fact]
    public async Task Billing_routes_without_a_token_get_401()
    {
        foreach (var path in new[] { "/api/balance", "/api/ledger", "/api/rates/+919876543210" })
        {
            using var response = await _app.Client.GetAsync(path);
            Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        }

        using var topUp = await TopUpAsync(_app.Client, new { amountUsd = 10 }, "k");
        Assert.Equal(HttpStatusCode.Unauthorized, topUp.StatusCode);
    }

    [Fact]
    public async Task An_agent_may_read_balance_ledger_and_rates_but_gets_403_on_top_ups()
    {
        using var agent = await _app.ClientForAsync("agent-1");

        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/balance")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/ledger")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await agent.GetAsync("/api/rates/+919876543210")).StatusCode);
        using var topUp = await TopUpAsync(agent, new { amountUsd = 10 }, "agent-try");
        Assert.Equal(HttpStatusCode.Forbidden, topUp.StatusCode);
        Assert.Equal("application/problem+json", topUp.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_balance_of_9_98_requires_a_top_up_and_shows_the_exact_amount()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var created = await TopUpAsync(admin, new { amountUsd = 9.98m, reference = "INV-998" }, "first-payment");
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);

        var balance = await JsonAsync(await admin.GetAsync("/api/balance"));

        Assert.Equal("9.98", balance.GetProperty("balanceUsd").GetString());
        Assert.Equal(9.98m, balance.GetProperty("displayUsd").GetDecimal());
        Assert.True(balance.GetProperty("topUpRequired").GetBoolean());
        Assert.Equal("10", balance.GetProperty("minimumUsd").GetString());
        Assert.Equal("0.02", balance.GetProperty("shortByUsd").GetString());
        Assert.Equal("USD", balance.GetProperty("currency").GetString());
    }

    [Fact]
    public async Task A_repeated_top_up_returns_the_same_result_and_credits_once()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var first = await TopUpAsync(admin, new { amountUsd = "25.00", reference = "INV-7", note = "November" }, "pay-7");
        using var again = await TopUpAsync(admin, new { amountUsd = 25, clientKey = "pay-7" }, key: null);

        Assert.Equal(HttpStatusCode.Created, first.StatusCode);
        Assert.Equal(HttpStatusCode.OK, again.StatusCode);
        Assert.Equal(await first.Content.ReadAsStringAsync(), await again.Content.ReadAsStringAsync());
        var entry = (await JsonAsync(first)).GetProperty("entry");
        Assert.Equal("admin-1", entry.GetProperty("actor").GetString());
        Assert.Equal("reference INV-7; November", entry.GetProperty("reason").GetString());
        var balance = await JsonAsync(await admin.GetAsync("/api/balance"));
        Assert.Equal(25m, decimal.Parse(balance.GetProperty("balanceUsd").GetString()!, System.Globalization.CultureInfo.InvariantCulture));
        Assert.False(balance.GetProperty("topUpRequired").GetBoolean());
    }

    [Fact]
    public async Task A_different_amount_under_a_used_key_is_409_naming_the_key()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var first = await TopUpAsync(admin, new { amountUsd = 50 }, "pay-8");
        using var other = await TopUpAsync(admin, new { amountUsd = 60 }, "pay-8");

        Assert.Equal(HttpStatusCode.Conflict, other.StatusCode);
        Assert.Equal("Idempotency-Key", (await JsonAsync(other)).GetProperty("field").GetString());
    }

    [Theory]
    [InlineData("{\"amountUsd\": -5}", "pay-9", "amountUsd")]
    [InlineData("{\"amountUsd\": 0.000001}", "pay-9", "amountUsd")]
    [InlineData("{\"amount\": 5}", "pay-9", "amountUsd")]
    [InlineData("{\"amountUsd\": 5}", null, "Idempotency-Key")]
    [InlineData("not json", "pay-9", "body")]
    public async Task A_bad_top_up_is_400_naming_the_field(string body, string? key, string field)
    {
        using var admin = await _app.ClientForAsync("admin-1");
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/balance/top-ups")
        {
            Content = new StringContent(body, System.Text.Encoding.UTF8, "application/json"),
        };
        if (key is not null)
        {
            request.Headers.Add("Idempotency-Key", key);
        }

        using var response = await admin.SendAsync(request);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_north_american_number_is_not_callable_for_want_of_a_rate()
    {
        using var agent = await _app.ClientForAsync("agent-1");

        var rate = await JsonAsync(await agent.GetAsync("/api/rates/+12125550123"));

        Assert.Equal("North America", rate.GetProperty("market").GetString());
        Assert.Equal("not_available", rate.GetProperty("status").GetString());
        Assert.False(rate.GetProperty("callable").GetBoolean());
        Assert.Equal("no_rate_for_market", rate.GetProperty("reasonCode").GetString());
        Assert.StartsWith("No rate for this market", rate.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.Equal(JsonValueKind.Null, rate.GetProperty("perMinuteUsd").ValueKind);
    }

    [Fact]
    public async Task An_indian_number_is_callable_at_its_rate_and_a_uae_number_carries_a_warning()
    {
        using var agent = await _app.ClientForAsync("agent-1");

        var india = await JsonAsync(await agent.GetAsync("/api/rates/919876543210"));
        var uae = await JsonAsync(await agent.GetAsync("/api/rates/%2B971501234567"));

        Assert.True(india.GetProperty("callable").GetBoolean());
        Assert.Equal("0.0053", india.GetProperty("perMinuteUsd").GetString());
        Assert.False(india.GetProperty("estimated").GetBoolean());
        Assert.Equal(BillingTestApp.BusinessNumberId, india.GetProperty("businessNumberId").GetString());
        Assert.Contains(uae.GetProperty("warnings").EnumerateArray(), w => w.GetProperty("code").GetString() == "limited_reliability");
    }

    [Theory]
    [InlineData("not-a-number")]
    [InlineData("+0123456789")]
    [InlineData("12")]
    public async Task A_rate_for_something_that_is_not_a_phone_number_is_400_naming_e164(string e164)
    {
        using var agent = await _app.ClientForAsync("agent-1");

        using var response = await agent.GetAsync("/api/rates/" + e164);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty("e164", out _));
    }

    [Fact]
    public async Task A_supervisor_pages_through_the_ledger_newest_first()
    {
        using var admin = await _app.ClientForAsync("admin-1");
        for (var i = 1; i <= 3; i++)
        {
            (await TopUpAsync(admin, new { amountUsd = i }, $"page-{i}")).Dispose();
        }

        using var supervisor = await _app.ClientForAsync("supervisor-1");
        var first = await JsonAsync(await supervisor.GetAsync("/api/ledger?pageSize=2"));
        var continuation = first.GetProperty("continuation").GetString()!;
        var second = await JsonAsync(await supervisor.GetAsync("/api/ledger?pageSize=2&continuation=" + Uri.EscapeDataString(continuation)));

        var keys = first.GetProperty("items").EnumerateArray().Concat(second.GetProperty("items").EnumerateArray())
            .Select(e => e.GetProperty("key").GetString()).ToList();
        Assert.Equal(["topup:page-3", "topup:page-2", "topup:page-1"], keys);
        Assert.Equal(JsonValueKind.Null, second.GetProperty("continuation").ValueKind);
        Assert.Equal("top_up", second.GetProperty("items")[0].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("pageSize=0", "pageSize")]
    [InlineData("pageSize=abc", "pageSize")]
    [InlineData("continuation=bogus", "continuation")]
    public async Task Bad_ledger_paging_is_400_naming_the_field(string query, string field)
    {
        using var agent = await _app.ClientForAsync("agent-1");

        using var response = await agent.GetAsync("/api/ledger?" + query);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.True((await JsonAsync(response)).GetProperty("errors").TryGetProperty(field, out _));
    }

    [Fact]
    public async Task A_call_debit_shows_in_the_ledger_with_its_pricing()
    {
        await _app.DeliverAsync(BillingTestApp.Terminate("wacid.listed", "+919876543210", 56));
        using var agent = await _app.ClientForAsync("agent-1");

        var item = (await JsonAsync(await agent.GetAsync("/api/ledger"))).GetProperty("items")[0];

        Assert.Equal("call_debit", item.GetProperty("kind").GetString());
        Assert.Equal("-0.0053", item.GetProperty("amountUsd").GetString());
        Assert.Equal("wacid.listed", item.GetProperty("callId").GetString());
        Assert.Equal(10, item.GetProperty("charge").GetProperty("pulses").GetInt64());
        Assert.Equal("India", item.GetProperty("charge").GetProperty("market").GetString());
    }
}
