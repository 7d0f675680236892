using System.Text;

namespace WhatsAppCalling.Storage.Queues;

/// <summary>A message received with a pop receipt (Get Messages); <see cref="MessageText"/> is the raw stored text.</summary>
public sealed record QueueMessage(
    string MessageId, string PopReceipt, long DequeueCount, string MessageText,
    DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset NextVisibleTime);

/// <summary>A message seen without being dequeued (Peek Messages).</summary>
public sealed record PeekedMessage(
    string MessageId, long DequeueCount, string MessageText, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime);

/// <summary>The service's answer to Put Message.</summary>
public sealed record SentMessage(
    string MessageId, string PopReceipt, DateTimeOffset InsertionTime, DateTimeOffset ExpirationTime, DateTimeOffset NextVisibleTime);

/// <summary>The new pop receipt and visibility after Update Message.</summary>
public sealed record UpdateReceipt(string PopReceipt, DateTimeOffset NextVisibleTime);

/// <summary>
/// The Functions queue trigger's default <c>messageEncoding</c> is base64 of UTF-8 (azure-protocols.md §1.9);
/// messages meant for a trigger go through these helpers.
/// </summary>
public static class QueueMessageEncoding
{
    public static string EncodeUtf8Base64(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(text));
    }

    public static string DecodeUtf8Base64(string messageText)
    {
        ArgumentNullException.ThrowIfNull(messageText);
        try
        {
            return Encoding.UTF8.GetString(Convert.FromBase64String(messageText));
        }
        catch (FormatException ex)
        {
            throw new FormatException("The queue message text is not Base64 (Functions default message encoding).", ex);
        }
    }
}
