// Compiles infra/main.bicep with the real Bicep CLI (restored from NuGet through dotnet, see
// scripts/bicep.mjs) and checks what the deployment would do: the compiled ARM JSON for the
// structure, and `bicep snapshot` of a three-region parameters file for the evaluated resources.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  INFRA_DIR, buildArm, buildParams, ensureBicep, findDotnet, lint, snapshot,
} from '../../scripts/bicep.mjs';
import { resourcesOfType, templates, TEST_DIR, writeMainParams, type Json } from './arm.js';

const dotnet = findDotnet();
const skipReason = dotnet.available ? '' : `dotnet not found (${dotnet.reason}): the Bicep CLI comes from NuGet`;
if (skipReason) console.warn(`[test/infra] skipped: ${skipReason}`);

const ROLE = {
  storageBlobDataOwner: 'b7e6dc6d-f1e8-4753-8033-0f276bb0955b',
  storageBlobDataContributor: 'ba92f5b4-2d11-453d-a403-e96b0029c9fe',
  storageBlobDataReader: '2a2b9908-6ea1-4ae2-8e65-a410df84e7d1',
  storageBlobDelegator: 'db58b8e5-c6ad-4a2a-8342-4190687cbf4a',
  storageQueueDataContributor: '974c5e8b-45b9-4653-ba55-5f855dd0fb88',
  storageTableDataContributor: '0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3',
  keyVaultSecretsUser: '4633458b-17de-408a-b874-0445c86b69e6',
  monitoringMetricsPublisher: '3913510d-42f4-4e42-8a64-420c390055eb',
  cognitiveServicesOpenAiUser: '5e0bd9bd-7b93-4f28-af87-19fc36ad61bd',
};

const REGIONS = ['swedencentral', 'francecentral', 'eastus2'];
const SUBSCRIPTION = '22222222-2222-2222-2222-222222222222';
const RESOURCE_GROUP = 'rg-canary-test';
const READER = '33333333-3333-3333-3333-333333333333';
const OPENAI_ACCOUNTS = [
  '/subscriptions/22222222-2222-2222-2222-222222222222/resourceGroups/rg-canary-test/providers/Microsoft.CognitiveServices/accounts/aoai-same-rg',
  '/subscriptions/44444444-4444-4444-4444-444444444444/resourceGroups/rg-other/providers/Microsoft.CognitiveServices/accounts/aoai-elsewhere',
];
// Recognisable secret values: none may show up outside the parameters file.
const SECRETS = ['SENTINEL-WEBHOOK-7f3a', 'SENTINEL-OPENAI-KEY-91c2', 'SENTINEL-AZURE-KEY-55d0', 'SENTINEL-AUTH-SECRET-0b9e', 'SENTINELPAGERDUTYKEY0123456789ab'];
// Azure Monitor's webhook: the action group holds it (the platform posts to it), the only place it may flow.
const MONITOR_WEBHOOK = 'https://events.pagerduty.example/integration/monitor-7d1e/enqueue';
const ALERT_EMAIL = 'oncall@example.com';
const AUTH_CLIENT_ID = '66666666-6666-6666-6666-666666666666';
const AUTH_GROUP = '77777777-7777-7777-7777-777777777777';

function writeTestParams(): string {
  return writeMainParams(
    'three-regions',
    `param environmentName = 'citest'
param regions = ${JSON.stringify(REGIONS).replaceAll('"', "'")}
param targets = [
  { name: 'aoai-sweden', resource: 'aoai-same-rg', deployment: 'gpt-realtime', flavour: 'azure-ga', auth: 'entra', group: 'g' }
  { name: 'aoai-france', resource: 'aoai-fr', deployment: 'gpt-realtime', flavour: 'azure-preview', auth: 'api-key', secretSetting: 'AZURE_OPENAI_KEY_FRANCE', group: 'g' }
  { name: 'openai', endpoint: 'wss://api.openai.com/v1/realtime?model=gpt-realtime', flavour: 'openai-ga', auth: 'bearer', secretSetting: 'OPENAI_API_KEY', group: 'g', baseline: true }
]
param schedule = '0 */5 * * * *'
param retentionDays = { coolAfter: 7, deleteAfter: 45 }
param openAiAccountIds = ${JSON.stringify(OPENAI_ACCOUNTS).replaceAll('"', "'")}
param reportReaderPrincipalId = '${READER}'
param webhookUrl = 'https://example.invalid/workflows/${SECRETS[0]}'
param openAiApiKey = '${SECRETS[1]}'
param azureOpenAiKeys = { AZURE_OPENAI_KEY_FRANCE: '${SECRETS[2]}' }
param reportsAuthClientId = '${AUTH_CLIENT_ID}'
param reportsAuthClientSecret = '${SECRETS[3]}'
param reportsAllowedGroupId = '${AUTH_GROUP}'
param webhookFormat = 'teams,pagerduty'
param pagerDutyRoutingKey = '${SECRETS[4]}'
param alertEmail = '${ALERT_EMAIL}'
param monitorWebhookUrl = '${MONITOR_WEBHOOK}'
`,
  );
}

/** Every value in a JSON tree with its path. */
function* walk(node: Json, path: string[] = []): Generator<[string[], Json]> {
  yield [path, node];
  if (node && typeof node === 'object') {
    for (const [k, v] of Object.entries(node)) yield* walk(v, [...path, k]);
  }
}


const isSecureType = (p: Json) => p?.type === 'securestring' || p?.type === 'secureObject';

/**
 * Where a secure parameter's value flows in one template (not its nested templates). Allowed:
 * tests of it (empty(), the key names of an object), a Key Vault secret's value, and a nested
 * deployment's parameter that is itself secure. Everything else is returned as a leak.
 */
function secureLeaks(template: Json, where = 'main'): string[] {
  const secure = Object.entries<Json>(template.parameters ?? {}).filter(([, p]) => isSecureType(p)).map(([n]) => n);
  const leaks: string[] = [];
  for (const [name, res] of Object.entries<Json>(template.resources ?? {})) {
    if (res.type === 'Microsoft.Resources/deployments' && res.properties?.template) {
      leaks.push(...secureLeaks(res.properties.template, `${where}/${name}`));
    }
  }
  const scan = (node: Json, path: string[]) => {
    for (const [p, v] of walk(node, path)) {
      if (typeof v !== 'string') continue;
      // a nested template is scanned against its own parameters, above
      if (p.includes('template') && p[0] === 'resources' && p[2] === 'properties' && p[3] === 'template') continue;
      for (const s of secure) {
        const ref = `parameters('${s}')`;
        if (!v.includes(ref)) continue;
        const stripped = v
          .replaceAll(`empty(${ref})`, '')
          .replaceAll(`objectKeys(${ref})`, '')
          .replaceAll(`length(items(${ref}))`, '')
          .replaceAll(`items(${ref})[copyIndex()].key`, '');
        if (!stripped.includes(ref)) continue;
        const [top, resName, ...rest] = p;
        const res = top === 'resources' ? template.resources[resName!] : undefined;
        const intoSecret = res?.type === 'Microsoft.KeyVault/vaults/secrets' && rest.join('.') === 'properties.value';
        // an action group's webhook receiver holds its URL itself: Azure Monitor posts to it
        const intoActionGroup = res?.type === 'Microsoft.Insights/actionGroups' && rest.join('.') === 'properties.webhookReceivers';
        const intoSecureParam =
          res?.type === 'Microsoft.Resources/deployments' &&
          rest[0] === 'properties' && rest[1] === 'parameters' && rest[3] === 'value' &&
          isSecureType(res.properties.template?.parameters?.[rest[2]!]);
        if (!intoSecret && !intoSecureParam && !intoActionGroup) leaks.push(`${where}: ${p.join('.')} = ${v}`);
      }
    }
  };
  scan(template, []);
  return leaks;
}

describe.skipIf(!dotnet.available)(`infra/main.bicep compiled with the Bicep CLI${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let main: Json;
  let paramsFile: string;

  beforeAll(() => {
    const tool = ensureBicep();
    if (!tool.available) throw new Error(`Bicep CLI unavailable although dotnet is: ${tool.reason}`);
    const res = buildArm(join(INFRA_DIR, 'main.bicep'));
    expect(res.diagnostics.filter((d) => d.level !== 'Info'), res.stderr).toEqual([]);
    expect(res.status).toBe(0);
    main = res.template;
    paramsFile = writeTestParams();
  }, 300_000); // a first run restores the CLI from NuGet

  describe('compiled ARM JSON', () => {
    it('deploys one regional module per entry of the regions parameter', () => {
      const regional = main.resources.regional;
      expect(regional.type).toBe('Microsoft.Resources/deployments');
      expect(regional.copy.count).toBe("[length(parameters('regions'))]");
      expect(regional.properties.parameters.location.value).toBe("[parameters('regions')[copyIndex()]]");
      expect(main.parameters.regions).toMatchObject({ type: 'array', minLength: 1 });
      const sites = Object.values<Json>(regional.properties.template.resources).filter((r) => r.type === 'Microsoft.Web/sites');
      expect(sites).toHaveLength(1);
    });

    it('runs the function app on Flex Consumption with Node 22 and the identity-authenticated package container', () => {
      const region = main.resources.regional.properties.template;
      const { site, plan } = region.resources;
      expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
      expect(site.kind).toBe('functionapp,linux');
      expect(site.properties.functionAppConfig.runtime).toEqual({ name: 'node', version: "[parameters('nodeVersion')]" });
      expect(region.parameters.nodeVersion.defaultValue).toBe('22');
      expect(main.resources.regional.properties.parameters).not.toHaveProperty('nodeVersion');
      expect(site.properties.functionAppConfig.deployment.storage.authentication).toEqual({
        type: 'UserAssignedIdentity',
        userAssignedIdentityResourceId: "[parameters('identityId')]",
      });
      expect(site.properties.keyVaultReferenceIdentity).toBe("[parameters('identityId')]");
    });

    it('declares the secrets as secure parameters with empty defaults', () => {
      expect(main.parameters.webhookUrl).toMatchObject({ type: 'securestring', defaultValue: '' });
      expect(main.parameters.openAiApiKey).toMatchObject({ type: 'securestring', defaultValue: '' });
      expect(main.parameters.azureOpenAiKeys).toMatchObject({ type: 'secureObject', defaultValue: {} });
      expect(main.parameters.pagerDutyRoutingKey).toMatchObject({ type: 'securestring', defaultValue: '' });
      expect(main.parameters.monitorWebhookUrl).toMatchObject({ type: 'securestring', defaultValue: '' });
    });

    it('lets secret values flow only into Key Vault secrets (never app settings, outputs or plain module parameters)', () => {
      expect(secureLeaks(main)).toEqual([]);
      const vault = main.resources.keyVault.properties.template;
      const secretValues = Object.values<Json>(vault.resources)
        .filter((r) => r.type === 'Microsoft.KeyVault/vaults/secrets')
        .map((r) => r.properties.value);
      expect(secretValues.sort()).toEqual([
        "[items(parameters('azureOpenAiKeys'))[copyIndex()].value]",
        "[parameters('authClientSecret')]",
        "[parameters('openAiApiKey')]",
        "[parameters('pagerDutyRoutingKey')]",
        "[parameters('webhookUrl')]",
      ]);
    });

    it('gives secret app settings Key Vault references only', () => {
      const ref = main.functions[0].members.keyVaultReference.output.value;
      expect(ref).toBe("[format('@Microsoft.KeyVault(SecretUri={0}secrets/{1}/)', parameters('vaultUri'), parameters('secretName'))]");
      expect(main.variables.webhookSetting).toBe('CANARY_WEBHOOK_URL');
      expect(main.variables.openAiKeySetting).toBe('OPENAI_API_KEY');
      const settings: string = main.resources.regional.properties.parameters.appSettings.value;
      // CANARY_WEBHOOK_URL, CANARY_PAGERDUTY_ROUTING_KEY, the sign-in secret, OPENAI_API_KEY and one per azureOpenAiKeys entry, all via the vault's URI
      expect(settings.match(/__bicep\.keyVaultReference\(reference\('keyVault'\)\.outputs\.vaultUri\.value, /g)).toHaveLength(5);
      expect(main.variables.pagerDutySetting).toBe('CANARY_PAGERDUTY_ROUTING_KEY');
      expect(settings).toContain("if(variables('paging'), createObject(format('{0}', variables('pagerDutySetting')), __bicep.keyVaultReference(");
      expect(settings).toContain("createObject(format('{0}', variables('webhookSetting')), __bicep.keyVaultReference(");
      expect(settings).toContain("createObject(format('{0}', variables('openAiKeySetting')), __bicep.keyVaultReference(");
      expect(settings).toContain("toObject(objectKeys(parameters('azureOpenAiKeys')), lambda('name', lambdaVariables('name')), lambda('name', __bicep.keyVaultReference(");
    });

    it('sets the app settings the function code reads', () => {
      const settings: string = main.resources.regional.properties.parameters.appSettings.value;
      for (const [name, value] of [
        ['CANARY_SCHEDULE', "parameters('schedule')"],
        ['CANARY_TARGETS', "string(parameters('targets'))"],
        ['CANARY_CONTAINER', "parameters('reportsContainerName')"],
        ['CANARY_STORAGE_ACCOUNT_URL', "variables('reportsAccountUrl')"],
        ['CANARY_WEBHOOK_FORMAT', "if(parameters('alertsEnabled'), parameters('webhookFormat'), 'teams')"],
        ['AZURE_CLIENT_ID', "reference('identity').clientId"],
        ['APPLICATIONINSIGHTS_CONNECTION_STRING', "reference('monitoring').outputs.connectionString.value"],
        ['APPLICATIONINSIGHTS_AUTHENTICATION_STRING', "format('ClientId={0};Authorization=AAD', reference('identity').clientId)"],
      ]) {
        expect(settings).toContain(`'${name}', ${value}`);
      }
      // extraAppSettings come first, so the settings above always win over them
      expect(settings.startsWith("[union(parameters('extraAppSettings'), ")).toBe(true);
      expect(main.variables.reportsAccountUrl).toBe("[format('https://{0}.blob.{1}/', variables('names').reports, environment().suffixes.storage)]");
      expect(main.parameters.schedule.defaultValue).toBe('0 */10 * * * *');
      expect(main.parameters.webhookFormat).toMatchObject({
        defaultValue: 'teams',
        allowedValues: ['teams', 'json', 'pagerduty', 'teams,pagerduty', 'json,pagerduty'],
      });
      expect(main.parameters.reportsContainerName.defaultValue).toBe('reports');

      const region = main.resources.regional.properties.template;
      expect(region.variables.settings).toBe(
        "[union(parameters('appSettings'), variables('hostStorageSettings'), variables('queueSettings'), createObject('CANARY_REGION', parameters('location'), 'CANARY_MODE', parameters('mode'), 'CANARY_REPORTS_HTTP', if(variables('signIn'), 'on', 'off')))]",
      );
      expect(region.variables.hostStorageSettings).toEqual({
        AzureWebJobsStorage__credential: 'managedidentity',
        AzureWebJobsStorage__clientId: "[parameters('identityClientId')]",
        AzureWebJobsStorage__blobServiceUri: "[variables('hostBlobUri')]",
        AzureWebJobsStorage__queueServiceUri: "[variables('hostQueueUri')]",
        AzureWebJobsStorage__tableServiceUri: "[format('https://{0}.table.{1}/', parameters('hostStorageName'), variables('storageSuffix'))]",
      });
      expect(region.resources.site.properties.siteConfig.copy[0]).toMatchObject({
        name: 'appSettings',
        count: "[length(items(variables('settings')))]",
      });
    });

    it('keeps the webhook already in Key Vault when a redeploy does not pass it, unless alerts are turned off', () => {
      const settings: string = main.resources.regional.properties.parameters.appSettings.value;
      // the app setting depends on alertsEnabled and the format only, never on webhookUrl being given this time …
      expect(main.variables.chatAlerts).toBe("[and(parameters('alertsEnabled'), not(equals(parameters('webhookFormat'), 'pagerduty')))]");
      expect(main.variables.paging).toBe("[and(parameters('alertsEnabled'), contains(parameters('webhookFormat'), 'pagerduty'))]");
      expect(settings).toContain("if(variables('chatAlerts'), createObject(format('{0}', variables('webhookSetting')), __bicep.keyVaultReference(");
      expect(settings).not.toMatch(/empty\(parameters\('webhookUrl'\)\)/);
      // … while the secret itself is written only when a value is given, so an empty parameter leaves it alone
      const vault = main.resources.keyVault.properties.template;
      expect(vault.resources.webhookSecret.condition).toBe("[not(empty(parameters('webhookUrl')))]");
      expect(vault.resources.pagerDutySecret.condition).toBe("[not(empty(parameters('pagerDutyRoutingKey')))]");
      expect(main.parameters.alertsEnabled).toMatchObject({ type: 'bool', defaultValue: true });
    });

    it('puts the reports site behind Entra sign-in (this tenant, optionally one group) and turns it on only then', () => {
      const region = main.resources.regional.properties.template;
      const auth = region.resources.auth;
      expect(auth).toMatchObject({ type: 'Microsoft.Web/sites/config', name: "[format('{0}/{1}', parameters('appName'), 'authsettingsV2')]", condition: "[variables('signIn')]" });
      expect(auth.properties.globalValidation).toEqual({ requireAuthentication: true, unauthenticatedClientAction: 'RedirectToLoginPage', redirectToProvider: 'azureactivedirectory' });
      expect(auth.properties.identityProviders.azureActiveDirectory.registration.openIdIssuer).toBe("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, tenant().tenantId)]");
      expect(region.variables.signIn).toBe("[not(empty(parameters('reportsAuth').clientId))]");
      expect(main.parameters.reportsAuthClientSecret).toMatchObject({ type: 'securestring', defaultValue: '' });
    });

    it('uses no account keys, connection strings or list*() calls anywhere', () => {
      const text = JSON.stringify(main);
      expect(text).not.toMatch(/listKeys|listAccountSas|listServiceSas|AccountKey=|DefaultEndpointsProtocol|SharedAccessSignature/i);
      expect(text).not.toMatch(/core\.windows\.net|vault\.azure\.net/); // cloud suffixes come from environment()
      for (const { template } of templates(main)) {
        expect(Object.keys(template.variables?.hostStorageSettings ?? {})).not.toContain('AzureWebJobsStorage');
      }
    });

    it('keeps secure values and list*() out of every output', () => {
      for (const { path, template } of templates(main)) {
        const secure = Object.entries<Json>(template.parameters ?? {}).filter(([, p]) => isSecureType(p)).map(([n]) => n);
        for (const [name, output] of Object.entries<Json>(template.outputs ?? {})) {
          const text = JSON.stringify(output); // value, or copy.input for a loop
          for (const s of secure) expect(text, `${path} output ${name}`).not.toContain(`parameters('${s}')`);
          expect(text, `${path} output ${name}`).not.toMatch(/\blist[A-Z]\w*\(/);
          expect(isSecureType(output), `${path} output ${name}`).toBe(false);
        }
      }
      expect(Object.keys(main.outputs).every((n) => /^[A-Z][A-Z0-9_]*$/.test(n))).toBe(true);
      expect(main.outputs).toHaveProperty('CANARY_FUNCTION_APP_NAMES');
      expect(main.outputs).toHaveProperty('SERVICE_CANARY_NAME');
    });

    it('makes every storage account private, HTTPS-only with TLS 1.2 and no shared key', () => {
      const accounts = resourcesOfType(main, 'Microsoft.Storage/storageAccounts');
      expect(accounts.map((a) => a.where).sort()).toEqual(['main/regional', 'main/reports']);
      for (const { resource } of accounts) {
        expect(resource.properties).toMatchObject({
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: false,
          minimumTlsVersion: 'TLS1_2',
          supportsHttpsTrafficOnly: true,
        });
      }
      for (const { resource } of resourcesOfType(main, 'Microsoft.Storage/storageAccounts/blobServices/containers')) {
        expect(resource.properties.publicAccess).toBe('None');
      }
    });

    it('expires reports with a lifecycle policy driven by retentionDays (30/90 by default)', () => {
      expect(main.parameters.retentionDays.defaultValue).toEqual({ coolAfter: 30, deleteAfter: 90 });
      expect(main.resources.reports.properties.parameters.retentionDays.value).toBe("[parameters('retentionDays')]");
      const [policy] = resourcesOfType(main, 'Microsoft.Storage/storageAccounts/managementPolicies');
      expect(policy?.where).toBe('main/reports');
      const rules = policy!.resource.properties.policy.rules;
      const block = rules.find((r: Json) => r.definition.filters.blobTypes.includes('blockBlob'));
      expect(block.definition.actions.baseBlob).toEqual({
        tierToCool: { daysAfterModificationGreaterThan: "[parameters('retentionDays').coolAfter]" },
        delete: { daysAfterModificationGreaterThan: "[parameters('retentionDays').deleteAfter]" },
      });
      const append = rules.find((r: Json) => r.definition.filters.blobTypes.includes('appendBlob'));
      expect(append.definition.actions.baseBlob).toEqual({
        delete: { daysAfterModificationGreaterThan: "[parameters('retentionDays').deleteAfter]" },
      });
    });

    it('locks down Key Vault and Application Insights to Entra auth', () => {
      const [vault] = resourcesOfType(main, 'Microsoft.KeyVault/vaults');
      expect(vault!.resource.properties.enableRbacAuthorization).toBe(true);
      const [component] = resourcesOfType(main, 'Microsoft.Insights/components');
      expect(component!.resource.properties.DisableLocalAuth).toBe(true);
      const [workspace] = resourcesOfType(main, 'Microsoft.OperationalInsights/workspaces');
      expect(workspace!.resource.properties.features.disableLocalAuth).toBe(true);
    });

    it('alerts through Azure Monitor when a region sends no availability result for 30 minutes, via an action group', () => {
      const [rule] = resourcesOfType(main, 'Microsoft.Insights/scheduledQueryRules');
      const [group] = resourcesOfType(main, 'Microsoft.Insights/actionGroups');
      expect(rule?.where).toBe('main/monitorAlerts');
      expect(group?.where).toBe('main/monitorAlerts');
      const module = main.resources.monitorAlerts;
      expect(module.properties.parameters).toMatchObject({
        appInsightsId: { value: "[reference('monitoring').outputs.appInsightsId.value]" },
        regions: { value: "[parameters('regions')]" },
        silenceMinutes: { value: "[parameters('silenceAlertMinutes')]" },
        email: { value: "[parameters('alertEmail')]" },
        webhookUrl: { value: "[parameters('monitorWebhookUrl')]" },
      });
      expect(main.parameters.silenceAlertMinutes.defaultValue).toBe(30);
      const template = module.properties.template;
      expect(template.parameters.webhookUrl.type).toBe('securestring');
      const r = rule!.resource;
      expect(r).toMatchObject({ kind: 'LogAlert' });
      expect(r.properties).toMatchObject({
        severity: 1,
        evaluationFrequency: 'PT5M',
        autoMitigate: true,
        scopes: ["[parameters('appInsightsId')]"],
        actions: { actionGroups: ["[resourceId('Microsoft.Insights/actionGroups', parameters('actionGroupName'))]"] },
      });
      const condition = r.properties.criteria.allOf[0];
      expect(condition).toMatchObject({ query: "[variables('silentRegionsQuery')]", timeAggregation: 'Count', operator: 'GreaterThan', threshold: 0 });
      expect(condition.dimensions).toEqual([{ name: 'location', operator: 'Include', values: ['*'] }]);
      expect(template.variables.silentRegionsQuery).toContain(
        "format('let seen = availabilityResults | where timestamp > ago({0}m) | distinct location;', parameters('silenceMinutes'))",
      );
      expect(template.variables.silentRegionsQuery).toContain("format('let expected = dynamic({0});', string(parameters('regions')))");
      const g = group!.resource;
      expect(g.location).toBe('global');
      expect(g.properties.emailReceivers).toBe(
        "[if(empty(parameters('email')), createArray(), createArray(createObject('name', 'canary-email', 'emailAddress', parameters('email'), 'useCommonAlertSchema', true())))]",
      );
      expect(g.properties.webhookReceivers).toBe(
        "[if(empty(parameters('webhookUrl')), createArray(), createArray(createObject('name', 'canary-webhook', 'serviceUri', parameters('webhookUrl'), 'useCommonAlertSchema', true())))]",
      );
    });

    it('names the role definitions it grants with the built-in GUIDs', () => {
      for (const { template } of templates(main)) {
        if (template.variables?.roleIds) expect(template.variables.roleIds).toEqual(ROLE);
      }
    });
  });

  describe('build-params and snapshot of a three-region deployment', () => {
    let snap: Json;

    beforeAll(() => {
      const res = snapshot(paramsFile, {
        subscriptionId: SUBSCRIPTION,
        resourceGroup: RESOURCE_GROUP,
        location: 'swedencentral',
        tenantId: '55555555-5555-5555-5555-555555555555',
      });
      expect(res.status, res.stderr + res.stdout).toBe(0);
      snap = res.snapshot;
      // Only the Key Vault module stays unexpanded: its secret loop counts a secure object's entries,
      // which the snapshot does not know. Everything else below is evaluated.
      expect(snap.diagnostics).toHaveLength(1);
      expect(snap.diagnostics[0]).toMatch(/NestedDeploymentShortCircuited.*deployments\/canary-keyvault'.*azureOpenAiKeys/);
    });

    const ofType = (type: string): Json[] => snap.predictedResources.filter((r: Json) => r.type === type);
    const identityId = () => {
      const [uami] = ofType('Microsoft.ManagedIdentity/userAssignedIdentities');
      return uami.id as string;
    };

    it('builds the example and the test parameters files', () => {
      const example = buildParams(join(INFRA_DIR, 'main.bicepparam'));
      expect(example.status, example.stderr).toBe(0);
      expect(example.parameters.parameters.regions.value).toEqual(REGIONS);
      expect(example.parameters.parameters.schedule.value).toBe('0 */10 * * * *');
      const test = buildParams(paramsFile);
      expect(test.status, test.stderr).toBe(0);
      expect(test.parameters.parameters.regions.value).toHaveLength(3);
    });

    it('creates one Flex Consumption function app per region, each in its region, on Node 22', () => {
      const sites = ofType('Microsoft.Web/sites');
      expect(sites.map((s) => s.location)).toEqual(REGIONS);
      const plans = ofType('Microsoft.Web/serverfarms');
      expect(plans.map((p) => p.location)).toEqual(REGIONS);
      for (const plan of plans) expect(plan.sku).toEqual({ tier: 'FlexConsumption', name: 'FC1' });
      for (const site of sites) {
        expect(site.kind).toBe('functionapp,linux');
        expect(site.properties.functionAppConfig.runtime).toEqual({ name: 'node', version: '22' });
        expect(site.properties.functionAppConfig.scaleAndConcurrency).toEqual({ instanceMemoryMB: 2048, maximumInstanceCount: 40 });
        expect(site.properties.httpsOnly).toBe(true);
        expect(Object.keys(site.identity.userAssignedIdentities)).toEqual([identityId()]);
        expect(site.properties.keyVaultReferenceIdentity).toBe(identityId());
        expect(plans.map((p) => p.id)).toContain(site.properties.serverFarmId);
      }
      expect(new Set(plans.map((p) => p.id)).size).toBe(3);
      expect(snap.outputs.CANARY_FUNCTION_APP_NAMES).toEqual(sites.map((s) => s.name));
      expect(snap.outputs.SERVICE_CANARY_NAME).toBe(sites[0].name);
      expect(sites.map((s) => s.tags['azd-service-name'])).toEqual(['canary', undefined, undefined]);
    });

    it('signs people in with Entra ID in every region and serves the reports only there', () => {
      const auths = ofType('Microsoft.Web/sites/config').filter((c) => c.name.endsWith('/authsettingsV2'));
      expect(auths).toHaveLength(3);
      for (const a of auths) {
        const aad = a.properties.identityProviders.azureActiveDirectory;
        expect(aad.registration.clientId).toBe(AUTH_CLIENT_ID);
        // the snapshot leaves environment() unevaluated; the tenant is this deployment's
        expect(aad.registration.openIdIssuer).toBe("[format('{0}{1}/v2.0', environment().authentication.loginEndpoint, '55555555-5555-5555-5555-555555555555')]");
        expect(aad.registration.clientSecretSettingName).toBe('MICROSOFT_PROVIDER_AUTHENTICATION_SECRET');
        expect(aad.validation.defaultAuthorizationPolicy.allowedPrincipals).toEqual({ groups: [AUTH_GROUP] });
        expect(a.properties.globalValidation.requireAuthentication).toBe(true);
      }
      // (app settings stay unevaluated in the snapshot: they carry Key Vault module outputs; the compiled-JSON tests pin them)
      // the output stays an expression here (each app's host name is only known once deployed)
      expect(snap.outputs.CANARY_DASHBOARD_URLS).toMatch(/^\[createArray\(format\('https:\/\/\{0\}\/dashboard'/);
    });

    it('gives every region its own host storage and a distinct host id', () => {
      const sites = ofType('Microsoft.Web/sites');
      const hostIds = sites.map((s) => s.name.slice(0, 32));
      expect(new Set(hostIds).size).toBe(3);
      const accounts = ofType('Microsoft.Storage/storageAccounts');
      expect(accounts).toHaveLength(4); // reports + one host account per region
      for (const site of sites) {
        const host = accounts.filter((a) => a.location === site.location && a.name.startsWith('sthost'));
        expect(host).toHaveLength(1);
        // the package container lives in that region's host account
        expect(site.properties.functionAppConfig.deployment.storage.value).toContain(`'${host[0].name}'`);
        expect(ofType('Microsoft.Storage/storageAccounts/blobServices/containers').map((c) => c.name)).toContain(
          `${host[0].name}/default/app-package`,
        );
      }
      for (const a of accounts) {
        expect(a.properties).toMatchObject({
          allowBlobPublicAccess: false,
          allowSharedKeyAccess: false,
          minimumTlsVersion: 'TLS1_2',
          supportsHttpsTrafficOnly: true,
        });
      }
    });

    it('grants the identity every role it needs, on the right scopes', () => {
      const assignments = ofType('Microsoft.Authorization/roleAssignments');
      const uamiPrincipal = `[reference('${identityId()}', '2024-11-30').principalId]`;
      const grants = assignments
        .filter((a) => a.properties.principalId === uamiPrincipal)
        .map((a) => ({ role: a.properties.roleDefinitionId.split('/').pop(), scope: a.id }));
      const count = (role: string) => grants.filter((g) => g.role === role).length;
      expect(count(ROLE.storageBlobDataContributor)).toBe(1);
      expect(count(ROLE.storageBlobDelegator)).toBe(1);
      expect(count(ROLE.keyVaultSecretsUser)).toBe(1);
      expect(count(ROLE.monitoringMetricsPublisher)).toBe(1);
      expect(count(ROLE.storageBlobDataOwner)).toBe(3);
      expect(count(ROLE.storageQueueDataContributor)).toBe(3);
      expect(count(ROLE.storageTableDataContributor)).toBe(3);
      expect(count(ROLE.cognitiveServicesOpenAiUser)).toBe(2);

      const reports = ofType('Microsoft.Storage/storageAccounts').find((a) => a.name.startsWith('streports'));
      for (const role of [ROLE.storageBlobDataContributor, ROLE.storageBlobDelegator]) {
        expect(grants.find((g) => g.role === role)!.scope).toContain(`extensionResourceId('${reports.id}'`);
      }
      const [component] = ofType('Microsoft.Insights/components');
      expect(grants.find((g) => g.role === ROLE.monitoringMetricsPublisher)!.scope).toContain(`extensionResourceId('${component.id}'`);
      expect(grants.find((g) => g.role === ROLE.keyVaultSecretsUser)!.scope).toContain('/providers/Microsoft.KeyVault/vaults/kv-canary-');
      for (const account of OPENAI_ACCOUNTS) {
        const g = grants.filter((x) => x.role === ROLE.cognitiveServicesOpenAiUser && x.scope.startsWith(`[extensionResourceId('${account}'`));
        expect(g, account).toHaveLength(1);
      }
      for (const host of ofType('Microsoft.Storage/storageAccounts').filter((a) => a.name.startsWith('sthost'))) {
        const onHost = grants.filter((g) => g.scope.startsWith(`[extensionResourceId('${host.id}'`)).map((g) => g.role).sort();
        expect(onHost).toEqual([ROLE.storageBlobDataOwner, ROLE.storageQueueDataContributor, ROLE.storageTableDataContributor].sort());
      }
      const reader = assignments.filter((a) => a.properties.principalId === READER).map((a) => a.properties.roleDefinitionId.split('/').pop());
      expect(reader.sort()).toEqual([ROLE.storageBlobDataReader, ROLE.storageBlobDelegator].sort());
    });

    it('applies the retention days given as parameters to the lifecycle policy', () => {
      const [policy] = ofType('Microsoft.Storage/storageAccounts/managementPolicies');
      const rules = policy.properties.policy.rules;
      expect(rules.map((r: Json) => r.definition.actions.baseBlob)).toEqual([
        { tierToCool: { daysAfterModificationGreaterThan: 7 }, delete: { daysAfterModificationGreaterThan: 45 } },
        { delete: { daysAfterModificationGreaterThan: 45 } },
      ]);
      expect(rules.every((r: Json) => r.definition.filters.prefixMatch[0] === 'reports/')).toBe(true);
    });

    it('alerts per region with no availability result in the last 30 minutes, to the email and the monitor webhook', () => {
      const [rule] = ofType('Microsoft.Insights/scheduledQueryRules');
      const [group] = ofType('Microsoft.Insights/actionGroups');
      const [component] = ofType('Microsoft.Insights/components');
      expect(rule.properties.windowSize).toBe('PT30M');
      expect(rule.properties.scopes).toEqual([component.id]);
      expect(rule.properties.actions.actionGroups).toEqual([group.id]);
      expect(rule.properties.criteria.allOf[0].query).toBe(
        [
          `let expected = dynamic(${JSON.stringify(REGIONS)});`,
          'let seen = availabilityResults | where timestamp > ago(30m) | distinct location;',
          'print location = expected',
          '| mv-expand location to typeof(string)',
          '| join kind=leftanti seen on location',
        ].join('\n'),
      );
      expect(group.properties.emailReceivers).toEqual([{ name: 'canary-email', emailAddress: ALERT_EMAIL, useCommonAlertSchema: true }]);
      // the webhook is a secure parameter: the prediction keeps it an expression, so its value shows nowhere
      expect(group.properties.webhookReceivers).toMatch(/'serviceUri', parameters\('webhookUrl'\)/);
      expect(JSON.stringify(snap)).not.toContain(MONITOR_WEBHOOK);
    });

    it('never carries a secret value into the predicted resources or outputs', () => {
      const text = JSON.stringify(snap);
      for (const secret of SECRETS) expect(text).not.toContain(secret);
    });
  });

  describe('bicepconfig.json linter levels', () => {
    it('reports the important rules as errors', () => {
      mkdirSync(TEST_DIR, { recursive: true });
      const bad = join(TEST_DIR, 'bad.bicep');
      writeFileSync(
        bad,
        `@secure()
param password string = 'not-empty'
param unused string
var unusedVar = 1
output leaked string = password
output url string = 'https://management.azure.com/'
`,
      );
      const res = lint(bad, { config: join(INFRA_DIR, 'bicepconfig.json') });
      const errors = res.diagnostics.filter((d) => d.level === 'Error').map((d) => d.code);
      for (const code of [
        'no-unused-params',
        'no-unused-vars',
        'no-hardcoded-env-urls',
        'outputs-should-not-contain-secrets',
        'secure-parameter-default',
      ]) {
        expect(errors, code).toContain(code);
      }
      expect(res.status).not.toBe(0);
    });
  });
});
