// Azure Database for PostgreSQL flexible server with private access only (VNet integration),
// password authentication for the roles the app uses, and the app's database.

param location string
param serverName string
param databaseName string

@description('PostgreSQL major version')
@allowed([
  '15'
  '16'
])
param version string = '16'

param skuName string = 'Standard_D2ds_v5'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param skuTier string = 'GeneralPurpose'

param storageSizeGB int = 32

@minValue(7)
@maxValue(35)
param backupRetentionDays int = 35

@description('ZoneRedundant gives a standby server in another zone (not on Burstable)')
@allowed([
  'Disabled'
  'ZoneRedundant'
  'SameZone'
])
param highAvailability string = 'Disabled'

param administratorLogin string

@secure()
param administratorPassword string

param delegatedSubnetId string

@description('The private DNS zone; it comes from the network module, whose link to the VNet is then in place')
param privateDnsZoneId string

param tags object = {}

resource server 'Microsoft.DBforPostgreSQL/flexibleServers@2024-08-01' = {
  name: serverName
  location: location
  tags: tags
  sku: {
    name: skuName
    tier: skuTier
  }
  properties: {
    version: version
    administratorLogin: administratorLogin
    administratorLoginPassword: administratorPassword
    authConfig: {
      passwordAuth: 'Enabled'
      activeDirectoryAuth: 'Disabled'
    }
    storage: {
      storageSizeGB: storageSizeGB
      autoGrow: 'Enabled'
    }
    backup: {
      backupRetentionDays: backupRetentionDays
      geoRedundantBackup: 'Disabled'
    }
    highAvailability: {
      mode: highAvailability
    }
    network: {
      delegatedSubnetResourceId: delegatedSubnetId
      privateDnsZoneArmResourceId: privateDnsZoneId
      publicNetworkAccess: 'Disabled'
    }
  }
}

resource database 'Microsoft.DBforPostgreSQL/flexibleServers/databases@2024-08-01' = {
  parent: server
  name: databaseName
  properties: {
    charset: 'UTF8'
    collation: 'en_US.utf8'
  }
}

output fqdn string = server.properties.fullyQualifiedDomainName
output serverName string = server.name
output databaseName string = database.name
