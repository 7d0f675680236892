using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;
using System.Text.RegularExpressions;
using WhatsAppCalling.FunctionApp.Storage;

namespace WhatsAppCalling.FunctionApp.Tests.Deployment;

/// <summary>
/// The Bicep CLI cannot be installed here (azure-protocols.md §8.3), so the templates are checked structurally:
/// modules and parameters line up, resource types carry known API versions, and the storage names and app
/// settings agree with what the code uses.
/// </summary>
public sealed partial class BicepTemplateTests
{
    private static readonly string Root = Path.Combine(RepositoryRoot(), "infra-bicep");

    private static readonly HashSet<string> KnownResourceTypes =
    [
        "Microsoft.Storage/storageAccounts@2023-05-01",
        "Microsoft.Storage/storageAccounts/tableServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01",
        "Microsoft.Storage/storageAccounts/queueServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices@2023-05-01",
        "Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01",
        "Microsoft.Web/serverfarms@2024-04-01",
        "Microsoft.Web/sites@2024-04-01",
        "Microsoft.SignalRService/signalR@2024-03-01",
        "Microsoft.ServiceBus/namespaces@2022-10-01-preview",
        "Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview",
        "Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview",
        "Microsoft.KeyVault/vaults@2023-07-01",
        "Microsoft.Insights/components@2020-02-02",
        "Microsoft.OperationalInsights/workspaces@2023-09-01",
        "Microsoft.Authorization/roleAssignments@2022-04-01",
        "Microsoft.Network/networkSecurityGroups@2023-11-01",
        "Microsoft.Network/virtualNetworks@2023-11-01",
        "Microsoft.Compute/virtualMachineScaleSets@2024-03-01",
    ];

    [Fact]
    public void Every_module_exists_and_receives_exactly_its_declared_parameters()
    {
        var main = File.ReadAllText(Path.Combine(Root, "main.bicep"));
        var modules = ModuleUse().Matches(main);
        Assert.NotEmpty(modules);
        foreach (Match module in modules)
        {
            var path = Path.Combine(Root, module.Groups["path"].Value);
            Assert.True(File.Exists(path), $"module file {path} is missing");
            var declared = Params(File.ReadAllText(path));
            var passed = PassedParams(main, module.Index);
            Assert.Empty(passed.Except(declared.Keys));
            Assert.Empty(declared.Where(p => !p.Value && !passed.Contains(p.Key)).Select(p => p.Key));
        }
    }

    [Fact]
    public void The_parameters_file_names_only_parameters_of_main()
    {
        var declared = Params(File.ReadAllText(Path.Combine(Root, "main.bicep")));
        using var parameters = JsonDocument.Parse(File.ReadAllText(Path.Combine(Root, "main.parameters.json")));
        foreach (var parameter in parameters.RootElement.GetProperty("parameters").EnumerateObject())
        {
            Assert.True(declared.ContainsKey(parameter.Name), $"'{parameter.Name}' is not a parameter of main.bicep");
        }
    }

    [Fact]
    public void Every_resource_uses_a_known_type_and_api_version()
    {
        foreach (var file in Directory.GetFiles(Root, "*.bicep", SearchOption.AllDirectories))
        {
            foreach (Match resource in ResourceDeclaration().Matches(File.ReadAllText(file)))
            {
                Assert.Contains(resource.Groups["type"].Value, KnownResourceTypes);
            }
        }
    }

    [Fact]
    public void Storage_declares_every_table_queue_and_container_the_app_uses()
    {
        var storage = File.ReadAllText(Path.Combine(Root, "modules", "storage.bicep"));
        foreach (var table in Constants(typeof(AppTables)))
        {
            Assert.Contains($"'{table}'", storage, StringComparison.Ordinal);
        }

        foreach (var queue in Constants(typeof(AppQueues)))
        {
            Assert.Contains($"'{queue}'", storage, StringComparison.Ordinal);
        }

        foreach (var container in Constants(typeof(AppContainers)))
        {
            Assert.Contains($"'{container}'", storage, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData("AzureWebJobsStorage__accountName")]
    [InlineData("WhatsApp__AppSecret")]
    [InlineData("WhatsApp__VerifyToken")]
    [InlineData("WhatsApp__AccessToken")]
    [InlineData("WhatsApp__WabaId")]
    [InlineData("Auth__Authority")]
    [InlineData("Auth__Audience")]
    [InlineData("Auth__ConsoleClientId")]
    [InlineData("SignalR__ConnectionString")]
    [InlineData("Relay__BaseUrl")]
    [InlineData("Relay__ApiKey")]
    public void The_function_app_gets_every_setting_it_validates_at_start_up(string setting)
    {
        var app = File.ReadAllText(Path.Combine(Root, "modules", "functionapp.bicep"));
        Assert.Contains($"name: '{setting}'", app, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("Relay__BrowserUdpPort=")]
    [InlineData("Relay__MetaPortRange=")]
    [InlineData("Relay__FunctionAppUrl=")]
    [InlineData("Relay__RecordingBlobEndpoint=")]
    [InlineData("Relay__PublicIp=")]
    [InlineData("Relay__ApiKey=")]
    public void The_relay_gets_every_setting_it_validates_at_start_up(string setting)
    {
        var relay = File.ReadAllText(Path.Combine(Root, "modules", "relay.bicep"));
        Assert.Contains(setting, relay, StringComparison.Ordinal);
    }

    [Fact]
    public void The_relay_reads_its_key_at_boot_with_its_identity_and_may_write_recordings()
    {
        var relay = File.ReadAllText(Path.Combine(Root, "modules", "relay.bicep"));

        // The key comes from Key Vault at boot, never through custom data (which the deployment can read back).
        Assert.Contains("secrets/relay-api-key", relay, StringComparison.Ordinal);
        Assert.Matches(@"scope: vault\s+properties: \{\s+principalId: scaleSet\.identity\.principalId[^}]+'4633458b-17de-408a-b874-0445c86b69e6'\)", relay);
        Assert.Matches(@"scope: storage\s+properties: \{\s+principalId: scaleSet\.identity\.principalId[^}]+'ba92f5b4-2d11-453d-a403-e96b0029c9fe'\)", relay);

        // The container the function app reads recordings from.
        Assert.Contains($"Relay__RecordingContainer={AppContainers.Recordings}", relay, StringComparison.Ordinal);
    }

    [Fact]
    public void Integration_events_have_a_deduplicating_topic_a_subscription_the_settings_and_the_sender_role()
    {
        var bus = File.ReadAllText(Path.Combine(Root, "modules", "servicebus.bicep"));
        Assert.Contains($"name: '{FunctionApp.Integration.IntegrationEventOptions.DefaultTopic}'", bus, StringComparison.Ordinal);
        Assert.Contains("requiresDuplicateDetection: true", bus, StringComparison.Ordinal);
        Assert.Matches(@"resource \w+ 'Microsoft\.ServiceBus/namespaces/topics/subscriptions@[^']+' = \{\s*parent: topic", bus);

        // The app reads exactly these keys (IntegrationEventOptions); with neither it falls back to the Storage queue.
        var app = File.ReadAllText(Path.Combine(Root, "modules", "functionapp.bicep"));
        Assert.Contains($"name: '{FunctionApp.Integration.IntegrationEventOptions.Section}__{nameof(FunctionApp.Integration.IntegrationEventOptions.ServiceBusNamespace)}', value: serviceBusNamespace", app, StringComparison.Ordinal);
        Assert.Contains($"name: '{FunctionApp.Integration.IntegrationEventOptions.Section}__{nameof(FunctionApp.Integration.IntegrationEventOptions.Topic)}', value: serviceBusTopic", app, StringComparison.Ordinal);

        // Azure Service Bus Data Sender on the namespace for the app's identity (the namespace disables SAS keys).
        var roles = File.ReadAllText(Path.Combine(Root, "modules", "roles.bicep"));
        Assert.Matches(@"scope: bus\s+properties: \{\s+principalId: principalId[^}]+roleDefinitions', '69a216fc-b8fb-44d8-bc22-1f3c2cd27a39'\)", roles);
        Assert.Contains("disableLocalAuth: true", bus, StringComparison.Ordinal);
    }

    private static IEnumerable<string> Constants(Type type) =>
        type.GetFields(BindingFlags.Public | BindingFlags.Static).Where(f => f.IsLiteral).Select(f => (string)f.GetRawConstantValue()!);

    /// <summary>Parameter name → whether it has a default.</summary>
    private static Dictionary<string, bool> Params(string bicep) =>
        ParamDeclaration().Matches(bicep).ToDictionary(m => m.Groups["name"].Value, m => m.Groups["default"].Success);

    private static HashSet<string> PassedParams(string main, int moduleStart)
    {
        var block = main[main.IndexOf("params:", moduleStart, StringComparison.Ordinal)..];
        var depth = 0;
        var end = 0;
        for (var i = block.IndexOf('{', StringComparison.Ordinal); i < block.Length; i++)
        {
            depth += block[i] == '{' ? 1 : block[i] == '}' ? -1 : 0;
            if (depth == 0)
            {
                end = i;
                break;
            }
        }

        var body = block[(block.IndexOf('{', StringComparison.Ordinal) + 1)..end];
        return [.. PassedName().Matches(body).Select(m => m.Groups["name"].Value)];
    }

    // From this source file's path: test binaries may be built outside the tree (--artifacts-path).
    private static string RepositoryRoot([CallerFilePath] string sourceFile = "")
    {
        var dir = new DirectoryInfo(Path.GetDirectoryName(sourceFile)!);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Serverless.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("Serverless.sln not found above the test sources.");
    }

    [GeneratedRegex(@"^module\s+\w+\s+'(?<path>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ModuleUse();

    [GeneratedRegex(@"^param\s+(?<name>\w+)\s+\w+(?<default>\s*=)?", RegexOptions.Multiline)]
    private static partial Regex ParamDeclaration();

    [GeneratedRegex(@"(?:^|[\s,{])(?<name>\w+)\s*:", RegexOptions.Multiline)]
    private static partial Regex PassedName();

    [GeneratedRegex(@"^resource\s+\w+\s+'(?<type>[^']+)'", RegexOptions.Multiline)]
    private static partial Regex ResourceDeclaration();
}
