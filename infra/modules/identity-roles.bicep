// Roles for the canary's user-assigned identity on the shared resources, and optionally read
// access to the reports for a person or group (so they can open the dashboard with Entra auth,
// since the reports account has no shared key).
import { roleIds } from 'common.bicep'

@description('Principal (object) id of the user-assigned identity.')
param principalId string

@description('Reports storage account name.')
param reportsAccountName string

@description('Key Vault name.')
param keyVaultName string

@description('Application Insights component name.')
param appInsightsName string

@description('Optional principal that may read reports and create user-delegation SAS links; empty for none.')
param readerPrincipalId string = ''

@description('Type of readerPrincipalId.')
@allowed(['User', 'Group', 'ServicePrincipal'])
param readerPrincipalType string = 'User'

resource reports 'Microsoft.Storage/storageAccounts@2025-06-01' existing = {
  name: reportsAccountName
}

resource vault 'Microsoft.KeyVault/vaults@2025-05-01' existing = {
  name: keyVaultName
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' existing = {
  name: appInsightsName
}

// On the reports account: Storage Blob Data Contributor (write runs/, latest/, index/, state/ and
// index.html) and Storage Blob Delegator (user-delegation keys for the SAS links in alerts).
var reportsRoles = [
  roleIds.storageBlobDataContributor
  roleIds.storageBlobDelegator
]

resource reportsAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in reportsRoles: {
    name: guid(reports.id, principalId, roleId)
    scope: reports
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: principalId
      principalType: 'ServicePrincipal'
    }
  }
]

// Key Vault Secrets User on the vault: resolve the Key Vault references in app settings.
resource vaultSecretsUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(vault.id, principalId, roleIds.keyVaultSecretsUser)
  scope: vault
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.keyVaultSecretsUser)
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// Monitoring Metrics Publisher on the component: send telemetry with Entra auth (local auth is off).
resource metricsPublisher 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(appInsights.id, principalId, roleIds.monitoringMetricsPublisher)
  scope: appInsights
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.monitoringMetricsPublisher
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}

// For the optional reader: Storage Blob Data Reader (portal, az storage … --auth-mode login) and
// Storage Blob Delegator (az storage blob generate-sas --as-user) on the reports account.
var readerRoles = empty(readerPrincipalId)
  ? []
  : [
      roleIds.storageBlobDataReader
      roleIds.storageBlobDelegator
    ]

resource readerAccess 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in readerRoles: {
    name: guid(reports.id, readerPrincipalId, roleId)
    scope: reports
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: readerPrincipalId
      principalType: readerPrincipalType
    }
  }
]
