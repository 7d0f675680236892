using System.Net;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Webhooks;
using P = WhatsAppCalling.Domain.Tests.Webhooks.WebhookPayloads;

namespace WhatsAppCalling.FunctionApp.Tests.Webhooks;

/// <summary>
/// Thousands of random and mutated bodies, signed and unsigned, against the real endpoint: never a 5xx, never an
/// unsigned body stored, every valid signed delivery acknowledged.
/// </summary>
[Collection(AzuriteCollection.Name)]
public sealed class WebhookFuzzTests(AzuriteFixture azurite)
{
    private static readonly string[] Fixtures =
    [
        P.UserInitiatedConnect(), P.BusinessInitiatedConnect(), P.CallStatusUpdate("RINGING"), P.TerminateAnswered(),
        P.TerminateWithErrors(true, true), P.TextMessage(), P.SettingsUpdate(), P.AccountViolation(),
        P.Batched("wacid.a", "wacid.b", "wacid.c"),
    ];

    private static readonly string[] Insertions = ["", "\"", "{", "}", "[", "]", ",", ":", "0", "null", "\"x\"", "1e400", "\\u0000", "é", "\"entry\":[]"];

    public sealed record Attempt(byte[] Body, int Signing);

    [Fact]
    public async Task Random_and_mutated_bodies_never_get_a_5xx_and_only_verified_ones_are_stored()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?>
        {
            ["LocalTriggers:Enabled"] = "false",
            ["WhatsApp:WebhookBodyLimitBytes"] = "65536",
        });
        var mutated =
            from fixture in Gen.Elements(Fixtures)
            from position in Gen.Choose(0, 10_000)
            from cut in Gen.Choose(0, 6)
            from insert in Gen.Elements(Insertions)
            select Encoding.UTF8.GetBytes(Mutate(fixture, position, cut, insert));
        var random = Gen.ArrayOf(Gen.Choose(0, 255).Select(b => (byte)b));
        var bodies = Gen.Frequency((6, mutated), (2, Gen.Elements(Fixtures).Select(Encoding.UTF8.GetBytes)), (1, random));
        // 0: correct signature, 1: none, 2: wrong secret, 3: garbage header.
        var attempts = from body in bodies from signing in Gen.Choose(0, 3) select new Attempt(body, signing);

        var accepted = 0;
        var verified = 0;
        Prop.ForAll(attempts.ToArbitrary(), attempt =>
        {
            var signature = attempt.Signing switch
            {
                0 => WebhookSignature.Sign(attempt.Body, RunningFunctionApp.AppSecret),
                1 => null,
                2 => WebhookSignature.Sign(attempt.Body, "someone-else"),
                _ => "sha256=zz" + new string('0', 62),
            };
            using var response = WebhookClient.PostRawAsync(app, attempt.Body, signature).GetAwaiter().GetResult();
            var status = (int)response.StatusCode;
            var validDelivery = attempt.Signing == 0 && WebhookEnvelope.TryParse(attempt.Body, out _, out _);
            if (validDelivery)
            {
                verified++;
            }

            if (status == 200)
            {
                accepted++;
            }

            return status < 500
                && (attempt.Signing == 0 || status == 401)
                && (!validDelivery || status == 200)
                && (validDelivery || status != 200);
        }).Check(Config.QuickThrowOnFailure.WithMaxTest(2000));

        Assert.True(verified > 200, $"only {verified} valid signed deliveries were generated");
        Assert.Equal(verified, accepted);
        Assert.Equal(accepted, await StoredDeliveriesAsync(app));
    }

    private static string Mutate(string text, int position, int cut, string insert)
    {
        var at = position % (text.Length + 1);
        var removed = Math.Min(cut, text.Length - at);
        return string.Concat(text.AsSpan(0, at), insert, text.AsSpan(at + removed));
    }

    private static async Task<int> StoredDeliveriesAsync(RunningFunctionApp app)
    {
        var container = await app.Services.GetRequiredService<AppStorage>().ContainerAsync(AppContainers.WebhookDeliveries, CancellationToken.None);
        var count = 0;
        await foreach (var _ in container.ListBlobsAsync())
        {
            count++;
        }

        return count;
    }
}
