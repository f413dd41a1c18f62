// The Azure Bot registration: a single-tenant Entra app (BOT_ID) whose messaging endpoint is the
// web app's /api/messages, with the Microsoft Teams channel on.

param botServiceName string

@maxLength(42)
param displayName string

@description('The Entra app (client) id of the bot: BOT_ID')
param botAppId string

@description('The Entra tenant the bot app is registered in: BOT_TENANT_ID')
param botTenantId string

@description('https://<web app host>/api/messages')
param messagingEndpoint string

@allowed([
  'F0'
  'S1'
])
param sku string = 'F0'

param tags object = {}

resource bot 'Microsoft.BotService/botServices@2022-09-15' = {
  name: botServiceName
  location: 'global'
  kind: 'azurebot'
  tags: tags
  sku: {
    name: sku
  }
  properties: {
    displayName: displayName
    endpoint: messagingEndpoint
    msaAppId: botAppId
    msaAppTenantId: botTenantId
    msaAppType: 'SingleTenant'
  }
}

resource teams 'Microsoft.BotService/botServices/channels@2022-09-15' = {
  parent: bot
  name: 'MsTeamsChannel'
  location: 'global'
  properties: {
    channelName: 'MsTeamsChannel'
    properties: {
      isEnabled: true
    }
  }
}

output botServiceName string = bot.name
