using System.Net;

namespace WhatsAppCalling.Storage;

/// <summary>
/// A storage request the service refused. Keeps the HTTP status, the service's error code (x-ms-error-code or the
/// body's code) and its message (azure-protocols.md §2.8).
/// </summary>
public class StorageRequestException : Exception
{
    public StorageRequestException(int status, string? errorCode, string message, Exception? inner = null)
        : base(Describe(status, errorCode, message), inner)
    {
        Status = status;
        ErrorCode = errorCode;
        ServiceMessage = message;
    }

    public int Status { get; }

    /// <summary>The service error code, e.g. <c>EntityAlreadyExists</c>; null when the service gave none.</summary>
    public string? ErrorCode { get; }

    public string ServiceMessage { get; }

    private static string Describe(int status, string? code, string message) =>
        $"Storage request failed with {status} ({(HttpStatusCode)status}){(code is null ? string.Empty : " " + code)}: {message}";
}

/// <summary>404: table, entity, queue, message, container or blob not found.</summary>
public sealed class StorageNotFoundException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>409: the resource already exists (<c>EntityAlreadyExists</c>, <c>TableAlreadyExists</c>, ...).</summary>
public sealed class StorageConflictException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>412: an If-Match ETag no longer matches (<c>UpdateConditionNotSatisfied</c>, <c>ConditionNotMet</c>).</summary>
public sealed class StoragePreconditionFailedException(int status, string? errorCode, string message)
    : StorageRequestException(status, errorCode, message);

/// <summary>Service error codes callers commonly test for (REST "Table/Queue/Blob service error codes").</summary>
public static class StorageErrorCodes
{
    public const string EntityAlreadyExists = "EntityAlreadyExists";
    public const string UpdateConditionNotSatisfied = "UpdateConditionNotSatisfied";
    public const string ResourceNotFound = "ResourceNotFound";
    public const string TableNotFound = "TableNotFound";
    public const string TableAlreadyExists = "TableAlreadyExists";
    public const string PropertyValueTooLarge = "PropertyValueTooLarge";
    public const string QueueNotFound = "QueueNotFound";
    public const string QueueAlreadyExists = "QueueAlreadyExists";
    public const string MessageNotFound = "MessageNotFound";
    public const string PopReceiptMismatch = "PopReceiptMismatch";
    public const string ContainerNotFound = "ContainerNotFound";
    public const string ContainerAlreadyExists = "ContainerAlreadyExists";
    public const string BlobNotFound = "BlobNotFound";
    public const string ConditionNotMet = "ConditionNotMet";
}
