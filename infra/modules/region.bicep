// One canary region: a Flex Consumption (FC1) plan and function app, with its own host storage
// account (so the timer's blob-lease singleton and host id never collide with another region's)
// reached through the user-assigned identity. The app settings passed in are shared by every
// region; this module adds the region label, the mode, the identity-based AzureWebJobsStorage
// settings and, in queue mode, the probe queue and its poison queue on the host storage with the
// identity-based CANARY_QUEUE connection the prober's trigger and the planner use.
import { poisonQueueOf, roleIds } from 'common.bicep'

@description('Azure region of this canary; also its CANARY_REGION label.')
param location string

@description('Function app name (globally unique; the host id is its first 32 characters).')
param appName string

@description('Flex Consumption plan name.')
param planName string

@description('Host storage account name (3-24 lower-case letters and digits).')
@minLength(3)
@maxLength(24)
param hostStorageName string

@description('Resource id of the user-assigned identity the app runs as.')
param identityId string

@description('Client id of the user-assigned identity.')
param identityClientId string

@description('Principal (object) id of the user-assigned identity.')
param identityPrincipalId string

@description('App settings shared by every region (name -> value); secrets only as Key Vault references.')
param appSettings object

@description('Node.js major version for the Flex runtime.')
@allowed(['20', '22'])
param nodeVersion string = '22'

@description('Memory per instance, MB.')
@allowed([512, 2048, 4096])
param instanceMemoryMB int = 2048

@description('Upper bound on instances (Flex allows 40-1000).')
@minValue(40)
@maxValue(1000)
param maximumInstanceCount int = 40

@description('CANARY_MODE: round (the timer probes every due target in one process) or queue (the timer enqueues each due probe, a queue-triggered prober runs it).')
@allowed(['round', 'queue'])
param mode string = 'round'

@description('Queue mode: the probe queue on the host storage (CANARY_QUEUE_NAME); 3-56 lower-case letters, digits and single hyphens, room left for -poison.')
@minLength(3)
@maxLength(56)
param queueName string = 'canary-probes'

@description('Sign-in for the reports site (App Service Authentication with Microsoft Entra ID). Empty clientId: no sign-in, and the reports site stays off.')
param reportsAuth {
  @description('Client id of the Entra app registration.')
  clientId: string
  @description('App setting holding its client secret (a Key Vault reference).')
  clientSecretSettingName: string
  @description('Object id of the group allowed in, or empty for every user of the tenant.')
  allowedGroupId: string
} = { clientId: '', clientSecretSettingName: '', allowedGroupId: '' }

@description('Tags for every resource; the app also gets appTags.')
param tags object = {}

@description('Extra tags for the function app only (e.g. azd-service-name on the primary region).')
param appTags object = {}

var deploymentContainerName = 'app-package'
var storageSuffix = environment().suffixes.storage
var hostBlobUri = 'https://${hostStorageName}.blob.${storageSuffix}/'
var hostQueueUri = 'https://${hostStorageName}.queue.${storageSuffix}/'
var queueMode = mode == 'queue'
// The probe queue, and the poison queue the host moves a message to after maxDequeueCount (host.json) failures.
var probeQueueNames = [
  queueName
  poisonQueueOf(queueName)
]

resource hostStorage 'Microsoft.Storage/storageAccounts@2025-06-01' = {
  name: hostStorageName
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

resource hostBlobs 'Microsoft.Storage/storageAccounts/blobServices@2025-06-01' = {
  parent: hostStorage
  name: 'default'
}

// Flex Consumption pulls the app package from this container, authenticated as the identity.
resource deploymentContainer 'Microsoft.Storage/storageAccounts/blobServices/containers@2025-06-01' = {
  parent: hostBlobs
  name: deploymentContainerName
  properties: {
    publicAccess: 'None'
  }
}

// The Functions host's own storage, as the identity: Storage Blob Data Owner (leases, timer
// status, the package container) and, since the queue and table service URIs are set, Storage
// Queue Data Contributor and Storage Table Data Contributor (diagnostic events).
var hostStorageRoles = [
  roleIds.storageBlobDataOwner
  roleIds.storageQueueDataContributor
  roleIds.storageTableDataContributor
]

resource hostRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for roleId in hostStorageRoles: {
    name: guid(hostStorage.id, identityPrincipalId, roleId)
    scope: hostStorage
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleId)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource hostQueueService 'Microsoft.Storage/storageAccounts/queueServices@2025-06-01' = if (queueMode) {
  parent: hostStorage
  name: 'default'
}

// Created here so the trigger has its queue before the planner's first tick, and the poison queue can be
// inspected (and alerted on) before anything was ever poisoned.
resource probeQueues 'Microsoft.Storage/storageAccounts/queueServices/queues@2025-06-01' = [
  for name in probeQueueNames: if (queueMode) {
    parent: hostQueueService
    name: name
  }
]

// The planner sends (and creates the queues when missing), the trigger reads, updates and deletes, the host
// writes the poison queue, and the canary reads its length: Storage Queue Data Contributor, on these two queues.
// (The account-wide grant above is the runtime's; this one is queue mode's own, so narrowing the runtime's grant
// later cannot take the prober's access with it.)
resource probeQueueRoles 'Microsoft.Authorization/roleAssignments@2022-04-01' = [
  for (name, i) in probeQueueNames: if (queueMode) {
    name: guid(probeQueues[i].id, identityPrincipalId, roleIds.storageQueueDataContributor)
    scope: probeQueues[i]
    properties: {
      roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roleIds.storageQueueDataContributor)
      principalId: identityPrincipalId
      principalType: 'ServicePrincipal'
    }
  }
]

resource plan 'Microsoft.Web/serverfarms@2025-03-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    tier: 'FlexConsumption'
    name: 'FC1'
  }
  properties: {
    reserved: true // Linux
  }
}

// Identity-based host storage: no connection string, no account key.
var hostStorageSettings = {
  AzureWebJobsStorage__credential: 'managedidentity'
  AzureWebJobsStorage__clientId: identityClientId
  AzureWebJobsStorage__blobServiceUri: hostBlobUri
  AzureWebJobsStorage__queueServiceUri: hostQueueUri
  AzureWebJobsStorage__tableServiceUri: 'https://${hostStorageName}.table.${storageSuffix}/'
}

// Queue mode's connection, read the way the host reads a trigger's (CANARY_QUEUE__*): the queue endpoint as the
// user-assigned identity, no key (src/config/queueSettings.ts reads the same settings for the planner).
var queueSettings = queueMode
  ? {
      CANARY_QUEUE__queueServiceUri: hostQueueUri
      CANARY_QUEUE__credential: 'managedidentity'
      CANARY_QUEUE__clientId: identityClientId
      CANARY_QUEUE_NAME: queueName
    }
  : {}

var signIn = !empty(reportsAuth.clientId)

// The reports HTTP function answers only behind the sign-in configured below.
var settings = union(appSettings, hostStorageSettings, queueSettings, {
  CANARY_REGION: location
  CANARY_MODE: mode
  CANARY_REPORTS_HTTP: signIn ? 'on' : 'off'
})

resource site 'Microsoft.Web/sites@2025-03-01' = {
  name: appName
  location: location
  tags: union(tags, appTags)
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: {
    serverFarmId: plan.id
    httpsOnly: true
    // Key Vault references in app settings resolve as the user-assigned identity.
    keyVaultReferenceIdentity: identityId
    functionAppConfig: {
      deployment: {
        storage: {
          type: 'blobContainer'
          value: '${hostBlobUri}${deploymentContainerName}'
          authentication: {
            type: 'UserAssignedIdentity'
            userAssignedIdentityResourceId: identityId
          }
        }
      }
      scaleAndConcurrency: {
        instanceMemoryMB: instanceMemoryMB
        maximumInstanceCount: maximumInstanceCount
      }
      runtime: {
        name: 'node'
        version: nodeVersion
      }
    }
    siteConfig: {
      minTlsVersion: '1.2'
      ftpsState: 'Disabled'
      appSettings: [for setting in items(settings): { name: setting.key, value: setting.value }]
    }
  }
  // The host needs its storage roles (and in queue mode the prober its queues) before it first starts.
  dependsOn: [
    deploymentContainer
    hostRoles
    probeQueueRoles
  ]
}

// The reports site (/dashboard, /reports/...) behind Microsoft Entra ID: only this tenant's users (the issuer),
// optionally only one group's members; everyone else is sent to the sign-in page. Timer runs are not HTTP
// requests, so the canary itself is unaffected.
resource auth 'Microsoft.Web/sites/config@2025-03-01' = if (signIn) {
  parent: site
  name: 'authsettingsV2'
  properties: {
    platform: {
      enabled: true
    }
    globalValidation: {
      requireAuthentication: true
      unauthenticatedClientAction: 'RedirectToLoginPage'
      redirectToProvider: 'azureactivedirectory'
    }
    httpSettings: {
      requireHttps: true
    }
    identityProviders: {
      azureActiveDirectory: {
        enabled: true
        registration: {
          openIdIssuer: '${environment().authentication.loginEndpoint}${tenant().tenantId}/v2.0'
          clientId: reportsAuth.clientId
          clientSecretSettingName: reportsAuth.clientSecretSettingName
        }
        validation: {
          allowedAudiences: [
            reportsAuth.clientId
            'api://${reportsAuth.clientId}'
          ]
          defaultAuthorizationPolicy: {
            allowedPrincipals: empty(reportsAuth.allowedGroupId) ? {} : { groups: [reportsAuth.allowedGroupId] }
          }
        }
      }
    }
    login: {
      tokenStore: {
        enabled: false
      }
    }
  }
}

// No basic-auth (publishing profile) deployments: azd, az and Core Tools publish with Entra tokens.
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2025-03-01' = {
  parent: site
  name: 'scm'
  properties: {
    allow: false
  }
}

output appName string = site.name
output appId string = site.id
output defaultHostName string = site.properties.defaultHostName
output hostStorageName string = hostStorage.name
