using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

[Collection(AzuriteCollection.Name)]
public sealed class HealthAndInvocationTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Health_answers_200_when_storage_is_reachable()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString);

        using var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal("healthy", body.GetProperty("status").GetString());
        Assert.True(body.GetProperty("storage").GetProperty("reachable").GetBoolean());
    }

    [Fact]
    public async Task Health_answers_503_naming_the_problem_when_storage_is_unreachable()
    {
        var closedPort = FreePort();
        var unreachable = $"DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:{closedPort}/devstoreaccount1;";
        await using var app = await RunningFunctionApp.StartAsync(unreachable, new Dictionary<string, string?> { ["LocalTriggers:Enabled"] = "false" });

        using var response = await app.Client.GetAsync("/api/health");

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.GetProperty("storage").GetProperty("reachable").GetBoolean());
        Assert.False(string.IsNullOrEmpty(body.GetProperty("storage").GetProperty("error").GetString()));
    }

    [Theory]
    [InlineData("not json", "not valid JSON")]
    [InlineData("""{"Data": 5}""", "Data")]
    [InlineData("""{"Data": {}, "Metadata": {}}""", "Data.message")]
    public async Task A_bad_invocation_payload_gets_400_with_a_problem_body(string body, string named)
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.AddSingleton(new InvocationRecorder());
            builder.Services.AddQueueFunction<ProbeQueueFunction>("ProbeQueue", AzuriteFixture.UniqueName("unused"));
        });

        using var content = new StringContent(body, Encoding.UTF8, "application/json");
        using var response = await app.Client.PostAsync("/ProbeQueue", content);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Contains(named, problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_function_that_throws_answers_500_without_a_stack_trace_so_the_host_retries()
    {
        var recorder = new InvocationRecorder { FailUntilAttempt = int.MaxValue };
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, configure: builder =>
        {
            builder.Services.AddSingleton(recorder);
            builder.Services.AddQueueFunction<ProbeQueueFunction>("ProbeQueue", AzuriteFixture.UniqueName("unused"));
        });

        using var response = await app.Client.PostAsJsonAsync("/ProbeQueue", new { Data = new { message = "\"boom\"" }, Metadata = new { DequeueCount = "1" } });

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("   at ", text, StringComparison.Ordinal);
        Assert.Equal("boom", Assert.Single(recorder.Invocations).MessageText);
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}
