using System.Text.Json;
using WhatsAppCalling.Domain.Webhooks;
using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.WhatsApp.Models;

namespace WhatsAppCalling.FunctionApp.Settings;

/// <summary>
/// Reconciles stored settings from <c>account_settings_update</c> (whatsapp-calling-api.md §1.11), so a change
/// made in Meta's WhatsApp Manager shows up here and governs admission. Meta also sends it for our own pushes;
/// that echo carries what we stored and so changes nothing. While a save is still pending (Meta has not taken it)
/// the webhook is ignored: the admin's newer save is about to replace Meta's state anyway.
/// </summary>
public sealed class SettingsWebhookHandler(NumberSettingsStore store, TimeProvider time, ILogger<SettingsWebhookHandler> logger) : IWhatsAppEventHandler
{
    public string Name => "number-settings";

    public async Task HandleAsync(WhatsAppEvent evt, EventContext context, CancellationToken ct)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (evt is not CallingSettingsUpdated update)
        {
            return;
        }

        if ((update.Header.BusinessNumberId ?? context.BusinessNumberId) is not { } number)
        {
            logger.LogWarning("account_settings_update without a phone number id, ignored");
            return;
        }

        CallingSettings? meta;
        try
        {
            meta = update.Calling.Deserialize<CallingSettings>();
        }
        catch (JsonException e)
        {
            logger.LogWarning(e, "account_settings_update for {PhoneNumberId}: calling object unreadable, ignored", number);
            return;
        }

        if (meta is null)
        {
            return;
        }

        var (stored, changed) = await store.ReconcileAsync(number, current =>
        {
            if (current is { Sync: SettingsSync.Pending })
            {
                return null;
            }

            // A delivery older than our last push describes a state our push has replaced.
            if (current?.PushStartedAt is { } pushed && update.Header.Timestamp is { } sent && sent < pushed.AddSeconds(-1))
            {
                return null;
            }

            return MetaCallingSettings.FromMeta(meta, current?.Settings ?? Domain.Settings.NumberSettings.Unconfigured);
        }, time.GetUtcNow(), ct);

        if (changed && stored is not null)
        {
            logger.LogInformation("Settings of {PhoneNumberId} changed at Meta: calling {CallingEnabled}, version {Version}",
                number, stored.Settings.CallingEnabled, stored.Version);
        }
    }
}
