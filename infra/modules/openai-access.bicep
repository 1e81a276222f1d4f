// Cognitive Services OpenAI User for the canary's identity on one Azure OpenAI account. Deployed
// with the account's resource group as scope, so the account may live in another resource group
// or subscription (same tenant) than the canary.
import { roleIds } from 'common.bicep'

@description('Name of the Azure OpenAI (Cognitive Services) account in this resource group.')
param accountName string

@description('Principal (object) id of the user-assigned identity.')
param principalId string

resource account 'Microsoft.CognitiveServices/accounts@2025-06-01' existing = {
  name: accountName
}

// Cognitive Services OpenAI User: call deployments (including Realtime) with an Entra token.
resource openAiUser 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(account.id, principalId, roleIds.cognitiveServicesOpenAiUser)
  scope: account
  properties: {
    roleDefinitionId: subscriptionResourceId(
      'Microsoft.Authorization/roleDefinitions',
      roleIds.cognitiveServicesOpenAiUser
    )
    principalId: principalId
    principalType: 'ServicePrincipal'
  }
}
