// Azure SignalR Service in serverless mode: the function app sends over the REST API; browsers connect through
// POST /api/negotiate, which returns the service URL and a client token.
param name string
param location string

resource signalr 'Microsoft.SignalRService/signalR@2024-03-01' = {
  name: '${name}-signalr'
  location: location
  kind: 'SignalR'
  sku: { name: 'Standard_S1', capacity: 1 }
  properties: {
    features: [ { flag: 'ServiceMode', value: 'Serverless' } ]
    cors: { allowedOrigins: [ '*' ] }
    // Tokens for the REST API come from the app's managed identity.
    disableLocalAuth: false
  }
}

output name string = signalr.name
output hostName string = signalr.properties.hostName
