// WhatsApp Business Calling on Azure: storage, function app (custom handler on Flex Consumption), SignalR Service
// (serverless), Service Bus topic for integration events, Key Vault, monitoring, and the media relay on a VM scale
// set (UDP port range; Container Apps accept no UDP). Deploy: az deployment group create -g <rg> -f main.bicep -p main.parameters.json
targetScope = 'resourceGroup'

@description('Short name used to derive resource names (lowercase letters and digits).')
@minLength(3)
@maxLength(12)
param name string

param location string = resourceGroup().location

@description('Microsoft Entra tenant of the agents (token authority).')
param tenantId string = subscription().tenantId

@description('App registration (audience) the agent console requests tokens for.')
param apiAudience string

@description('The agent console\'s own app registration (single-page application; redirect URI https://<function app>/api/console/). Empty: agents paste an access token instead of signing in with Microsoft.')
param consoleClientId string = ''

@description('WhatsApp Business Account id (balance scope).')
param wabaId string

@description('Business phone numbers: [{ phoneNumberId, displayNumber, country }].')
param businessNumbers array

@description('Media relay instances (each has its own public IP).')
@minValue(1)
param relayInstanceCount int = 1

@description('SSH public key for the relay VMs (administration only; password login is disabled).')
@secure()
param relaySshPublicKey string

@description('First and last UDP port of the Meta legs (one port per call).')
param relayMetaPortFirst int = 50001
param relayMetaPortLast int = 50999

@description('UDP port shared by browser legs.')
param relayBrowserUdpPort int = 50000

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  params: { name: name, location: location }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  params: { name: name, location: location }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'keyvault'
  params: { name: name, location: location, tenantId: tenantId }
}

module signalr 'modules/signalr.bicep' = {
  name: 'signalr'
  params: { name: name, location: location }
}

module serviceBus 'modules/servicebus.bicep' = {
  name: 'servicebus'
  params: { name: name, location: location }
}

module relay 'modules/relay.bicep' = {
  name: 'relay'
  params: {
    name: name
    location: location
    instanceCount: relayInstanceCount
    sshPublicKey: relaySshPublicKey
    browserUdpPort: relayBrowserUdpPort
    metaPortFirst: relayMetaPortFirst
    metaPortLast: relayMetaPortLast
    functionAppHostName: '${name}-func.azurewebsites.net'
    keyVaultName: keyVault.outputs.name
    storageAccountName: storage.outputs.accountName
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  params: {
    name: name
    location: location
    storageAccountName: storage.outputs.accountName
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    appInsightsConnectionString: monitoring.outputs.connectionString
    keyVaultName: keyVault.outputs.name
    signalRHostName: signalr.outputs.hostName
    serviceBusNamespace: serviceBus.outputs.fullyQualifiedNamespace
    serviceBusTopic: serviceBus.outputs.topicName
    tenantId: tenantId
    apiAudience: apiAudience
    consoleClientId: consoleClientId
    wabaId: wabaId
    businessNumbers: businessNumbers
    relayBaseUrl: relay.outputs.controlUrl
  }
}

module roles 'modules/roles.bicep' = {
  name: 'roles'
  params: {
    principalId: functionApp.outputs.principalId
    storageAccountName: storage.outputs.accountName
    keyVaultName: keyVault.outputs.name
    signalRName: signalr.outputs.name
    serviceBusName: serviceBus.outputs.name
  }
}

output functionAppUrl string = functionApp.outputs.url
output webhookUrl string = '${functionApp.outputs.url}/api/webhooks/whatsapp'
output relayControlUrl string = relay.outputs.controlUrl
