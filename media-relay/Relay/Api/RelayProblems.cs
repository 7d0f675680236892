namespace MediaRelay.Api;

/// <summary>RFC 9457 problem bodies with the <c>code</c> and <c>field</c> members docs/RELAY-API.md, "Errors" defines.</summary>
internal static class RelayProblems
{
    public static IResult From(RelayApiException error) => Create(error.Status, error.Code, error.Message, error.Field);

    public static IResult Create(int status, string code, string detail, string? field = null)
    {
        var extensions = new Dictionary<string, object?> { ["code"] = code };
        if (field is not null)
        {
            extensions["field"] = field;
        }

        string title = status switch
        {
            400 => "Invalid request",
            401 => "Unauthorized",
            404 => "Not found",
            409 => "Conflict",
            422 => "SDP rejected",
            503 => "No capacity",
            _ => "Error",
        };
        return Results.Problem(detail, statusCode: status, title: title, extensions: extensions);
    }
}
