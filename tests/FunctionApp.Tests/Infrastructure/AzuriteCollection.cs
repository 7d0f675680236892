using TestSupport;

namespace WhatsAppCalling.FunctionApp.Tests.Infrastructure;

[CollectionDefinition(Name)]
public sealed class AzuriteCollection : ICollectionFixture<AzuriteFixture>
{
    public const string Name = "azurite";
}
