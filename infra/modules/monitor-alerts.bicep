// The canary's own dead-man's switch in Azure Monitor: a log search alert on Application Insights
// that fires, per region, when no availability result arrived from that region for
// silenceMinutes — the canary writes one per target and run (runLocation = the region) — so a
// dead region is reported even when every region is dead and no round is left to notice (the
// regions' watchdog covers one region going silent while the others run). It notifies an action
// group: an email address and, when given, a webhook that takes Azure Monitor's common alert
// schema (the Teams Workflows webhook of the canary's own cards does not).
//
// In queue mode, a second rule on the same group: probe messages moved to the poison queue. Azure
// Monitor has no per-queue length metric (the storage account's QueueMessageCount counts every
// queue of the account, hourly, the probes waiting for their start included), so the rule reads the
// Functions host's own log line in Application Insights — the queue extension writes a warning
// "Message has reached MaxDequeueCount of N. Moving message to queue '<name>-poison'." for each
// message it moves — and fires per function app (cloud_RoleName) when any was moved in the window.

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

@description('Queue mode: the poison queue whose arrivals alert (the probe queue\'s name + -poison); empty in round mode: no such rule.')
param poisonQueueName string = ''

@description('Name of the poison-queue alert rule (used only with poisonQueueName).')
param poisonRuleName string = ''

@description('Tags for every resource.')
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

// The host's line, counted per app; itemCount undoes Application Insights' sampling (a kept line stands for
// itemCount lines). The quotes around the name keep canary-probes-poison from matching canary-probes-poison-2.
var poisonedQuery = join(
  [
    'traces'
    '| where message has "MaxDequeueCount" and message contains "Moving message to queue \'${poisonQueueName}\'"'
    '| summarize poisoned = sum(itemCount) by cloud_RoleName'
  ],
  '\n'
)

resource poisonedProbes 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = if (!empty(poisonQueueName)) {
  name: poisonRuleName
  location: location
  tags: tags
  kind: 'LogAlert'
  properties: {
    displayName: 'realtime-canary: probe messages moved to ${poisonQueueName}'
    description: 'The Functions host moved probe messages to the poison queue: the prober threw on every attempt (maxDequeueCount), i.e. the canary\'s own fault — settings it could not load, a message it could not read, or a run it could write neither to storage nor to its spool. Those probes were not recorded. See docs/deploy.md, "Queue mode".'
    severity: 2
    enabled: true
    scopes: [
      appInsightsId
    ]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: poisonedQuery
          timeAggregation: 'Total'
          metricMeasureColumn: 'poisoned'
          operator: 'GreaterThan'
          threshold: 0
          dimensions: [
            {
              name: 'cloud_RoleName'
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
