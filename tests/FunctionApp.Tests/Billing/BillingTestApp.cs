using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.DependencyInjection;
using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;
using WhatsAppCalling.FunctionApp.Webhooks;

namespace WhatsAppCalling.FunctionApp.Tests.Billing;

/// <summary>Builders shared by the billing tests: the app with one WABA and one business number, and call events.</summary>
internal static class BillingTestApp
{
    public const string WabaId = "102290129340398";
    public const string BusinessNumberId = "106540352242922";
    public const string BusinessDisplayNumber = "+4930123456789";

    public static readonly DateTimeOffset CallStart = new(2026, 11, 21, 10, 0, 0, TimeSpan.Zero);

    public static Task<RunningFunctionApp> StartAsync(
        string storage, IDictionary<string, string?>? extra = null, Action<WebApplicationBuilder>? configure = null)
    {
        var settings = new Dictionary<string, string?>
        {
            ["WhatsApp:WabaId"] = WabaId,
            ["BusinessNumbers:0:PhoneNumberId"] = BusinessNumberId,
            ["BusinessNumbers:0:DisplayNumber"] = BusinessDisplayNumber,
            ["BusinessNumbers:0:Country"] = "DE",
        };
        foreach (var (key, value) in extra ?? new Dictionary<string, string?>())
        {
            settings[key] = value;
        }

        return RunningFunctionApp.StartAsync(storage, settings, configure);
    }

    public static LedgerStore Ledger(this RunningFunctionApp app) => app.Services.GetRequiredService<LedgerStore>();

    /// <summary>The handler as the event processor gets it: through the registered handler list.</summary>
    public static async Task DeliverAsync(this RunningFunctionApp app, WhatsAppEvent evt, bool stale = false)
    {
        using var scope = app.Services.CreateScope();
        var handler = scope.ServiceProvider.GetServices<IWhatsAppEventHandler>().OfType<BillingEventHandler>().Single();
        var context = new EventContext($"{evt.GetType().Name}:{Guid.NewGuid():N}", new BusinessNumberId(BusinessNumberId), WabaId,
            DateTimeOffset.UtcNow, stale, "delivery-1");
        await handler.HandleAsync(evt, context, CancellationToken.None);
    }

    public static CallTerminated Terminate(
        string callId, string? customer, int? seconds, CallDirection direction = CallDirection.BusinessInitiated, DateTimeOffset? start = null)
    {
        var startTime = seconds is > 0 ? start ?? CallStart : (DateTimeOffset?)null;
        var end = startTime?.AddSeconds(seconds ?? 0);
        return new CallTerminated(
            Header(customer, end ?? CallStart), new CallId(callId), direction,
            seconds is > 0 ? CallOutcome.Completed : CallOutcome.Failed, seconds is > 0 ? "COMPLETED" : "FAILED",
            startTime, end, seconds is null ? null : TimeSpan.FromSeconds(seconds.Value), [], null, null, null);
    }

    public static CallConnected Connect(string callId, string customer) =>
        new(Header(customer, CallStart), new CallId(callId), CallDirection.BusinessInitiated, "answer", "v=0\r\n", null, null, null);

    private static EventHeader Header(string? customer, DateTimeOffset at) => new(
        "calls", WabaId, new BusinessNumberId(BusinessNumberId), BusinessDisplayNumber.TrimStart('+'), at,
        customer is null
            ? new WebhookContact("US.13491208655302741918", null, null, null, "Ana", null)
            : new WebhookContact(null, PhoneNumber.Parse(customer), customer, null, "Ana", null),
        [], 0, 0, 0);
}
