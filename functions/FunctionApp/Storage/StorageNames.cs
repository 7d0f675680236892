namespace WhatsAppCalling.FunctionApp.Storage;

/// <summary>
/// Names of the app's queues, tables and blob containers, with an optional prefix (<c>Storage__NamePrefix</c>) so
/// that several app instances can share one storage account (parallel integration tests; several environments).
/// The prefix must be lowercase letters and digits, starting with a letter (valid for every storage resource).
/// </summary>
public sealed class StorageNames
{
    public StorageNames(string? prefix)
    {
        prefix ??= string.Empty;
        if (prefix.Length > 0 && (!char.IsAsciiLetterLower(prefix[0]) || !prefix.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c)) || prefix.Length > 20))
        {
            throw new ArgumentException("Storage__NamePrefix must be up to 20 lowercase letters and digits, starting with a letter.", nameof(prefix));
        }

        Prefix = prefix;
    }

    public string Prefix { get; }

    /// <summary>Queue names: lowercase, hyphens allowed.</summary>
    public string Queue(string name) => Prefix.Length == 0 ? name : $"{Prefix}-{name}";

    /// <summary>Table names: letters and digits only.</summary>
    public string Table(string name) => Prefix + name;

    /// <summary>Blob container names: lowercase, hyphens allowed.</summary>
    public string Container(string name) => Queue(name);

    public static StorageNames From(IConfiguration configuration) => new(configuration["Storage:NamePrefix"]);
}
