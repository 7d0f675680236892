namespace WhatsAppCalling.FunctionApp.Problems;

/// <summary>RFC 9457 problem bodies shared by the API's endpoints.</summary>
public static class ApiProblems
{
    /// <summary>
    /// 400 naming the offending input: <c>field</c> for clients that show one message, and <c>errors</c> in the
    /// validation-problem shape for clients that map errors to form fields.
    /// </summary>
    public static IResult Field(string field, string detail) =>
        Results.Problem(
            statusCode: StatusCodes.Status400BadRequest,
            title: $"Invalid {field}",
            detail: detail,
            extensions: new Dictionary<string, object?>
            {
                ["field"] = field,
                ["errors"] = new Dictionary<string, string[]> { [field] = [detail] },
            });
}
