using System.Text.Json;

namespace WhatsAppCalling.FunctionApp.Configuration;

/// <summary>
/// Reads <c>local.settings.json</c> the way the Functions host does locally: its flat <c>Values</c> become settings,
/// with <c>Section__Key</c> meaning <c>Section:Key</c>. Environment variables still win, as app settings do in Azure.
/// </summary>
public static class LocalSettingsConfiguration
{
    public const string PathVariable = "LOCAL_SETTINGS_PATH";

    public static IConfigurationBuilder AddLocalSettings(this IConfigurationBuilder builder, string? path)
    {
        ArgumentNullException.ThrowIfNull(builder);
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return builder;
        }

        using var document = JsonDocument.Parse(File.ReadAllBytes(path), new JsonDocumentOptions { CommentHandling = JsonCommentHandling.Skip, AllowTrailingCommas = true });
        var values = new Dictionary<string, string?>(StringComparer.OrdinalIgnoreCase);
        if (document.RootElement.TryGetProperty("Values", out var settings) && settings.ValueKind == JsonValueKind.Object)
        {
            foreach (var setting in settings.EnumerateObject())
            {
                values[setting.Name.Replace("__", ":", StringComparison.Ordinal)] = setting.Value.ValueKind == JsonValueKind.String
                    ? setting.Value.GetString()
                    : setting.Value.GetRawText();
            }
        }

        return builder.AddInMemoryCollection(values);
    }

    /// <summary><c>$LOCAL_SETTINGS_PATH</c>, else <c>local.settings.json</c> in the working directory.</summary>
    public static string? DefaultPath() =>
        Environment.GetEnvironmentVariable(PathVariable) is { Length: > 0 } explicitPath
            ? explicitPath
            : Path.Combine(Directory.GetCurrentDirectory(), "local.settings.json");
}
