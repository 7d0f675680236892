using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using TestSupport;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Tests.Infrastructure;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

/// <summary>The emitted folder must be one the Functions host can load (azure-protocols.md §1.1, §1.2, §1.7, §1.9).</summary>
[Collection(AzuriteCollection.Name)]
public sealed partial class FunctionAppLayoutTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task Every_function_json_is_valid_for_its_trigger_type()
    {
        await using var app = await RunningFunctionApp.StartAsync(azurite.ConnectionString, new Dictionary<string, string?> { ["LocalTriggers:Enabled"] = "false" }, builder =>
        {
            builder.Services.AddSingleton(new InvocationRecorder());
            builder.Services.AddSingleton(new TimerRecorder());
            builder.Services.AddQueueFunction<ProbeQueueFunction>("ProbeQueue", "probe-queue");
            builder.Services.AddTimerFunction<ProbeTimerFunction>("ProbeTimer", "0 */5 * * * *");
        });
        var output = Directory.CreateTempSubdirectory("function-app-").FullName;

        var functions = FunctionAppHost.AllFunctions(app.App);
        var written = FunctionAppLayout.Write(output, Path.Combine(AppContext.BaseDirectory, "host.json"), functions);

        Assert.Equal(functions.Count, written.Count);
        Assert.Contains(functions, f => f is HttpFunctionDefinition { Name: "Health", Route: "health" });
        Assert.Contains(functions, f => f is QueueFunctionDefinition { Name: "ProbeQueue" });
        foreach (var function in functions)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(output, function.Name, "function.json")));
            var bindings = json.RootElement.GetProperty("bindings").EnumerateArray().ToList();
            var trigger = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "in");
            Assert.True(FunctionNames.IsValid(function.Name));
            switch (trigger.GetProperty("type").GetString())
            {
                case "httpTrigger":
                    Assert.Equal("anonymous", trigger.GetProperty("authLevel").GetString());
                    Assert.False(trigger.GetProperty("route").GetString()!.StartsWith('/'));
                    Assert.All(trigger.GetProperty("methods").EnumerateArray(), m => Assert.Matches("^(get|post|put|patch|delete|head|options)$", m.GetString()!));
                    var output0 = Assert.Single(bindings, b => b.GetProperty("direction").GetString() == "out");
                    Assert.Equal("http", output0.GetProperty("type").GetString());
                    break;
                case "queueTrigger":
                    Assert.Matches(QueueName(), trigger.GetProperty("queueName").GetString()!);
                    Assert.Equal("AzureWebJobsStorage", trigger.GetProperty("connection").GetString());
                    Assert.Equal(QueueFunctionDefinition.BindingName, trigger.GetProperty("name").GetString());
                    break;
                case "timerTrigger":
                    NCrontabSchedule.Parse(trigger.GetProperty("schedule").GetString()!);
                    break;
                default:
                    Assert.Fail($"Unexpected trigger type in {function.Name}");
                    break;
            }
        }
    }

    [Fact]
    public void Host_json_declares_the_custom_handler_with_forwarding_bundle_v4_and_fast_queue_polling()
    {
        using var host = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
        var root = host.RootElement;

        Assert.Equal("2.0", root.GetProperty("version").GetString());
        Assert.Equal("[4.*, 5.0.0)", root.GetProperty("extensionBundle").GetProperty("version").GetString());
        var handler = root.GetProperty("customHandler");
        Assert.True(handler.GetProperty("enableForwardingHttpRequest").GetBoolean());
        Assert.Equal("handler", handler.GetProperty("description").GetProperty("defaultExecutablePath").GetString());
        var settings = HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json"));
        Assert.True(settings.MaxPollingInterval <= TimeSpan.FromSeconds(2));
        Assert.True(settings.Base64MessageEncoding);
    }

    [Fact]
    public void Emitting_into_the_folder_the_handler_runs_from_keeps_its_host_json()
    {
        // dotnet publish runs `handler emit-function-app <publish dir>`, whose host.json is the source itself.
        var folder = Directory.CreateTempSubdirectory("publish-").FullName;
        var hostJson = Path.Combine(folder, "host.json");
        File.Copy(Path.Combine(AppContext.BaseDirectory, "host.json"), hostJson);
        var before = File.ReadAllText(hostJson);

        var written = FunctionAppLayout.Write(folder, hostJson, [new QueueFunctionDefinition("ProbeQueue", "probe-queue", "AzureWebJobsStorage", typeof(ProbeQueueFunction))]);

        Assert.Equal(before, File.ReadAllText(hostJson));
        Assert.Equal(Path.Combine(folder, "ProbeQueue", "function.json"), Assert.Single(written));
    }

    [GeneratedRegex("^[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]$")]
    private static partial Regex QueueName();
}
