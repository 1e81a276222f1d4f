// Example parameters for `az deployment group create --parameters infra/main.bicepparam` and for
// `azd up` (azd evaluates this file with its environment's values in the process environment).
// Secrets are read from environment variables at deployment time and are never committed:
//   export CANARY_WEBHOOK_URL='https://…'                      # Teams Workflows webhook
//   export CANARY_PAGERDUTY_ROUTING_KEY='…'                    # only with webhookFormat 'teams,pagerduty' or 'pagerduty'
//   export CANARY_MONITOR_WEBHOOK_URL='https://…'              # optional: Azure Monitor's silence alert to a webhook
//   export CANARY_OPENAI_API_KEY='sk-…'                        # only for openai-* targets
//   export CANARY_AZURE_OPENAI_KEYS='{"AZURE_OPENAI_KEY_FRANCE":"…"}'  # only for api-key Azure targets
// With azd, `azd env set CANARY_WEBHOOK_URL '…'` stores them in the environment instead.
using 'main.bicep'

param environmentName = readEnvironmentVariable('AZURE_ENV_NAME', 'canary')
// location (of the shared resources) defaults to the resource group's.

// One Flex Consumption function app per region.
param regions = [
  'swedencentral'
  'francecentral'
  'eastus2'
]

// CANARY_TARGETS. Azure targets with auth 'entra' need their account in openAiAccountIds;
// 'api-key' targets name the app setting holding their key (a key of CANARY_AZURE_OPENAI_KEYS,
// or OPENAI_API_KEY, filled from CANARY_OPENAI_API_KEY).
param targets = [
  {
    name: 'aoai-swedencentral'
    resource: 'my-aoai-swedencentral'
    deployment: 'gpt-realtime'
    flavour: 'azure-ga'
    auth: 'entra'
    group: 'gpt-realtime'
  }
  {
    name: 'aoai-francecentral'
    resource: 'my-aoai-francecentral'
    deployment: 'gpt-realtime'
    flavour: 'azure-ga'
    auth: 'api-key'
    secretSetting: 'AZURE_OPENAI_KEY_FRANCE'
    group: 'gpt-realtime'
  }
  {
    name: 'openai'
    endpoint: 'wss://api.openai.com/v1/realtime?model=gpt-realtime'
    flavour: 'openai-ga'
    auth: 'bearer'
    secretSetting: 'OPENAI_API_KEY'
    group: 'gpt-realtime'
    baseline: true
  }
]

// Every 10 minutes, UTC.
param schedule = '0 */10 * * * *'

// 'round': each region's timer probes every due target in one process.
// 'queue': the timer enqueues each due probe on the region's host storage and a queue-triggered prober runs it on
// instances of its own, at most maximumInstanceCount (40-1000) per region (docs/deploy.md, "Queue mode").
param mode = 'round'
param maximumInstanceCount = 40

param reportsContainerName = 'reports'

param retentionDays = {
  coolAfter: 30
  deleteAfter: 90
}

// Resource ids of the accounts behind the 'entra' targets (any resource group of this tenant),
// e.g. '/subscriptions/<id>/resourceGroups/<rg>/providers/Microsoft.CognitiveServices/accounts/my-aoai-swedencentral'.
param openAiAccountIds = []

// 'teams', 'json', 'pagerduty', or a chat format and PagerDuty together: 'teams,pagerduty'.
param webhookFormat = 'teams'
// Empty keeps the webhook already stored in Key Vault (a redeploy never wipes alerting); alertsEnabled = false turns it off.
param webhookUrl = readEnvironmentVariable('CANARY_WEBHOOK_URL', '')
// PagerDuty Events API v2 integration key, used when webhookFormat lists pagerduty; empty keeps the stored one.
param pagerDutyRoutingKey = readEnvironmentVariable('CANARY_PAGERDUTY_ROUTING_KEY', '')
param alertsEnabled = true

// Azure Monitor alerts when a region sends no probe result for silenceAlertMinutes (every region dead included):
// to this address and, when set, to a webhook taking Azure Monitor's common alert schema.
param alertEmail = readEnvironmentVariable('CANARY_ALERT_EMAIL', '')
param monitorWebhookUrl = readEnvironmentVariable('CANARY_MONITOR_WEBHOOK_URL', '')
param silenceAlertMinutes = 30
param openAiApiKey = readEnvironmentVariable('CANARY_OPENAI_API_KEY', '')
param azureOpenAiKeys = json(readEnvironmentVariable('CANARY_AZURE_OPENAI_KEYS', '{}'))

// Stable, signed-in links to the dashboard and reports (https://<app>/dashboard): the Entra app registration
// (see docs/deploy.md, "Reports one click from Teams"). Empty: no reports site, alerts carry SAS links.
param reportsAuthClientId = readEnvironmentVariable('CANARY_REPORTS_AUTH_CLIENT_ID', '')
param reportsAuthClientSecret = readEnvironmentVariable('CANARY_REPORTS_AUTH_CLIENT_SECRET', '')
param reportsAllowedGroupId = readEnvironmentVariable('CANARY_REPORTS_GROUP_ID', '')

// azd sets AZURE_PRINCIPAL_ID to the signed-in user: they may read the reports.
param reportReaderPrincipalId = readEnvironmentVariable('AZURE_PRINCIPAL_ID', '')
