// Log Analytics workspace and a workspace-based Application Insights component that accepts
// Entra-authenticated telemetry only (disableLocalAuth): the identity needs Monitoring Metrics
// Publisher on it (granted in identity-roles.bicep).

@description('Location of the workspace and the component.')
param location string

@description('Log Analytics workspace name.')
param logAnalyticsName string

@description('Application Insights component name.')
param appInsightsName string

@description('Days Log Analytics keeps data.')
@minValue(30)
@maxValue(730)
param retentionInDays int = 30

@description('Tags for both resources.')
param tags object = {}

resource logAnalytics 'Microsoft.OperationalInsights/workspaces@2025-07-01' = {
  name: logAnalyticsName
  location: location
  tags: tags
  properties: {
    sku: { name: 'PerGB2018' }
    retentionInDays: retentionInDays
    features: {
      disableLocalAuth: true
    }
  }
}

resource appInsights 'Microsoft.Insights/components@2020-02-02' = {
  name: appInsightsName
  location: location
  tags: tags
  kind: 'web'
  properties: {
    Application_Type: 'web'
    WorkspaceResourceId: logAnalytics.id
    DisableLocalAuth: true
    IngestionMode: 'LogAnalytics'
  }
}

output appInsightsName string = appInsights.name
output appInsightsId string = appInsights.id
@description('Not a secret: with local auth disabled, ingestion also needs an Entra token.')
output connectionString string = appInsights.properties.ConnectionString
output logAnalyticsId string = logAnalytics.id
