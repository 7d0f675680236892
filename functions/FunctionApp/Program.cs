using WhatsAppCalling.FunctionApp;
using WhatsAppCalling.FunctionApp.Hosting;

// `handler emit-function-app <dir>` writes host.json and the function.json folders (run by the publish step).
if (args is ["emit-function-app", var outputDirectory, ..])
{
    var emitting = FunctionAppHost.Build(args[2..]);
    var written = FunctionAppLayout.Write(outputDirectory, Path.Combine(AppContext.BaseDirectory, "host.json"), FunctionAppHost.AllFunctions(emitting));
    Console.WriteLine($"Wrote host.json and {written.Count} function.json files to {outputDirectory}");
    return;
}

FunctionAppHost.Build(args).Run();

/// <summary>Entry point marker for tests.</summary>
public partial class Program;
