// Queue mode in the Bicep (issue 22 §3): `mode = 'queue'` adds the probe queue and its poison queue on each region's
// host storage, the identity's queue role on both, the identity-based CANARY_QUEUE settings the prober's trigger and
// the planner read, and an Azure Monitor alert on probes moved to the poison queue; the default (`round`) deploys
// none of it. The compiled ARM JSON pins the expressions, `bicep snapshot` of one parameters file per mode the
// evaluated resources, and src/config/queueSettings.ts reads the settings the snapshot predicts.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { INFRA_DIR, ROOT, buildArm, ensureBicep, findDotnet, snapshot } from '../../scripts/bicep.mjs';
import { canaryMode, DEFAULT_QUEUE_NAME, loadQueueSettings, queueName } from '../../src/config/queueSettings.js';
import { poisonQueueName } from '../../src/queue/probeQueue.js';
import { writeMainParams, type Json } from './arm.js';

const dotnet = findDotnet();
const skipReason = dotnet.available ? '' : `dotnet not found (${dotnet.reason}): the Bicep CLI comes from NuGet`;

const QUEUE_DATA_CONTRIBUTOR = '974c5e8b-45b9-4653-ba55-5f855dd0fb88';
const REGIONS = ['swedencentral', 'eastus2'];
const AT = {
  subscriptionId: '22222222-2222-2222-2222-222222222222',
  resourceGroup: 'rg-canary-queue',
  location: 'swedencentral',
  tenantId: '55555555-5555-5555-5555-555555555555',
};

/** A two-region parameters file with one target and `extra` parameter lines. */
function writeParams(name: string, extra: string): string {
  return writeMainParams(
    name,
    `param environmentName = 'qtest'
param regions = ${JSON.stringify(REGIONS).replaceAll('"', "'")}
param targets = [
  { name: 'aoai', resource: 'aoai-x', deployment: 'gpt-realtime', flavour: 'azure-ga', auth: 'entra' }
]
${extra}
`,
  );
}

function snap(file: string): Json {
  const res = snapshot(file, AT);
  expect(res.status, res.stderr + res.stdout).toBe(0);
  return res.snapshot;
}

const ofType = (s: Json, type: string): Json[] => s.predictedResources.filter((r: Json) => r.type === type);
const settingsOf = (site: Json): Record<string, string> =>
  Object.fromEntries(site.properties.siteConfig.appSettings.map((a: Json) => [a.name, a.value]));
const queueRoleGrants = (s: Json): Json[] =>
  ofType(s, 'Microsoft.Authorization/roleAssignments').filter((a) => a.id.includes('/queueServices/default/queues/'));

describe.skipIf(!dotnet.available)(`queue mode in infra/main.bicep${skipReason ? ` (skipped: ${skipReason})` : ''}`, () => {
  let main: Json;
  let round: Json;
  let queue: Json;

  beforeAll(() => {
    const tool = ensureBicep();
    if (!tool.available) throw new Error(`Bicep CLI unavailable although dotnet is: ${tool.reason}`);
    const res = buildArm(join(INFRA_DIR, 'main.bicep'));
    expect(res.status, res.stderr).toBe(0);
    main = res.template;
    round = snap(writeParams('round-mode', ''));
    queue = snap(writeParams('queue-mode', "param mode = 'queue'\nparam queueName = 'fleet-probes'\nparam maximumInstanceCount = 200"));
  }, 300_000);

  it('takes the mode (round by default) and a queue name the code accepts, and bounds maximumInstanceCount to Flex', () => {
    expect(main.parameters.mode).toMatchObject({ type: 'string', defaultValue: 'round', allowedValues: ['round', 'queue'] });
    expect(canaryMode({})).toBe(main.parameters.mode.defaultValue);
    expect(main.parameters.queueName).toMatchObject({ defaultValue: DEFAULT_QUEUE_NAME, minLength: 3, maxLength: 56 });
    // the longest name the template allows is one the code accepts, one more is refused by both
    expect(queueName({ CANARY_QUEUE_NAME: 'q'.repeat(main.parameters.queueName.maxLength) })).toHaveLength(56);
    expect(() => queueName({ CANARY_QUEUE_NAME: 'q'.repeat(main.parameters.queueName.maxLength + 1) })).toThrow(
      /CANARY_QUEUE_NAME/,
    );
    expect(main.parameters.maximumInstanceCount).toMatchObject({ defaultValue: 40, minValue: 40, maxValue: 1000 });
    const passed = main.resources.regional.properties.parameters;
    expect(passed.mode.value).toBe("[parameters('mode')]");
    expect(passed.queueName.value).toBe("[parameters('queueName')]");
    expect(passed.maximumInstanceCount.value).toBe("[parameters('maximumInstanceCount')]");
    // the poison queue is named as the code (and the Functions host) name it
    const fn = main.functions[0].members.poisonQueueOf.output.value;
    expect(fn).toBe(`[format('${poisonQueueName('{0}')}', parameters('queueName'))]`);
  });

  it('compiles the queues, their role, the settings and the alert as conditions on queue mode', () => {
    const region = main.resources.regional.properties.template;
    expect(region.variables.queueMode).toBe("[equals(parameters('mode'), 'queue')]");
    for (const name of ['hostQueueService', 'probeQueues', 'probeQueueRoles']) {
      expect(region.resources[name].condition, name).toBe("[variables('queueMode')]");
    }
    expect(region.variables.queueSettings).toBe(
      "[if(variables('queueMode'), createObject('CANARY_QUEUE__queueServiceUri', variables('hostQueueUri'), 'CANARY_QUEUE__credential', 'managedidentity', 'CANARY_QUEUE__clientId', parameters('identityClientId'), 'CANARY_QUEUE_NAME', parameters('queueName')), createObject())]",
    );
    expect(region.resources.site.dependsOn).toContain('probeQueueRoles');
    const alerts = main.resources.monitorAlerts;
    expect(alerts.properties.parameters.poisonQueueName).toBe(
      "[if(equals(parameters('mode'), 'queue'), createObject('value', __bicep.poisonQueueOf(parameters('queueName'))), createObject('value', ''))]",
    );
    expect(alerts.properties.template.resources.poisonedProbes.condition).toBe("[not(empty(parameters('poisonQueueName')))]");
  });

  it('creates the probe queue and its poison queue on each host storage, in queue mode only', () => {
    const hosts = ofType(queue, 'Microsoft.Storage/storageAccounts').filter((a) => a.name.startsWith('sthost'));
    expect(hosts).toHaveLength(REGIONS.length);
    const queues = ofType(queue, 'Microsoft.Storage/storageAccounts/queueServices/queues').map((q) => q.name);
    expect(queues.sort()).toEqual(
      hosts.flatMap((h) => [`${h.name}/default/fleet-probes`, `${h.name}/default/fleet-probes-poison`]).sort(),
    );
    for (const host of hosts) {
      // no shared key on the account that holds them
      expect(host.properties.allowSharedKeyAccess).toBe(false);
    }
    expect(ofType(round, 'Microsoft.Storage/storageAccounts/queueServices/queues')).toEqual([]);
    expect(ofType(round, 'Microsoft.Storage/storageAccounts/queueServices')).toEqual([]);
  });

  it("grants the app's identity Storage Queue Data Contributor on each of those queues, in queue mode only", () => {
    const [uami] = ofType(queue, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    const principal = `[reference('${uami.id}', '2024-11-30').principalId]`;
    const queueIds = ofType(queue, 'Microsoft.Storage/storageAccounts/queueServices/queues').map((q) => q.id);
    const grants = queueRoleGrants(queue);
    expect(grants).toHaveLength(queueIds.length);
    for (const id of queueIds) {
      const [grant] = grants.filter((g) => g.id.startsWith(`[extensionResourceId('${id}', `));
      expect(grant, id).toBeDefined();
      expect(grant.properties).toMatchObject({ principalId: principal, principalType: 'ServicePrincipal' });
      expect(grant.properties.roleDefinitionId.split('/').pop()).toBe(QUEUE_DATA_CONTRIBUTOR);
    }
    expect(queueRoleGrants(round)).toEqual([]);
  });

  it("sets CANARY_MODE and the identity-based queue connection the code reads (round: the mode only)", () => {
    const [uami] = ofType(queue, 'Microsoft.ManagedIdentity/userAssignedIdentities');
    const clientId = `[reference('${uami.id}', '2024-11-30').clientId]`;
    for (const site of ofType(queue, 'Microsoft.Web/sites')) {
      const s = settingsOf(site);
      const host = ofType(queue, 'Microsoft.Storage/storageAccounts').find(
        (a) => a.location === site.location && a.name.startsWith('sthost'),
      );
      expect(s).toMatchObject({
        CANARY_MODE: 'queue',
        CANARY_QUEUE_NAME: 'fleet-probes',
        CANARY_QUEUE__credential: 'managedidentity',
        CANARY_QUEUE__clientId: clientId,
        CANARY_QUEUE__queueServiceUri: `[format('https://{0}.queue.{1}/', '${host.name}', environment().suffixes.storage)]`,
      });
      expect(s).not.toHaveProperty('CANARY_QUEUE'); // never a connection string in Azure
      // what the planner's settings make of them, with the suffix and the identity filled in as Azure would
      const env = {
        ...s,
        CANARY_QUEUE__queueServiceUri: `https://${host.name}.queue.core.windows.net/`,
        CANARY_QUEUE__clientId: '11111111-1111-1111-1111-111111111111',
      };
      expect(loadQueueSettings(env, canaryMode(env))).toMatchObject({
        name: 'fleet-probes',
        connection: { kind: 'service-url', serviceUrl: env.CANARY_QUEUE__queueServiceUri, clientId: env.CANARY_QUEUE__clientId },
      });
      expect(site.properties.functionAppConfig.scaleAndConcurrency).toEqual({ instanceMemoryMB: 2048, maximumInstanceCount: 200 });
    }
    for (const site of ofType(round, 'Microsoft.Web/sites')) {
      const s = settingsOf(site);
      expect(s.CANARY_MODE).toBe('round');
      expect(Object.keys(s).filter((k) => k.startsWith('CANARY_QUEUE'))).toEqual([]);
      expect(site.properties.functionAppConfig.scaleAndConcurrency.maximumInstanceCount).toBe(40);
    }
  });

  it('alerts per function app on probes the host moved to the poison queue, through the action group, in queue mode only', () => {
    const rules = ofType(queue, 'Microsoft.Insights/scheduledQueryRules');
    expect(rules.map((r) => r.name.replace(/-[a-z0-9]+$/, '')).sort()).toEqual(['alert-canary-poison', 'alert-canary-silent']);
    const rule = rules.find((r) => r.name.startsWith('alert-canary-poison-'))!;
    const [component] = ofType(queue, 'Microsoft.Insights/components');
    const [group] = ofType(queue, 'Microsoft.Insights/actionGroups');
    expect(rule.properties).toMatchObject({
      severity: 2,
      evaluationFrequency: 'PT5M',
      windowSize: 'PT15M',
      autoMitigate: true,
      scopes: [component.id],
      actions: { actionGroups: [group.id] },
    });
    const [condition] = rule.properties.criteria.allOf;
    // the host's own line for each message it moves: "Message has reached MaxDequeueCount of 2. Moving message to queue '<poison>'."
    expect(condition.query).toBe(
      [
        'traces',
        `| where message has "MaxDequeueCount" and message contains "Moving message to queue '${poisonQueueName('fleet-probes')}'"`,
        '| summarize poisoned = sum(itemCount) by cloud_RoleName',
      ].join('\n'),
    );
    expect(condition).toMatchObject({ timeAggregation: 'Total', metricMeasureColumn: 'poisoned', operator: 'GreaterThan', threshold: 0 });
    expect(condition.dimensions).toEqual([{ name: 'cloud_RoleName', operator: 'Include', values: ['*'] }]);
    // the host's maxDequeueCount the description and docs speak of
    const host = JSON.parse(readFileSync(join(ROOT, 'host.json'), 'utf8'));
    expect(host.extensions.queues.maxDequeueCount).toBe(2);
    expect(ofType(round, 'Microsoft.Insights/scheduledQueryRules').map((r) => r.name)).toEqual([
      expect.stringMatching(/^alert-canary-silent-/),
    ]);
  });

  it("is described in docs/deploy.md's queue-mode section and runbook under the names the template deploys", () => {
    const deploy = readFileSync(join(ROOT, 'docs/deploy.md'), 'utf8');
    const section = deploy.split('\n## Queue mode\n')[1];
    expect(section, 'a "## Queue mode" section').toBeDefined();
    for (const name of ["mode = 'queue'", 'maximumInstanceCount', 'CANARY_QUEUE__queueServiceUri', DEFAULT_QUEUE_NAME]) {
      expect(section, name).toContain(name);
    }
    const runbook = deploy.split('### Runbook: what each card means and what to do first')[1]!.split('\n### ')[0]!;
    expect(runbook).toContain('Azure Monitor `alert-canary-poison-…`');
  });
});
