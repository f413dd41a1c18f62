// IRO Assistant on Azure: a Linux App Service (two instances) behind an Azure Bot registration,
// Azure Database for PostgreSQL flexible server on a private network, Key Vault for the secrets
// (read through Key Vault references) and a user-assigned managed identity for Microsoft Graph.
//
// Deployed by `atk provision` (m365agents.yml, arm/deploy) or by hand:
//   az deployment group create -g <group> -f infra/main.bicep -p infra/main.parameters.json ...
// Every app setting name below is a variable of src/config.ts (test/unit/infra.test.ts checks it)
// or a documented App Service platform setting.

@minLength(4)
@maxLength(20)
@description('Prefix of every resource name (lower-case letters and digits)')
param resourceBaseName string

param location string = resourceGroup().location

@description('Linux App Service plan size; P0v3 or larger for two instances with VNet integration')
param appServiceSku string = 'P0v3'

@minValue(2)
@description('Instances behind the App Service load balancer; they share the PostgreSQL database')
param instanceCount int = 2

@description('BOT_ID: client id of the single-tenant Entra app of the bot (aadApp/create)')
param botAppId string

@secure()
@description('BOT_PASSWORD: a client secret of that app; stored in Key Vault, never in an app setting')
param botAppPassword string

@description('BOT_TENANT_ID: the council\'s Entra tenant, where the bot app is registered')
param botTenantId string

@maxLength(42)
param botDisplayName string = 'IRO Assistant'

@allowed([
  'F0'
  'S1'
])
param botServiceSku string = 'F0'

@description('TEAMS_APP_ID: the manifest id of the Teams app (teamsApp/create)')
param teamsAppId string

@description('How the app signs in to Microsoft Graph: the user-assigned managed identity made here, or the bot\'s own Entra app (its secret), which allows the "Self" Teams app installation permissions (README, Microsoft Graph)')
@allowed([
  'managedIdentity'
  'botApp'
])
param graphCredential string = 'managedIdentity'

param postgresAdministratorLogin string = 'iroowner'

@secure()
@description('Password of the PostgreSQL administrator, who owns the schema and runs the migrations')
param postgresAdministratorPassword string

@description('one: the app connects as the administrator (a trial). two: DATABASE_URL is the app\'s own role (create it first with scripts/create-app-role.sql) and DATABASE_MIGRATION_URL the administrator')
@allowed([
  'one'
  'two'
])
param databaseRoles string = 'one'

@secure()
@description('Password of the app\'s own role, used when databaseRoles is two')
param postgresAppRolePassword string = ''

param postgresAppRoleName string = 'iro_app'

@allowed([
  '15'
  '16'
])
param postgresVersion string = '16'

param postgresSkuName string = 'Standard_D2ds_v5'

@allowed([
  'Burstable'
  'GeneralPurpose'
  'MemoryOptimized'
])
param postgresSkuTier string = 'GeneralPurpose'

@allowed([
  'Disabled'
  'ZoneRedundant'
  'SameZone'
])
param postgresHighAvailability string = 'Disabled'

@description('TIME_ZONE: the council\'s time zone')
param timeZone string = 'Europe/London'

@description('LOG_LEVEL')
param logLevel string = 'info'

@description('Send the app\'s console logs (pino, ids only) and HTTP logs to a Log Analytics workspace')
param enableLogAnalytics bool = true

param tags object = {
  application: 'iro-assistant'
}

var name = toLower(resourceBaseName)
var databaseName = 'iro'
var suffix = uniqueString(resourceGroup().id)
var keyVaultName = take('${name}kv${suffix}', 24)
var postgresServerName = '${name}-pg-${suffix}'
// Built-in role: Key Vault Secrets User (read secret contents).
var keyVaultSecretsUserRoleId = '4633458b-17de-408a-b874-0445c86b69e6'
var separateAppRole = databaseRoles == 'two' && !empty(postgresAppRolePassword)

// ---------------------------------------------------------------------------------------------
// Identity for Microsoft Graph. Application permissions are granted to it by an admin after
// provisioning (README: "Deploy to Azure", step 4); nothing here can consent to them.
resource graphIdentity 'Microsoft.ManagedIdentity/userAssignedIdentities@2023-01-31' = {
  name: '${name}-graph-id'
  location: location
  tags: tags
}

// ---------------------------------------------------------------------------------------------
// Network and database
module network 'modules/network.bicep' = {
  name: 'network'
  params: {
    location: location
    baseName: name
    postgresServerName: postgresServerName
    tags: tags
  }
}

module postgres 'modules/postgres.bicep' = {
  name: 'postgres'
  params: {
    location: location
    serverName: postgresServerName
    databaseName: databaseName
    version: postgresVersion
    skuName: postgresSkuName
    skuTier: postgresSkuTier
    highAvailability: postgresHighAvailability
    administratorLogin: postgresAdministratorLogin
    administratorPassword: postgresAdministratorPassword
    delegatedSubnetId: network.outputs.databaseSubnetId
    privateDnsZoneId: network.outputs.postgresDnsZoneId
    tags: tags
  }
}

var postgresHost = postgres.outputs.fqdn
// sslmode=verify-full: node-postgres checks the server certificate and host name.
var ownerUrl = 'postgres://${uriComponent(postgresAdministratorLogin)}:${uriComponent(postgresAdministratorPassword)}@${postgresHost}:5432/${databaseName}?sslmode=verify-full'
var appRoleUrl = 'postgres://${uriComponent(postgresAppRoleName)}:${uriComponent(postgresAppRolePassword)}@${postgresHost}:5432/${databaseName}?sslmode=verify-full'

// ---------------------------------------------------------------------------------------------
// Key Vault: RBAC only, soft delete and purge protection; the web app reads secrets through its
// system-assigned identity.
resource keyVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: keyVaultName
  location: location
  tags: tags
  properties: {
    tenantId: subscription().tenantId
    sku: {
      family: 'A'
      name: 'standard'
    }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 90
    enablePurgeProtection: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      bypass: 'AzureServices'
      defaultAction: 'Allow'
    }
  }
}

resource databaseUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'DATABASE-URL'
  properties: {
    value: separateAppRole ? appRoleUrl : ownerUrl
    contentType: 'postgres connection URL'
  }
}

resource databaseMigrationUrlSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = if (separateAppRole) {
  parent: keyVault
  name: 'DATABASE-MIGRATION-URL'
  properties: {
    value: ownerUrl
    contentType: 'postgres connection URL of the schema owner'
  }
}

resource botPasswordSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: keyVault
  name: 'BOT-PASSWORD'
  properties: {
    value: botAppPassword
    contentType: 'client secret of the bot Entra app'
  }
}

// ---------------------------------------------------------------------------------------------
// App Service
resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: '${name}-plan'
  location: location
  tags: tags
  kind: 'linux'
  sku: {
    name: appServiceSku
    capacity: instanceCount
  }
  properties: {
    reserved: true
  }
}

resource webApp 'Microsoft.Web/sites@2024-04-01' = {
  name: '${name}-app-${take(suffix, 6)}'
  location: location
  tags: tags
  kind: 'app,linux'
  identity: {
    type: 'SystemAssigned, UserAssigned'
    userAssignedIdentities: {
      '${graphIdentity.id}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    clientAffinityEnabled: false
    keyVaultReferenceIdentity: 'SystemAssigned'
    virtualNetworkSubnetId: network.outputs.appSubnetId
    siteConfig: {
      linuxFxVersion: 'NODE|20-lts'
      // The compiled server (npm run build, dist/); the tab and the add-in are bundled from
      // src/tab/client and src/addin/client at start, so the zip carries src/ as well.
      appCommandLine: 'node dist/main.js'
      alwaysOn: true
      healthCheckPath: '/healthz'
      http20Enabled: true
      minTlsVersion: '1.2'
      scmMinTlsVersion: '1.2'
      ftpsState: 'Disabled'
    }
  }
}

// FTP with a user name and password is off; deployments go through Kudu (zip deploy).
resource ftpCredentials 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: webApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource secretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(keyVault.id, webApp.id, keyVaultSecretsUserRoleId)
  scope: keyVault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', keyVaultSecretsUserRoleId)
    principalId: webApp.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

var appDomain = webApp.properties.defaultHostName
var keyVaultRef = '@Microsoft.KeyVault(VaultName=${keyVault.name};SecretName='

var appSettingsBase = {
  // src/config.ts
  DEMO_DATA: 'false'
  TIME_ZONE: timeZone
  LOG_LEVEL: logLevel
  DATABASE_URL: '${keyVaultRef}${databaseUrlSecret.name})'
  BOT_ID: botAppId
  BOT_PASSWORD: '${keyVaultRef}${botPasswordSecret.name})'
  BOT_TENANT_ID: botTenantId
  BOT_TYPE: 'SingleTenant'
  TEAMS_APP_ID: teamsAppId
  SSO_APP_ID_URI: 'api://${appDomain}/botid-${botAppId}'
  // App Service platform: build on the server (Linux esbuild and native packages), then drop
  // the devDependencies that the build needed.
  SCM_DO_BUILD_DURING_DEPLOYMENT: 'true'
  PRUNE_DEV_DEPENDENCIES: 'true'
}

var appSettingsMigration = separateAppRole ? {
  DATABASE_MIGRATION_URL: '${keyVaultRef}DATABASE-MIGRATION-URL)'
} : {}

var appSettingsGraph = graphCredential == 'managedIdentity' ? {
  GRAPH_MANAGED_IDENTITY: 'true'
  GRAPH_CLIENT_ID: graphIdentity.properties.clientId
} : {
  GRAPH_TENANT_ID: botTenantId
  GRAPH_CLIENT_ID: botAppId
  GRAPH_CLIENT_SECRET: '${keyVaultRef}${botPasswordSecret.name})'
}

resource appSettings 'Microsoft.Web/sites/config@2024-04-01' = {
  parent: webApp
  name: 'appsettings'
  properties: union(appSettingsBase, appSettingsMigration, appSettingsGraph)
  dependsOn: [
    secretsUser
    databaseMigrationUrlSecret
  ]
}

// ---------------------------------------------------------------------------------------------
// Logs: the app writes pino JSON (ids only, never names) to stdout.
resource logs 'Microsoft.OperationalInsights/workspaces@2023-09-01' = if (enableLogAnalytics) {
  name: '${name}-logs'
  location: location
  tags: tags
  properties: {
    sku: {
      name: 'PerGB2018'
    }
    retentionInDays: 30
  }
}

resource webAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = if (enableLogAnalytics) {
  name: 'to-log-analytics'
  scope: webApp
  properties: {
    workspaceId: logs.id
    logs: [
      {
        category: 'AppServiceConsoleLogs'
        enabled: true
      }
      {
        category: 'AppServiceHTTPLogs'
        enabled: true
      }
      {
        category: 'AppServicePlatformLogs'
        enabled: true
      }
    ]
  }
}

// ---------------------------------------------------------------------------------------------
module bot 'modules/bot.bicep' = {
  name: 'bot'
  params: {
    botServiceName: '${name}-bot'
    displayName: botDisplayName
    botAppId: botAppId
    botTenantId: botTenantId
    messagingEndpoint: 'https://${appDomain}/api/messages'
    sku: botServiceSku
    tags: tags
  }
}

// Written by arm/deploy into env/.env.<environment> (m365agents.yml) for the later steps.
output AZURE_APP_SERVICE_RESOURCE_ID string = webApp.id
output APP_DOMAIN string = appDomain
output APP_BASE_URL string = 'https://${appDomain}'
output GRAPH_IDENTITY_CLIENT_ID string = graphIdentity.properties.clientId
output GRAPH_IDENTITY_PRINCIPAL_ID string = graphIdentity.properties.principalId
output KEY_VAULT_NAME string = keyVault.name
output POSTGRES_SERVER_FQDN string = postgresHost
