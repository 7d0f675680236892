// The function app on Flex Consumption. The handler is a framework-dependent .NET 10 executable started through
// host.json's customHandler section; Flex takes the runtime from functionAppConfig (azure-protocols.md §1.10).
param name string
param location string
param storageAccountName string
param deploymentContainerUrl string
param appInsightsConnectionString string
param keyVaultName string
param signalRHostName string
param serviceBusNamespace string
param serviceBusTopic string
param tenantId string
param apiAudience string
param consoleClientId string
param wabaId string
param businessNumbers array
param relayBaseUrl string

var keyVaultUri = 'https://${keyVaultName}${environment().suffixes.keyvaultDns}'
var numberSettings = flatten(map(range(0, length(businessNumbers)), i => [
  { name: 'BusinessNumbers__${i}__PhoneNumberId', value: businessNumbers[i].phoneNumberId }
  { name: 'BusinessNumbers__${i}__DisplayNumber', value: businessNumbers[i].displayNumber }
  { name: 'BusinessNumbers__${i}__Country', value: businessNumbers[i].country }
]))

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  kind: 'functionapp'
  sku: { name: 'FC1', tier: 'FlexConsumption' }
  properties: { reserved: true }
}

resource site 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-func'
  location: location
  kind: 'functionapp,linux'
  identity: { type: 'SystemAssigned' }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: deploymentContainerUrl
          authentication: { type: 'SystemAssignedIdentity' }
        }
      }
      scaleAndConcurrency: { maximumInstanceCount: 40, instanceMemoryMB: 2048 }
      runtime: { name: 'dotnet-isolated', version: '10.0' }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      appSettings: concat([
        { name: 'AzureWebJobsStorage__accountName', value: storageAccountName }
        { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
        { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: appInsightsConnectionString }
        { name: 'AZURE_FUNCTIONS_ENVIRONMENT', value: 'Production' }
        { name: 'WhatsApp__AppSecret', value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/whatsapp-app-secret/)' }
        { name: 'WhatsApp__VerifyToken', value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/whatsapp-verify-token/)' }
        { name: 'WhatsApp__AccessToken', value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/whatsapp-access-token/)' }
        { name: 'WhatsApp__GraphVersion', value: 'v23.0' }
        { name: 'WhatsApp__WabaId', value: wabaId }
        { name: 'Auth__Authority', value: '${environment().authentication.loginEndpoint}${tenantId}/v2.0' }
        { name: 'Auth__Audience', value: apiAudience }
        { name: 'Auth__ConsoleClientId', value: consoleClientId }
        { name: 'Auth__AgentIdClaim', value: 'oid' }
        { name: 'SignalR__ConnectionString', value: 'Endpoint=https://${signalRHostName};AuthType=azure.msi;Version=1.0;' }
        { name: 'IntegrationEvents__ServiceBusNamespace', value: serviceBusNamespace }
        { name: 'IntegrationEvents__Topic', value: serviceBusTopic }
        { name: 'Relay__BaseUrl', value: relayBaseUrl }
        { name: 'Relay__ApiKey', value: '@Microsoft.KeyVault(SecretUri=${keyVaultUri}secrets/relay-api-key/)' }
        { name: 'Timers__MaxHopSeconds', value: '518400' }
      ], numberSettings)
    }
  }
}

output principalId string = site.identity.principalId
output url string = 'https://${site.properties.defaultHostName}'
