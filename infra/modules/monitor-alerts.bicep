// The canary's own dead-man's switch in Azure Monitor: a log search alert on Application Insights
// that fires, per region, when no availability result arrived from that region for
// silenceMinutes — the canary writes one per target and run (runLocation = the region) — so a
// dead region is reported even when every region is dead and no round is left to notice (the
// regions' watchdog covers one region going silent while the others run). It notifies an action
// group: an email address and, when given, a webhook that takes Azure Monitor's common alert
// schema (the Teams Workflows webhook of the canary's own cards does not).

@description('Location of the alert rule (the Application Insights component\'s).')
param location string

@description('Resource id of the Application Insights component the canary reports availability to.')
param appInsightsId string

@description('Regions that must report, each a CANARY_REGION (the Azure region name).')
@minLength(1)
param regions string[]

@description('Minutes without an availability result from a region before the alert fires; longer than the schedule\'s interval.')
@allowed([15, 30, 45, 60, 120, 180, 360, 720, 1440])
param silenceMinutes int = 30

@description('Action group name.')
param actionGroupName string

@description('Alert rule name.')
param ruleName string

@description('Email address the action group notifies; empty for none.')
param email string = ''

@description('Webhook the action group posts Azure Monitor\'s common alert schema to (a PagerDuty Azure integration URL, a Logic App); empty for none.')
@secure()
param webhookUrl string = ''

@description('Tags for both resources.')
param tags object = {}

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'canary'
    enabled: true
    emailReceivers: empty(email)
      ? []
      : [
          {
            name: 'canary-email'
            emailAddress: email
            useCommonAlertSchema: true
          }
        ]
    webhookReceivers: empty(webhookUrl)
      ? []
      : [
          {
            name: 'canary-webhook'
            serviceUri: webhookUrl
            useCommonAlertSchema: true
          }
        ]
  }
}

// One row per region that sent no availability result in the window: the alert fires per
// region (the location dimension) and resolves itself when results come back.
var silentRegionsQuery = join(
  [
    'let expected = dynamic(${string(regions)});'
    'let seen = availabilityResults | where timestamp > ago(${silenceMinutes}m) | distinct location;'
    'print location = expected'
    '| mv-expand location to typeof(string)'
    '| join kind=leftanti seen on location'
  ],
  '\n'
)

resource silentRegion 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: ruleName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'realtime-canary: a region sent no availability result for ${silenceMinutes} min'
    description: 'No probe result arrived from a canary region in Application Insights: its function app is not running rounds (stopped, failed deploy, identity or quota), or every region is dead. See docs/deploy.md, "When the canary itself goes silent".'
    severity: 1
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: silenceMinutes < 60 ? 'PT${silenceMinutes}M' : silenceMinutes < 1440 ? 'PT${silenceMinutes / 60}H' : 'P1D'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: silentRegionsQuery
          timeAggregation: 'Count'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'location'
              operator: 'Include'
              values: [
                '*'
              ]
            }
          ]
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [
        actionGroup.id
      ]
    }
  }
}

output actionGroupId string = actionGroup.id
output ruleId string = silentRegion.id
