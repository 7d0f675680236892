using Azure.Core;

namespace WhatsAppCalling.Storage;

/// <summary>
/// Pipeline options shared by the table, queue and blob clients. Retries (5xx, 408, 429, network errors and
/// timeouts) come from Azure.Core's retry policy configured through <see cref="ClientOptions.Retry"/>.
/// </summary>
public sealed class StorageClientOptions : ClientOptions
{
    // 2020-12-06 is the version Azure.Data.Tables sends and Azurite accepts (azure-protocols.md §2.2, §2.9).
    public const string DefaultServiceVersion = "2020-12-06";

    public StorageClientOptions()
    {
        Retry.MaxRetries = 5;
        Retry.Mode = RetryMode.Exponential;
        Retry.Delay = TimeSpan.FromMilliseconds(200);
        Retry.MaxDelay = TimeSpan.FromSeconds(10);
        Retry.NetworkTimeout = TimeSpan.FromSeconds(100);
    }

    /// <summary>The <c>x-ms-version</c> header sent with every request.</summary>
    public string ServiceVersion { get; set; } = DefaultServiceVersion;

    /// <summary>Time allowed for one attempt before it counts as a timeout and is retried.</summary>
    public TimeSpan NetworkTimeout
    {
        get => Retry.NetworkTimeout;
        set => Retry.NetworkTimeout = value;
    }

    /// <summary>Clock used for x-ms-date and SAS expiry; tests may replace it.</summary>
    public TimeProvider TimeProvider { get; set; } = TimeProvider.System;

    /// <summary>Table requests are signed with SharedKeyLite (as Azure.Data.Tables does) unless this is false.</summary>
    public bool UseSharedKeyLiteForTables { get; set; } = true;
}
