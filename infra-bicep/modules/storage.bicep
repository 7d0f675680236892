// The app's storage account: tables (consent, ledger, calls, timelines), queues (webhook events, durable timers),
// blobs (raw webhook deliveries, recordings, the Flex deployment package). Shared keys are off: managed identity only.
param name string
param location string

var accountName = toLower('${name}st${uniqueString(resourceGroup().id)}')
var tables = [ 'Timeline', 'ContactAliases', 'EventCompletions', 'Consent', 'SentMessages', 'Ledger', 'Calls', 'Agents', 'BusinessNumbers', 'IntegrationEventsSent', 'CallTimeline', 'FollowUps' ]
var queues = [ 'webhook-events', 'webhook-events-poison', 'durable-timers', 'durable-timers-poison', 'integration-events' ]
var containers = [ 'webhook-deliveries', 'recordings', 'deployment' ]

resource account 'Microsoft.Storage/storageAccounts@2023-05-01' = {
  name: take(accountName, 24)
  location: location
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    allowSharedKeyAccess: false
    allowBlobPublicAccess: false
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
  }
}

resource tableService 'Microsoft.Storage/storageAccounts/tableServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource tableResources 'Microsoft.Storage/storageAccounts/tableServices/tables@2023-05-01' = [for table in tables: {
  parent: tableService
  name: table
}]

resource queueService 'Microsoft.Storage/storageAccounts/queueServices@2023-05-01' = {
  parent: account
  name: 'default'
}

resource queueResources 'Microsoft.Storage/storageAccounts/queueServices/queues@2023-05-01' = [for queue in queues: {
  parent: queueService
  name: queue
}]

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2023-05-01' = {
  parent: account
  name: 'default'
  properties: {
    // Raw deliveries are evidence for replays; keep deleted blobs recoverable for a week.
    deleteRetentionPolicy: { enabled: true, days: 7 }
  }
}

resource containerResources 'Microsoft.Storage/storageAccounts/blobServices/containers@2023-05-01' = [for container in containers: {
  parent: blobService
  name: container
}]

output accountName string = account.name
output deploymentContainerUrl string = '${account.properties.primaryEndpoints.blob}deployment'
