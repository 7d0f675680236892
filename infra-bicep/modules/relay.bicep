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
param storageAccountName string

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
        // Secrets never go into customData: at boot the instance reads its own public IP from the instance
        // metadata service and the relay key (the one the function app uses) from Key Vault with its managed
        // identity, then writes them beside the static settings; the relay refuses to start without both.
        customData: base64(format('''#cloud-config
write_files:
  - path: /etc/media-relay.env
    content: |
      Relay__BrowserUdpPort={0}
      Relay__MetaPortRange={1}-{2}
      Relay__FunctionAppUrl=https://{3}
      Relay__RecordingBlobEndpoint=https://{6}.blob.{7}
      Relay__RecordingContainer=recordings
      ASPNETCORE_URLS=http://0.0.0.0:{5}
  - path: /usr/local/bin/media-relay-secrets
    permissions: '0700'
    content: |
      #!/bin/sh
      set -eu
      imds=http://169.254.169.254/metadata
      ip=$(curl -fsS -H Metadata:true "$imds/instance/network/interface/0/ipv4/ipAddress/0/publicIpAddress?api-version=2021-02-01&format=text")
      token=$(curl -fsS -H Metadata:true "$imds/identity/oauth2/token?api-version=2018-02-01&resource=https%3A%2F%2Fvault.azure.net" | python3 -c 'import json,sys; print(json.load(sys.stdin)["access_token"])')
      key=$(curl -fsS -H "Authorization: Bearer $token" "https://{4}.vault.azure.net/secrets/relay-api-key?api-version=7.4" | python3 -c 'import json,sys; print(json.load(sys.stdin)["value"])')
      umask 077
      printf 'Relay__PublicIp=%s\nRelay__ApiKey=%s\n' "$ip" "$key" > /etc/media-relay.secrets.env
  - path: /etc/systemd/system/media-relay.service
    content: |
      [Unit]
      Description=WhatsApp calling media relay
      After=network-online.target
      Wants=network-online.target
      ConditionPathExists=/opt/media-relay/MediaRelay
      [Service]
      EnvironmentFile=/etc/media-relay.env
      EnvironmentFile=-/etc/media-relay.secrets.env
      ExecStartPre=+/usr/local/bin/media-relay-secrets
      ExecStart=/opt/media-relay/MediaRelay
      Restart=always
      DynamicUser=yes
      [Install]
      WantedBy=multi-user.target
runcmd:
  - [ /usr/local/bin/media-relay-secrets ]
  - [ systemctl, enable, media-relay.service ]
''', browserUdpPort, metaPortFirst, metaPortLast, functionAppHostName, keyVaultName, controlPort, storageAccountName, environment().suffixes.storage))
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

resource vault 'Microsoft.KeyVault/vaults@2023-07-01' existing = {
  name: keyVaultName
}

resource storage 'Microsoft.Storage/storageAccounts@2023-05-01' existing = {
  name: storageAccountName
}

// Key Vault Secrets User: the boot script reads relay-api-key.
resource relaySecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, scaleSet.id, '4633458b-17de-408a-b874-0445c86b69e6')
  scope: vault
  properties: {
    principalId: scaleSet.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', '4633458b-17de-408a-b874-0445c86b69e6')
  }
}

// Storage Blob Data Contributor: recordings are uploaded with the identity (the account refuses shared keys).
resource relayRecordingWriter 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(storage.id, scaleSet.id, 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  scope: storage
  properties: {
    principalId: scaleSet.identity.principalId
    principalType: 'ServicePrincipal'
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', 'ba92f5b4-2d11-453d-a403-e96b0029c9fe')
  }
}

output controlUrl string = 'http://${name}-relay.internal:${controlPort}'
output principalId string = scaleSet.identity.principalId
