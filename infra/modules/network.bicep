// The virtual network the web app integrates with and the PostgreSQL server lives in: the
// database has no public endpoint, and only this network resolves its name.

@description('Azure region')
param location string

@description('Prefix for resource names')
param baseName string

@description('Name of the PostgreSQL server, for its private DNS zone')
param postgresServerName string

param addressPrefix string = '10.40.0.0/16'
param appSubnetPrefix string = '10.40.1.0/24'
param databaseSubnetPrefix string = '10.40.2.0/24'

param tags object = {}

resource vnet 'Microsoft.Network/virtualNetworks@2024-05-01' = {
  name: '${baseName}-vnet'
  location: location
  tags: tags
  properties: {
    addressSpace: {
      addressPrefixes: [
        addressPrefix
      ]
    }
    subnets: [
      {
        // App Service regional VNet integration: outbound traffic to private addresses
        name: 'app'
        properties: {
          addressPrefix: appSubnetPrefix
          delegations: [
            {
              name: 'web'
              properties: {
                serviceName: 'Microsoft.Web/serverFarms'
              }
            }
          ]
        }
      }
      {
        // Azure Database for PostgreSQL flexible server, private access (VNet integration)
        name: 'database'
        properties: {
          addressPrefix: databaseSubnetPrefix
          delegations: [
            {
              name: 'postgres'
              properties: {
                serviceName: 'Microsoft.DBforPostgreSQL/flexibleServers'
              }
            }
          ]
        }
      }
    ]
  }
}

// The zone name must end in .postgres.database.azure.com; the server registers its A record here.
resource postgresDnsZone 'Microsoft.Network/privateDnsZones@2024-06-01' = {
  name: '${postgresServerName}.private.postgres.database.azure.com'
  location: 'global'
  tags: tags
}

resource postgresDnsLink 'Microsoft.Network/privateDnsZones/virtualNetworkLinks@2024-06-01' = {
  parent: postgresDnsZone
  name: '${baseName}-vnet-link'
  location: 'global'
  tags: tags
  properties: {
    registrationEnabled: false
    virtualNetwork: {
      id: vnet.id
    }
  }
}

output appSubnetId string = '${vnet.id}/subnets/app'
output databaseSubnetId string = '${vnet.id}/subnets/database'
// A module's outputs are there once all its resources are: the server, which takes this id,
// is created after the zone is linked to the network.
output postgresDnsZoneId string = postgresDnsZone.id
