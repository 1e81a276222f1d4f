// realtime-canary: timer-triggered Azure Functions (Node 22, Flex Consumption) that probe OpenAI
// Realtime deployments from several regions, write reports to a private Blob container and post
// alerts to a Teams Workflows webhook and/or PagerDuty.
//
// Shared: reports storage (+ lifecycle policy), Log Analytics + Application Insights (Entra-only
// ingestion), Key Vault (RBAC) with the secrets, one user-assigned identity with its roles, and an
// Azure Monitor alert rule + action group for a region that sends no probe results.
// Per region in `regions`: a Flex Consumption plan, a function app and its own host storage.
// `mode = 'queue'` adds, per region, the probe queue and its poison queue on the host storage
// (identity-based, with the identity's queue role on both) and, shared, an alert on probes moved
// to the poison queue.
// No keys or connection strings anywhere: every data-plane call is made as the identity.
targetScope = 'resourceGroup'

import { keyVaultReference, poisonQueueOf, retention, secretNameFor, target } from 'modules/common.bicep'

@description('Name of the environment (azd sets it); seeds resource names and the azd-env-name tag.')
@minLength(1)
@maxLength(64)
param environmentName string

@description('Location of the shared resources (identity, reports storage, Key Vault, monitoring).')
param location string = resourceGroup().location

@description('Azure regions to run a canary from, one function app each, e.g. [\'swedencentral\', \'francecentral\', \'eastus2\']. Each must offer Flex Consumption.')
@minLength(1)
param regions string[]

@description('Probe targets, serialized into the CANARY_TARGETS app setting. Keys are referenced by app setting name (secretSetting), never inline.')
@minLength(1)
param targets target[]

@description('Six-field NCRONTAB schedule in UTC ({second} {minute} {hour} {day} {month} {day-of-week}).')
param schedule string = '0 */10 * * * *'

@description('Blob container for reports and the dashboard.')
@minLength(3)
@maxLength(63)
param reportsContainerName string = 'reports'

@description('Report retention: Cool after coolAfter days, deleted after deleteAfter days (since last modification).')
param retentionDays retention = {
  coolAfter: 30
  deleteAfter: 90
}

@description('Where alerts go (CANARY_WEBHOOK_FORMAT): the webhook as a Teams Adaptive Card or plain JSON, PagerDuty Events API v2, or a chat format and PagerDuty together.')
@allowed(['teams', 'json', 'pagerduty', 'teams,pagerduty', 'json,pagerduty'])
param webhookFormat string = 'teams'

@description('Teams Workflows "When a Teams webhook request is received" URL (or another webhook), stored in Key Vault. Empty: the webhook already in Key Vault is kept, so a redeploy without it never wipes alerting.')
@secure()
param webhookUrl string = ''

@description('Integration Key of a PagerDuty Events API v2 integration, stored in Key Vault; used when webhookFormat lists pagerduty. Empty: the key already in Key Vault is kept.')
@secure()
param pagerDutyRoutingKey string = ''

@description('Email address Azure Monitor notifies when a region sends no probe result for silenceAlertMinutes (the canary\'s dead-man\'s switch). Empty: the alert still fires in the portal.')
param alertEmail string = ''

@description('Webhook Azure Monitor posts that alert to, in its common alert schema (e.g. a PagerDuty "Microsoft Azure" integration URL); stored in the action group. Empty: email only. Not the Teams Workflows URL: that one only takes the canary\'s cards.')
@secure()
param monitorWebhookUrl string = ''

@description('Minutes without a probe result from a region before Azure Monitor alerts; must exceed the schedule\'s interval.')
@allowed([15, 30, 45, 60, 120, 180, 360, 720, 1440])
param silenceAlertMinutes int = 30

@description('Post alerts to the webhook stored in Key Vault. false: no webhook (the canary writes its cards to alerts/ in the reports container). With true and no webhook ever stored, the canary logs a configuration error naming the missing secret and keeps probing.')
param alertsEnabled bool = true

@description('Client id of the Microsoft Entra app registration that signs people in to the reports site (https://<app>/dashboard, /reports/...). Empty: no sign-in and the reports site stays off; alerts then link to short-lived SAS URLs.')
param reportsAuthClientId string = ''

@description('Client secret of that app registration, stored in Key Vault (App Service Authentication reads it through a Key Vault reference). Empty on a redeploy: the secret stored before is kept.')
@secure()
param reportsAuthClientSecret string = ''

@description('Object id of an Entra group whose members may open the reports site. Empty: every user of this tenant.')
param reportsAllowedGroupId string = ''

@description('OpenAI API key for openai-* targets; stored in Key Vault and exposed as the OPENAI_API_KEY setting. Omit when unused.')
@secure()
param openAiApiKey string = ''

@description('Azure OpenAI keys for api-key targets that cannot use Entra: app setting name (e.g. AZURE_OPENAI_KEY_SWEDEN) -> key. Each becomes a Key Vault secret and a Key Vault reference setting of that name.')
@secure()
param azureOpenAiKeys { *: string } = {}

@description('Resource ids of the Azure OpenAI accounts the identity may call with Entra auth (Cognitive Services OpenAI User). Any resource group or subscription of this tenant.')
param openAiAccountIds string[] = []

@description('Optional object id of a user or group that may read the reports and create user-delegation SAS links (azd passes the signed-in user).')
param reportReaderPrincipalId string = ''

@description('Type of reportReaderPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param reportReaderPrincipalType string = 'User'

@description('Memory per function instance, MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Maximum instances per regional app, 40-1000 (Flex Consumption\'s range). Round mode uses one (the timer is a singleton). Queue mode scales the prober out up to this bound, each instance running at most 12 probes (host.json batchSize 8 + newBatchThreshold 4); every Flex app of the subscription in a region draws on one regional memory quota (512,000 MB, 250 instances of 2 GB, when last documented), so the default of 40 caps cost and leaves room. See docs/deploy.md, "Queue mode".')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('How each region runs (CANARY_MODE): \'round\' — the timer probes every due target in one process; \'queue\' — the timer plans every minute and enqueues each due probe on the region\'s host storage, a queue-triggered prober runs it on instances of its own. See docs/deploy.md, "Queue mode".')
@allowed(['round', 'queue'])
param mode string = 'round'

@description('Queue mode: the probe queue on each region\'s host storage (CANARY_QUEUE_NAME); its poison queue is <name>-poison. 3-56 lower-case letters, digits and single hyphens.')
@minLength(3)
@maxLength(56)
param queueName string = 'canary-probes'

@description('Further non-secret app settings for every region, e.g. { CANARY_ALERT_RULE: \'2/3\', CANARY_TURNS: \'3\', CANARY_MODEL_LOOKUP: \'on\', CANARY_MODEL_RETIREMENTS: \'[…]\' }. The settings above take precedence; put secrets in azureOpenAiKeys instead.')
param extraAppSettings { *: string } = {}

@description('Extra tags for every resource.')
param tags object = {}

var allTags = union(tags, { 'azd-env-name': environmentName })
var token = toLower(uniqueString(subscription().id, resourceGroup().id, environmentName))
var names = {
  identity: 'id-canary-${token}'
  logAnalytics: 'log-canary-${token}'
  appInsights: 'appi-canary-${token}'
  keyVault: 'kv-canary-${take(token, 12)}'
  reports: 'streports${token}'
  actionGroup: 'ag-canary-${token}'
  silenceRule: 'alert-canary-silent-${token}'
  poisonRule: 'alert-canary-poison-${token}'
}

// Per region: seeds the app, plan and host storage names.
var regionTokens = [for region in regions: uniqueString(token, region)]

var reportsAccountUrl = 'https://${names.reports}.blob.${environment().suffixes.storage}/'

// App setting names whose values live in Key Vault.
var webhookSetting = 'CANARY_WEBHOOK_URL'
var pagerDutySetting = 'CANARY_PAGERDUTY_ROUTING_KEY'
// Which channels webhookFormat turns on: the chat webhook (teams or json) and PagerDuty.
var chatAlerts = alertsEnabled && webhookFormat != 'pagerduty'
var paging = alertsEnabled && contains(webhookFormat, 'pagerduty')
var openAiKeySetting = 'OPENAI_API_KEY'
// App Service Authentication reads the sign-in client secret from this setting.
var authSecretSetting = 'MICROSOFT_PROVIDER_AUTHENTICATION_SECRET'
var reportsSignIn = !empty(reportsAuthClientId)

resource identity 'Microsoft.ManagedIdentity/userAssignedIdentities@2024-11-30' = {
  name: names.identity
  location: location
  tags: allTags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'canary-monitoring'
  params: {
    location: location
    logAnalyticsName: names.logAnalytics
    appInsightsName: names.appInsights
    tags: allTags
  }
}

module reports 'modules/reports-storage.bicep' = {
  name: 'canary-reports'
  params: {
    location: location
    name: names.reports
    containerName: reportsContainerName
    retentionDays: retentionDays
    tags: allTags
  }
}

module keyVault 'modules/keyvault.bicep' = {
  name: 'canary-keyvault'
  params: {
    location: location
    name: names.keyVault
    webhookUrl: webhookUrl
    webhookSecretName: secretNameFor(webhookSetting)
    pagerDutyRoutingKey: pagerDutyRoutingKey
    pagerDutySecretName: secretNameFor(pagerDutySetting)
    openAiApiKey: openAiApiKey
    openAiApiKeySecretName: secretNameFor(openAiKeySetting)
    azureOpenAiKeys: azureOpenAiKeys
    authClientSecret: reportsAuthClientSecret
    authClientSecretName: secretNameFor(authSecretSetting)
    tags: allTags
  }
}

// Names known before deployment (not module outputs) keep role assignment ids predictable in What-If.
module identityRoles 'modules/identity-roles.bicep' = {
  name: 'canary-identity-roles'
  params: {
    principalId: identity.properties.principalId
    reportsAccountName: names.reports
    keyVaultName: names.keyVault
    appInsightsName: names.appInsights
    readerPrincipalId: reportReaderPrincipalId
    readerPrincipalType: reportReaderPrincipalType
  }
  dependsOn: [
    reports
    keyVault
    monitoring
  ]
}

// Resource id: /subscriptions/{sub}/resourceGroups/{rg}/providers/Microsoft.CognitiveServices/accounts/{name}
module openAiAccess 'modules/openai-access.bicep' = [
  for accountId in openAiAccountIds: {
    name: take('canary-openai-${uniqueString(accountId, identity.id)}', 64)
    scope: resourceGroup(split(accountId, '/')[2], split(accountId, '/')[4])
    params: {
      accountName: last(split(accountId, '/'))
      principalId: identity.properties.principalId
    }
  }
]

// Secrets reach the apps only as Key Vault references resolved by the identity. The webhook and routing
// key references do not depend on the values being given now: an empty parameter keeps the secret stored
// before.
var secretSettings = union(
  chatAlerts
    ? { '${webhookSetting}': keyVaultReference(keyVault.outputs.vaultUri, secretNameFor(webhookSetting)) }
    : {},
  paging
    ? { '${pagerDutySetting}': keyVaultReference(keyVault.outputs.vaultUri, secretNameFor(pagerDutySetting)) }
    : {},
  reportsSignIn
    ? { '${authSecretSetting}': keyVaultReference(keyVault.outputs.vaultUri, secretNameFor(authSecretSetting)) }
    : {},
  empty(openAiApiKey)
    ? {}
    : { '${openAiKeySetting}': keyVaultReference(keyVault.outputs.vaultUri, secretNameFor(openAiKeySetting)) },
  toObject(
    objectKeys(azureOpenAiKeys),
    name => name,
    name => keyVaultReference(keyVault.outputs.vaultUri, secretNameFor(name))
  )
)

var sharedSettings = union(extraAppSettings, secretSettings, {
  CANARY_SCHEDULE: schedule
  CANARY_TARGETS: string(targets)
  CANARY_CONTAINER: reportsContainerName
  CANARY_STORAGE_ACCOUNT_URL: reportsAccountUrl
  CANARY_WEBHOOK_FORMAT: alertsEnabled ? webhookFormat : 'teams'
  AZURE_CLIENT_ID: identity.properties.clientId
  APPLICATIONINSIGHTS_CONNECTION_STRING: monitoring.outputs.connectionString
  APPLICATIONINSIGHTS_AUTHENTICATION_STRING: 'ClientId=${identity.properties.clientId};Authorization=AAD'
})

// Azure Monitor's own alert for a region that sends no probe results (the whole canary dead included).
module monitorAlerts 'modules/monitor-alerts.bicep' = {
  name: 'canary-monitor-alerts'
  params: {
    location: location
    appInsightsId: monitoring.outputs.appInsightsId
    regions: regions
    silenceMinutes: silenceAlertMinutes
    actionGroupName: names.actionGroup
    ruleName: names.silenceRule
    email: alertEmail
    webhookUrl: monitorWebhookUrl
    poisonQueueName: mode == 'queue' ? poisonQueueOf(queueName) : ''
    poisonRuleName: names.poisonRule
    tags: allTags
  }
}

module regional 'modules/region.bicep' = [
  for (region, i) in regions: {
    name: 'canary-region-${region}'
    params: {
      location: region
      // A region-specific hash early in the name keeps the first 32 characters (the host id) distinct.
      appName: 'func-canary-${take(regionTokens[i], 8)}-${region}'
      planName: 'plan-canary-${take(regionTokens[i], 8)}-${region}'
      hostStorageName: 'sthost${regionTokens[i]}'
      identityId: identity.id
      identityClientId: identity.properties.clientId
      identityPrincipalId: identity.properties.principalId
      appSettings: sharedSettings
      instanceMemoryMB: instanceMemoryMB
      maximumInstanceCount: maximumInstanceCount
      mode: mode
      queueName: queueName
      reportsAuth: {
        clientId: reportsAuthClientId
        clientSecretSettingName: authSecretSetting
        allowedGroupId: reportsAllowedGroupId
      }
      tags: allTags
      // azd deploys the service to the app tagged with its name: the first region's app.
      appTags: i == 0 ? { 'azd-service-name': 'canary' } : {}
    }
    dependsOn: [
      identityRoles
    ]
  }
]

output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup().name
output SERVICE_CANARY_NAME string = regional[0].outputs.appName
output CANARY_REGIONS string[] = regions
output CANARY_FUNCTION_APP_NAMES string[] = [for (region, i) in regions: regional[i].outputs.appName]
@description('Stable dashboard links (behind Entra sign-in); empty when reportsAuthClientId is not set.')
output CANARY_DASHBOARD_URLS string[] = [for (region, i) in regions: reportsSignIn ? 'https://${regional[i].outputs.defaultHostName}/dashboard' : '']
output CANARY_IDENTITY_NAME string = identity.name
output CANARY_IDENTITY_CLIENT_ID string = identity.properties.clientId
output CANARY_REPORTS_ACCOUNT string = reports.outputs.name
output CANARY_CONTAINER string = reports.outputs.containerName
output CANARY_STORAGE_ACCOUNT_URL string = reportsAccountUrl
output CANARY_KEY_VAULT_NAME string = keyVault.outputs.name
output CANARY_SILENCE_ALERT_RULE_ID string = monitorAlerts.outputs.ruleId
output APPLICATIONINSIGHTS_CONNECTION_STRING string = monitoring.outputs.connectionString
