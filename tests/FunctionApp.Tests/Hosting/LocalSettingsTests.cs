using Microsoft.Extensions.Configuration;
using WhatsAppCalling.FunctionApp.Configuration;

namespace WhatsAppCalling.FunctionApp.Tests.Hosting;

public sealed class LocalSettingsTests
{
    [Fact]
    public void Values_become_settings_with_double_underscores_as_sections()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory().FullName, "local.settings.json");
        File.WriteAllText(path, """
            { "IsEncrypted": false,
              "Values": { "AzureWebJobsStorage": "UseDevelopmentStorage=true", "Calling__RingStepSeconds": "15", "Flag": true } }
            """);

        var configuration = new ConfigurationBuilder().AddLocalSettings(path).Build();

        Assert.Equal("UseDevelopmentStorage=true", configuration["AzureWebJobsStorage"]);
        Assert.Equal("15", configuration["Calling:RingStepSeconds"]);
        Assert.Equal(15, configuration.GetSection("Calling").GetValue<int>("RingStepSeconds"));
        Assert.Equal("true", configuration["Flag"]);
    }

    [Fact]
    public void A_missing_file_adds_nothing()
    {
        var configuration = new ConfigurationBuilder().AddLocalSettings("/nonexistent/local.settings.json").Build();
        Assert.Empty(configuration.AsEnumerable());
    }
}
