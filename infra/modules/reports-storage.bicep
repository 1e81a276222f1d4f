// The reports storage account: private (no anonymous blobs, no shared key, HTTPS and TLS 1.2
// only), one container for the canary's artifacts and dashboard, and a lifecycle policy that
// moves old reports to Cool and then deletes them.
import { retention } from 'common.bicep'

@description('Location of the account.')
param location string

@description('Storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param name string

@description('Blob container the canary writes runs/, latest/, index/ and index.html to.')
param containerName string

@description('Days after the last modification before blobs move to Cool and are deleted.')
param retentionDays retention

@description('Tags for the account.')
param tags object = {}

resource account 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: name
  location: location
  tags: tags
  kind: 'StorageV2'
  sku: { name: 'Standard_LRS' }
  properties: {
    accessTier: 'Hot'
    allowBlobPublicAccess: false
    allowSharedKeyAccess: false
    allowCrossTenantReplication: false
    defaultToOAuthAuthentication: true
    minimumTlsVersion: 'TLS1_2'
    supportsHttpsTrafficOnly: true
    publicNetworkAccess: 'Enabled'
    networkAcls: {
      defaultAction: 'Allow'
      bypass: 'AzureServices'
    }
  }
}

resource blobService 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: account
  name: 'default'
}

resource container 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: blobService
  name: containerName
  properties: {
    publicAccess: 'None'
  }
}

// Tiering applies to block blobs only, so append blobs get a delete-only rule of their own.
resource lifecycle 'Microsoft.Storage/storageAccounts/managementPolicies@2025-06-01' = {
  parent: account
  name: 'default'
  properties: {
    policy: {
      rules: [
        {
          name: 'reports-cool-then-delete'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['blockBlob']
              prefixMatch: ['${containerName}/']
            }
            actions: {
              baseBlob: {
                tierToCool: { daysAfterModificationGreaterThan: retentionDays.coolAfter }
                delete: { daysAfterModificationGreaterThan: retentionDays.deleteAfter }
              }
            }
          }
        }
        {
          name: 'reports-append-delete'
          enabled: true
          type: 'Lifecycle'
          definition: {
            filters: {
              blobTypes: ['appendBlob']
              prefixMatch: ['${containerName}/']
            }
            actions: {
              baseBlob: {
                delete: { daysAfterModificationGreaterThan: retentionDays.deleteAfter }
              }
            }
          }
        }
      ]
    }
  }
}

output name string = account.name
output id string = account.id
output containerName string = container.name
