using System.Text;
using WhatsAppCalling.Domain.Webhooks;

namespace WhatsAppCalling.Domain.Tests.Webhooks;

/// <summary>Runs a body through the envelope and the parser the way the event processor does.</summary>
internal static class Parsed
{
    public static IReadOnlyList<WhatsAppEvent> All(string body)
    {
        Assert.True(WebhookEnvelope.TryParse(Encoding.UTF8.GetBytes(body), out var envelope, out var error), error?.ToString());
        return WhatsAppEventParser.Parse(envelope);
    }

    public static T Single<T>(string body)
        where T : WhatsAppEvent
    {
        var events = All(body);
        var only = Assert.Single(events);
        return Assert.IsType<T>(only);
    }
}
