using System.Net;
using FakeMeta.Simulation;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.WhatsApp.Configuration;
using WhatsAppCalling.WhatsApp.Errors;
using WhatsAppCalling.WhatsApp.Models;
using WhatsAppCalling.WhatsApp.Tests.Support;

namespace WhatsAppCalling.WhatsApp.Tests;

/// <summary>Bearer token handling, timeouts and configuration of the typed client.</summary>
public sealed class TransportTests
{
    [Fact]
    public async Task The_token_appears_in_no_log_line_on_success_failure_or_retry()
    {
        await using var h = await GraphHarness.StartAsync();
        var user = h.Customer(permission: PermissionKind.Temporary);
        h.Meta.Faults.FailNext("/call_permissions", 1, 429);

        await h.Client.GetCallPermissionsAsync(h.Number, GraphHarness.To(user));
        await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(h.Customer("4915199999999")), SdpRules.BusinessOffer()));
        await h.Client.ConnectAsync(h.Number, new ConnectCallRequest(GraphHarness.To(user), SdpRules.BusinessOffer()));

        Assert.NotEmpty(h.Logs.Lines);
        Assert.Contains(h.Logs.Lines, l => l.Contains("138006", StringComparison.Ordinal));
        Assert.DoesNotContain(h.Logs.Lines, l => l.Contains(GraphHarness.Token, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Every_request_carries_the_bearer_token_and_the_fake_records_none()
    {
        await using var h = await GraphHarness.StartAsync();

        await h.Client.GetCallingSettingsAsync(h.Number);

        var request = Assert.Single(h.Meta.Requests.All);
        Assert.True(request.HadBearerToken);
        Assert.DoesNotContain(request.Headers, p => p.Key.Equals("Authorization", StringComparison.OrdinalIgnoreCase));
    }

    [Fact]
    public async Task A_wrong_token_is_refused_as_access_denied()
    {
        await using var h = await GraphHarness.StartAsync(o => o.AccessToken = "another-token");

        var result = await h.Client.GetCallingSettingsAsync(h.Number);

        Assert.Equal(190, result.Error?.Code);
        Assert.Equal(CallingFailureReason.AccessDenied, result.Error?.Reason);
    }

    [Fact]
    public async Task A_request_that_never_answers_ends_as_a_timeout_result()
    {
        using var http = new HttpClient(new NeverAnswers());
        var options = Options(new WhatsAppOptions
        {
            AccessToken = "t",
            RequestTimeout = TimeSpan.FromMilliseconds(50),
            TotalTimeout = TimeSpan.FromMilliseconds(200),
            MaxRetries = 0,
        });
        var client = new WhatsAppClient(http, options, NullLogger<WhatsAppClient>.Instance);

        var result = await client.ConnectAsync(new BusinessNumberId("1"),
            new ConnectCallRequest(Recipient.ForPhone(PhoneNumber.Parse("4915112345678")), SdpRules.BusinessOffer()));

        Assert.Equal(CallingFailureReason.Timeout, result.Error?.Reason);
    }

    [Fact]
    public async Task Caller_cancellation_is_not_turned_into_a_result()
    {
        using var http = new HttpClient(new NeverAnswers());
        var client = new WhatsAppClient(http, Options(new WhatsAppOptions { AccessToken = "t" }), NullLogger<WhatsAppClient>.Instance);
        using var cts = new CancellationTokenSource();
        await cts.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => client.GetCallingSettingsAsync(new BusinessNumberId("1"), cts.Token));
    }

    [Fact]
    public void Options_bind_from_configuration_keys_with_defaults()
    {
        using var provider = Build(new()
        {
            ["WhatsApp:AccessToken"] = "t",
            ["WhatsApp:WabaId"] = "555",
            ["BusinessNumbers:0:PhoneNumberId"] = "123",
            ["BusinessNumbers:0:DisplayNumber"] = "+49 30 1234567",
            ["BusinessNumbers:0:Country"] = "DE",
        });

        var whatsApp = provider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;
        var numbers = provider.GetRequiredService<IOptions<BusinessNumbersOptions>>().Value;
        Assert.Equal(new Uri("https://graph.facebook.com/v23.0/"), whatsApp.VersionedBaseAddress);
        Assert.Equal("555", whatsApp.WabaId);
        Assert.Equal("49301234567", numbers.Find(new BusinessNumberId("123"))?.Display.Digits);
        Assert.NotNull(provider.GetRequiredService<IWhatsAppClient>());
    }

    [Theory]
    [InlineData("WhatsApp:AccessToken", "", "AccessToken")]
    [InlineData("WhatsApp:GraphVersion", "v16.0", "GraphVersion")]
    [InlineData("WhatsApp:GraphBaseUrl", "graph.facebook.com", "GraphBaseUrl")]
    [InlineData("BusinessNumbers:0:Country", "Germany", "Country")]
    [InlineData("BusinessNumbers:0:DisplayNumber", "12", "DisplayNumber")]
    public void Invalid_configuration_fails_validation(string key, string value, string named)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WhatsApp:AccessToken"] = "t",
            ["BusinessNumbers:0:PhoneNumberId"] = "123",
            ["BusinessNumbers:0:DisplayNumber"] = "+4930123456",
            ["BusinessNumbers:0:Country"] = "DE",
            [key] = value,
        };
        using var provider = Build(settings);

        var error = Assert.Throws<OptionsValidationException>(() =>
        {
            _ = provider.GetRequiredService<IOptions<WhatsAppOptions>>().Value;
            _ = provider.GetRequiredService<IOptions<BusinessNumbersOptions>>().Value;
        });
        Assert.Contains(named, error.Message, StringComparison.Ordinal);
    }

    private static ServiceProvider Build(Dictionary<string, string?> settings)
    {
        var services = new ServiceCollection();
        services.AddLogging();
        services.AddWhatsAppGraphClient(new ConfigurationBuilder().AddInMemoryCollection(settings).Build());
        return services.BuildServiceProvider();
    }

    private static IOptionsMonitor<WhatsAppOptions> Options(WhatsAppOptions value) =>
        Mock.Of<IOptionsMonitor<WhatsAppOptions>>(m => m.CurrentValue == value);

    /// <summary>A Graph that accepts the connection and never answers.</summary>
    private sealed class NeverAnswers : HttpMessageHandler
    {
        protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
        {
            await Task.Delay(Timeout.Infinite, cancellationToken);
            return new HttpResponseMessage(HttpStatusCode.OK);
        }
    }
}
