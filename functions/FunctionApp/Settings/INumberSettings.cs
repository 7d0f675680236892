using WhatsAppCalling.Domain.Primitives;
using WhatsAppCalling.Domain.Settings;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>
/// Read port for a business number's settings, for features that only need to obey them (inbound admission, the
/// relay's recording flag, outbound calls refused while calling is off). A number never configured here reads as
/// <see cref="NumberSettings.Unconfigured"/>.
/// </summary>
public interface INumberSettings
{
    Task<NumberSettings> GetAsync(BusinessNumberId number, CancellationToken ct);
}
