var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

// Liveness for run.sh, the VM health probe and the function app's start-up check.
app.MapGet("/health", () => Results.Ok(new { status = "healthy", service = "media-relay" }));

app.Run();

/// <summary>Entry point marker for integration tests.</summary>
public partial class Program;
