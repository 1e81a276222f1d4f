// Shared compile-time definitions, imported by main.bicep and the modules: built-in role
// definition ids, the target type, and how an app setting name maps to a Key Vault secret.
// Nothing here is deployed.

@export()
@description('Built-in Azure role definition ids (GUIDs) granted by this template.')
var roleIds = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b' // Storage Blob Data Owner (Functions host storage)
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe' // Storage Blob Data Contributor (reports)
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1' // Storage Blob Data Reader (people reading reports)
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a' // Storage Blob Delegator (user-delegation SAS links)
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88' // Storage Queue Data Contributor (host storage, probe queues)
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3' // Storage Table Data Contributor (host storage)
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6' // Key Vault Secrets User (Key Vault references)
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb' // Monitoring Metrics Publisher (Entra-only App Insights ingestion)
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd' // Cognitive Services OpenAI User (Entra auth to Azure OpenAI)
}

@export()
@description('One probe target, as the function code (src/config/targets.ts) reads it from CANARY_TARGETS.')
type target = {
  @minLength(1)
  @maxLength(63)
  @description('Unique name of the target (letters, digits, ".", "_", "-"), used in blob paths and alerts.')
  name: string

  @description('Full wss:// URL of the Realtime endpoint. Give either this or resource + deployment.')
  endpoint: string?

  @description('Azure OpenAI resource (account) name, used with deployment when endpoint is not given.')
  resource: string?

  @description('Deployment (Azure) or model (OpenAI) name.')
  deployment: string?

  @description('Which service and API generation the endpoint speaks (OpenAI retired its beta interface in May 2026; Azure deprecated the preview API on 2026-04-30).')
  flavour: ('azure-ga' | 'azure-preview' | 'openai-ga')?

  @description('Wire dialect, when it cannot be told from the flavour.')
  dialect: ('ga' | 'beta')?

  @description('api-version query parameter for Azure endpoints built from resource + deployment.')
  apiVersion: string?

  @description('How the probe authenticates: an API key, Entra ID (the managed identity), a bearer token, or none.')
  auth: 'api-key' | 'entra' | 'bearer' | 'none'

  @description('Name of the app setting holding the key or token (OPENAI_API_KEY or a name from azureOpenAiKeys). Never the key itself.')
  secretSetting: string?

  @description('Entra ID only: the token scope, an https:// resource URI ending in /.default (default https://cognitiveservices.azure.com/.default; Azure\'s troubleshooting guide also names https://ai.azure.com/.default).')
  scope: string?

  @description('Comparison group: targets in one group are compared within a round.')
  group: string?

  @description('True for the reference target of its group (e.g. OpenAI direct).')
  baseline: bool?

  @description('Prompt ids for this target (default: the round\'s prompts).')
  prompts: string[]?

  @minValue(1)
  @maxValue(20)
  @description('Turns per session for this target.')
  turns: int?
}

@export()
@description('Report blob retention, in days since last modification.')
type retention = {
  @minValue(1)
  @description('Move block blobs to the Cool tier after this many days.')
  coolAfter: int

  @minValue(1)
  @description('Delete blobs after this many days.')
  deleteAfter: int
}

@export()
@description('Key Vault secret name for an app setting name: lower case, underscores to dashes (secret names allow [0-9a-zA-Z-]).')
func secretNameFor(settingName string) string => toLower(replace(settingName, '_', '-'))

@export()
@description('App setting value that App Service resolves from Key Vault (versionless, so rotations are picked up).')
func keyVaultReference(vaultUri string, secretName string) string =>
  '@Microsoft.KeyVault(SecretUri=${vaultUri}secrets/${secretName}/)'

@export()
@description('The poison queue of a queue-triggered function: the Functions host moves a message there after maxDequeueCount failed attempts (src/queue/probeQueue.ts names it the same way).')
func poisonQueueOf(queueName string) string => '${queueName}-poison'
