// Integration events (call started, answered, transferred, ended, billed, missed) for CRMs to subscribe to.
param name string
param location string

resource namespace 'Microsoft.ServiceBus/namespaces@2022-10-01-preview' = {
  name: '${name}-bus-${uniqueString(resourceGroup().id)}'
  location: location
  sku: { name: 'Standard', tier: 'Standard' }
  properties: {
    disableLocalAuth: true
  }
}

resource topic 'Microsoft.ServiceBus/namespaces/topics@2022-10-01-preview' = {
  parent: namespace
  name: 'call-events'
  properties: {
    defaultMessageTimeToLive: 'P14D'
    requiresDuplicateDetection: true
    // MessageId = the event id (docs/INTEGRATION-EVENTS.md): a repeat of the same fact within a day is dropped.
    duplicateDetectionHistoryTimeWindow: 'P1D'
  }
}

// A sample subscription a CRM can read from (peek-lock over REST or AMQP); add one per consumer, with SQL filters
// on the EventType / BusinessNumberId custom properties if it wants only some events.
resource crmSubscription 'Microsoft.ServiceBus/namespaces/topics/subscriptions@2022-10-01-preview' = {
  parent: topic
  name: 'crm'
  properties: {
    lockDuration: 'PT1M'
    maxDeliveryCount: 10
    deadLetteringOnMessageExpiration: true
    defaultMessageTimeToLive: 'P14D'
  }
}

output name string = namespace.name
output fullyQualifiedNamespace string = '${namespace.name}.servicebus.windows.net'
output topicName string = topic.name
