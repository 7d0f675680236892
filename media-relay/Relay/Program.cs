using MediaRelay;

var app = RelayApp.Build(args);
app.Run();

/// <summary>Entry point marker.</summary>
public partial class Program;
