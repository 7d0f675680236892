using Microsoft.Extensions.Configuration.EnvironmentVariables;
using WhatsAppCalling.FunctionApp.Auth;
using WhatsAppCalling.FunctionApp.Configuration;
using WhatsAppCalling.FunctionApp.Health;
using WhatsAppCalling.FunctionApp.Billing;
using WhatsAppCalling.FunctionApp.Calls;
using WhatsAppCalling.FunctionApp.Consent;
using WhatsAppCalling.FunctionApp.AgentConsole;
using WhatsAppCalling.FunctionApp.Hosting;
using WhatsAppCalling.FunctionApp.Integration;
using WhatsAppCalling.FunctionApp.Settings;
using WhatsAppCalling.FunctionApp.Storage;
using WhatsAppCalling.FunctionApp.Telemetry;
using WhatsAppCalling.FunctionApp.Timers;
using WhatsAppCalling.FunctionApp.Webhooks;
using WhatsAppCalling.WhatsApp;

namespace WhatsAppCalling.FunctionApp;

/// <summary>
/// Composes the function app: one ASP.NET Core executable that the Functions host starts as a custom handler
/// (architecture.md decision 1), or that runs on its own with the local trigger host (decision 2).
/// </summary>
public static class FunctionAppHost
{
    public const string CustomHandlerPortVariable = "FUNCTIONS_CUSTOMHANDLER_PORT";
    public const string DefaultLocalUrl = "http://localhost:7071";

    /// <param name="configure">Test hook: runs after the app's own registrations, before the app is built.</param>
    public static WebApplication Build(string[] args, Action<WebApplicationBuilder>? configure = null)
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions
        {
            Args = args,
            // The Functions host names the environment AZURE_FUNCTIONS_ENVIRONMENT.
            EnvironmentName = Environment.GetEnvironmentVariable("AZURE_FUNCTIONS_ENVIRONMENT") is { Length: > 0 } env ? env : null,
            ContentRootPath = AppContext.BaseDirectory,
        });
        InsertLocalSettings(builder.Configuration, LocalSettingsConfiguration.DefaultPath());

        var customHandlerPort = builder.Configuration[CustomHandlerPortVariable] ?? builder.Configuration["FUNCTIONS_HTTPWORKER_PORT"];
        if (customHandlerPort is { Length: > 0 })
        {
            // The host always calls the handler on 127.0.0.1 (azure-protocols.md §1.3).
            builder.WebHost.UseUrls($"http://127.0.0.1:{customHandlerPort}");
        }
        else if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_URLS"]))
        {
            builder.WebHost.UseUrls(DefaultLocalUrl);
        }

        var services = builder.Services;
        services.AddProblemDetails();
        services.AddOpenApi("v1");
        services.AddSingleton(TimeProvider.System);
        services.AddHttpClient();
        services.AddAgentAuthentication(builder.Configuration);
        services.AddSingleton<StorageConnections>();
        var storageNames = StorageNames.From(builder.Configuration);
        services.AddSingleton(storageNames);
        services.AddSingleton(HostJsonSettings.Load(Path.Combine(AppContext.BaseDirectory, "host.json")));
        FunctionRegistration.Catalog(services);
        services.AddSingleton<AppStorage>();
        services.AddStorageHealth();
        services.AddAppDurableTimers(builder.Configuration, storageNames);
        services.AddWhatsAppGraphClient(builder.Configuration);
        services.AddTracing(builder.Configuration);

        // Features: each registers its services, event handlers, timers and functions.
        services.AddWebhookIngest(builder.Configuration);
        services.AddConsent(builder.Configuration);
        services.AddBilling(builder.Configuration);
        services.AddCalls(builder.Configuration);
        services.AddIntegrationEvents(builder.Configuration);
        services.AddNumberSettings(builder.Configuration);

        if (customHandlerPort is not { Length: > 0 } && builder.Configuration.GetValue("LocalTriggers:Enabled", true))
        {
            services.AddHostedService<LocalTriggerHost>();
        }

        configure?.Invoke(builder);

        var app = builder.Build();
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UseEscapedSlashRouteValues();
        app.UseAuthentication();
        app.UseAuthorization();

        MapEndpoints(app);
        return app;
    }

    private static void MapEndpoints(WebApplication app)
    {
        app.MapFunctionInvocations(app.Services.GetRequiredService<FunctionCatalog>());
        app.MapHealth();
        app.MapWebhookIngest();
        app.MapConsent();
        app.MapBilling();
        app.MapCalls();
        app.MapConsole();
        app.MapNumberSettings();
        app.MapSignInConfig(devSignIn: app.Environment.IsDevelopment());
        if (app.Environment.IsDevelopment())
        {
            app.MapDevSignIn();
            // The API description (docs/API.md is its prose); local only, not a deployed function.
            app.MapOpenApi("/api/openapi/{documentName}.json").AllowAnonymous().WithMetadata(new LocalOnlyEndpointMetadata());
        }
    }

    /// <summary>local.settings.json ranks below environment variables, like app settings over defaults in Azure.</summary>
    private static void InsertLocalSettings(ConfigurationManager configuration, string? path)
    {
        var sources = (IList<IConfigurationSource>)configuration.Sources;
        var index = sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        var local = new ConfigurationBuilder().AddLocalSettings(path).Sources;
        foreach (var source in local.Reverse())
        {
            sources.Insert(index < 0 ? 0 : index, source);
        }
    }

    /// <summary>All functions: named <c>/api</c> endpoints plus declared queue and timer functions.</summary>
    public static IReadOnlyList<FunctionDefinition> AllFunctions(WebApplication app)
    {
        ArgumentNullException.ThrowIfNull(app);
        var sources = ((IEndpointRouteBuilder)app).DataSources;
        return [.. FunctionAppLayout.HttpFunctions(sources), .. app.Services.GetRequiredService<FunctionCatalog>().Functions];
    }
}
