using FakeMeta;

// Standalone fake Meta for the demo mode: `dotnet run --project tests/FakeMeta -- --urls http://127.0.0.1:7090`
// with FakeMeta__AccessToken, FakeMeta__AppSecret, FakeMeta__CallbackUrl, FakeMeta__ManualClock as needed.
var builder = WebApplication.CreateSlimBuilder(args);
var section = builder.Configuration.GetSection("FakeMeta");
var options = new FakeMetaOptions { EnableLogging = true };
options.AccessToken = section["AccessToken"] ?? options.AccessToken;
options.AppSecret = section["AppSecret"] ?? options.AppSecret;
options.WabaId = section["WabaId"] ?? options.WabaId;
if (section["CallbackUrl"] is { Length: > 0 } callback)
{
    options.CallbackUrl = new Uri(callback);
}

if (section.GetValue<bool>("ManualClock"))
{
    options.Time = new ManualTimeProvider(DateTimeOffset.UtcNow);
}

var numbers = section.GetSection("BusinessNumbers").GetChildren()
    .Select(n => new FakeBusinessNumber(n["PhoneNumberId"] ?? "", n["DisplayNumber"] ?? "", n["Country"] ?? ""))
    .Where(n => n.PhoneNumberId.Length > 0)
    .ToList();
if (numbers.Count > 0)
{
    options.BusinessNumbers.Clear();
    options.BusinessNumbers.AddRange(numbers);
}

FakeMetaServer.Configure(builder.Services, options);
var app = builder.Build();
FakeMetaServer.Map(app);
app.Run();

public partial class Program;
