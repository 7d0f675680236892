using TestSupport;
using WhatsAppCalling.Storage.Tables;

namespace WhatsAppCalling.Storage.Tests.Tables;

/// <summary>A fresh, uniquely named table per test so tests may run in parallel against one Azurite.</summary>
internal static class TableTestTables
{
    public static async Task<TableClient> NewAsync(AzuriteFixture azurite)
    {
        var table = new TableServiceClient(azurite.Account).GetTableClient(AzuriteFixture.UniqueName("t"));
        await table.CreateIfNotExistsAsync();
        return table;
    }
}
