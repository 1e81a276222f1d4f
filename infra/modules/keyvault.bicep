// Key Vault in RBAC mode holding the canary's secrets. App settings refer to them with Key Vault
// references (see common.bicep keyVaultReference); the values never reach an app setting,
// an output or the deployment's parameters in plain text.
import { secretNameFor } from 'common.bicep'

@description('Location of the vault.')
param location string

@description('Vault name (3-24 letters, digits and dashes, starting with a letter).')
@minLength(3)
@maxLength(24)
param name string

@description('Teams Workflows (or generic) webhook URL; no secret is created when empty.')
@secure()
param webhookUrl string = ''

@description('OpenAI API key; no secret is created when empty.')
@secure()
param openAiApiKey string = ''

@description('App setting name -> Azure OpenAI key; each becomes a secret named after the setting.')
@secure()
param azureOpenAiKeys { *: string } = {}

@description('PagerDuty Events API v2 routing key; no secret is created when empty.')
@secure()
param pagerDutyRoutingKey string = ''

@description('Secret name used for pagerDutyRoutingKey.')
param pagerDutySecretName string

@description('Client secret of the reports site\'s Entra app registration; no secret is created when empty.')
@secure()
param authClientSecret string = ''

@description('Secret name used for authClientSecret.')
param authClientSecretName string

@description('Secret name used for webhookUrl.')
param webhookSecretName string

@description('Secret name used for openAiApiKey.')
param openAiApiKeySecretName string

@description('Tags for the vault.')
param tags object = {}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' = {
  name: name
  location: location
  tags: tags
  properties: {
    tenantId: tenant().tenantId
    sku: { family: 'A', name: 'standard' }
    enableRbacAuthorization: true
    enableSoftDelete: true
    softDeleteRetentionInDays: 7
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource webhookSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(webhookUrl)) {
  parent: vault
  name: webhookSecretName
  properties: {
    value: webhookUrl
    contentType: 'text/uri-list'
  }
}

resource pagerDutySecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(pagerDutyRoutingKey)) {
  parent: vault
  name: pagerDutySecretName
  properties: {
    value: pagerDutyRoutingKey
    contentType: 'text/plain'
  }
}

resource authSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(authClientSecret)) {
  parent: vault
  name: authClientSecretName
  properties: {
    value: authClientSecret
    contentType: 'text/plain'
  }
}

resource openAiSecret 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = if (!empty(openAiApiKey)) {
  parent: vault
  name: openAiApiKeySecretName
  properties: {
    value: openAiApiKey
    contentType: 'text/plain'
  }
}

resource azureOpenAiSecrets 'Microsoft.KeyVault/vaults/secrets@2025-05-01' = [
  for key in items(azureOpenAiKeys): {
    parent: vault
    name: secretNameFor(key.key)
    properties: {
      value: key.value
      contentType: 'text/plain'
    }
  }
]

output name string = vault.name
output id string = vault.id
@description('https://<name>.vault.<suffix>/ (ends with a slash).')
output vaultUri string = vault.properties.vaultUri
