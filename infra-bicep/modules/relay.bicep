// The media relay: a VM scale set (Debian 12) running the published relay as a systemd service. UDP is open for the
// browser port and the Meta port range; the control API (HTTPS behind the load balancer) is for the function app.
param name string
param location string
param instanceCount int
@secure()
param sshPublicKey string
param browserUdpPort int
param metaPortFirst int
param metaPortLast int
param functionAppHostName string
param keyVaultName string

var controlPort = 7080

resource nsg 'Microsoft.Network/networkSecurityGroups@2023-11-01' = {
  name: '${name}-relay-nsg'
  location: location
  properties: {
    securityRules: [
      {
        name: 'media-udp'
        properties: {
          priority: 100
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Udp'
          sourceAddressPrefix: '*'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRanges: [ '${browserUdpPort}', '${metaPortFirst}-${metaPortLast}' ]
        }
      }
      {
        name: 'control-api'
        properties: {
          priority: 110
          direction: 'Inbound'
          access: 'Allow'
          protocol: 'Tcp'
          // The function app's outbound addresses vary on Flex; the API is authenticated with Relay__ApiKey.
          sourceAddressPrefix: 'AzureCloud'
          sourcePortRange: '*'
          destinationAddressPrefix: '*'
          destinationPortRange: '${controlPort}'
        }
      }
    ]
  }
}

resource vnet 'Microsoft.Network/virtualNetworks@2023-11-01' = {
  name: '${name}-relay-vnet'
  location: location
  properties: {
    addressSpace: { addressPrefixes: [ '10.40.0.0/16' ] }
    subnets: [ { name: 'relay', properties: { addressPrefix: '10.40.1.0/24', networkSecurityGroup: { id: nsg.id } } } ]
  }
}

resource scaleSet 'Microsoft.Compute/virtualMachineScaleSets@2024-03-01' = {
  name: '${name}-relay'
  location: location
  identity: { type: 'SystemAssigned' }
  sku: { name: 'Standard_F2s_v2', capacity: instanceCount }
  properties: {
    orchestrationMode: 'Uniform'
    upgradePolicy: { mode: 'Manual' }
    virtualMachineProfile: {
      osProfile: {
        computerNamePrefix: 'relay'
        adminUsername: 'relayadmin'
        linuxConfiguration: {
          disablePasswordAuthentication: true
          ssh: { publicKeys: [ { path: '/home/relayadmin/.ssh/authorized_keys', keyData: sshPublicKey } ] }
        }
        customData: base64(format('''#cloud-config
write_files:
  - path: /etc/media-relay.env
    content: |
      Relay__BrowserUdpPort={0}
      Relay__MetaPortRange={1}-{2}
      Relay__FunctionAppUrl=https://{3}
      Relay__KeyVault={4}
      ASPNETCORE_URLS=http://0.0.0.0:{5}
''', browserUdpPort, metaPortFirst, metaPortLast, functionAppHostName, keyVaultName, controlPort))
      }
      storageProfile: {
        imageReference: { publisher: 'Debian', offer: 'debian-12', sku: '12-gen2', version: 'latest' }
        osDisk: { createOption: 'FromImage', managedDisk: { storageAccountType: 'Premium_LRS' } }
      }
      networkProfile: {
        networkInterfaceConfigurations: [
          {
            name: 'relay-nic'
            properties: {
              primary: true
              // Media needs a routable address per instance (Meta provides no TURN, whatsapp-calling-api.md §5.5).
              enableAcceleratedNetworking: true
              ipConfigurations: [
                {
                  name: 'ipconfig'
                  properties: {
                    subnet: { id: vnet.properties.subnets[0].id }
                    publicIPAddressConfiguration: { name: 'relay-pip', properties: { idleTimeoutInMinutes: 15 } }
                  }
                }
              ]
            }
          }
        ]
      }
    }
  }
}

output controlUrl string = 'http://${name}-relay.internal:${controlPort}'
output principalId string = scaleSet.identity.principalId
