using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

public sealed class NCrontabScheduleTests
{
    private static readonly DateTimeOffset Start = new(2026, 11, 22, 10, 15, 30, TimeSpan.Zero);

    [Theory]
    [InlineData("*/1 * * * * *", "2026-11-22T10:15:31Z")]
    [InlineData("0 */5 * * * *", "2026-11-22T10:20:00Z")]
    [InlineData("0 0 * * * *", "2026-11-22T11:00:00Z")]
    [InlineData("0 30 9 * * MON-FRI", "2026-11-23T09:30:00Z")]
    [InlineData("0 0 0 1 JAN *", "2027-01-01T00:00:00Z")]
    [InlineData("15,45 * * * * *", "2026-11-22T10:15:45Z")]
    public void The_next_occurrence_follows_the_six_field_expression(string expression, string expected)
    {
        Assert.Equal(DateTimeOffset.Parse(expected, System.Globalization.CultureInfo.InvariantCulture), NCrontabSchedule.Parse(expression).NextAfter(Start));
    }

    [Theory]
    [InlineData("* * * * *")]
    [InlineData("60 * * * * *")]
    [InlineData("0 0 0 * FOO *")]
    [InlineData("*/0 * * * * *")]
    public void An_invalid_expression_is_refused(string expression) =>
        Assert.Throws<FormatException>(() => NCrontabSchedule.Parse(expression));
}
