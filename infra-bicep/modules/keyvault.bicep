// Secrets: the WhatsApp app secret and access token, the relay API key. RBAC authorization only.
param name string
param location string
param tenantId string

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: take('${name}-kv-${uniqueString(resourceGroup().id)}', 24)
  location: location
  properties: {
    tenantId: tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 30
  }
}

output name string = vault.name
output uri string = vault.properties.vaultUri
