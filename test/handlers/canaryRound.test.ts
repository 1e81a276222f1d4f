/**
 * The scheduled canary end to end: the timer handler with a real InvocationContext, simulator targets,
 * real Azurite for artifacts and alert state, a real HTTP receiver for the Teams webhook.
 */
import { strFromU8, unzipSync } from 'fflate';
import { describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import { deadStorageConnectionString } from '../helpers/azurite.js';
import type { RunSummary } from '../../src/runSummary.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import { parseEvents } from '../../src/trace/traceFile.js';
import { BlobServiceClient } from '@azure/storage-blob';
import { allBlobs, CONTAINER, invoke, SIM_KEY, useRoundWorld } from './roundFixture.js';

const body = (text: string): [string, number] => [text, Buffer.byteLength(text)];

const world = useRoundWorld();

function targets(badScenario: string): string {
  return JSON.stringify([
    {
      name: 'openai-direct',
      endpoint: world.sim.url('openai-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
      baseline: true,
    },
    {
      name: 'azure-fc',
      endpoint: world.sim.url('azure-ga', { scenario: badScenario }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
    },
  ]);
}

const env = (over: Record<string, string> = {}): Promise<Record<string, string>> =>
  world.env({ CANARY_REGION: 'swedencentral', ...over });

const at = (iso: string) => () => new Date(iso);
type Card = { attachments: { content: { body: { text?: string }[] } }[] };
const cardText = (body: string): string => JSON.stringify((JSON.parse(body) as Card).attachments[0]!.content);

describe('scheduled canary round', () => {
  it('alerts once after 2 failing runs of 3, reminds after 6 h, recovers with a reference to the opening alert', async () => {
    const e = await env();
    const r1 = await invoke({ ...e, CANARY_TARGETS: targets('gap') }, { now: at('2026-11-24T08:00:00Z') });
    expect(r1.result.outcomes.map((o) => [o.summary.target, o.summary.verdict])).toEqual([
      ['openai-direct', 'pass'],
      ['azure-fc', 'fail'],
    ]);
    expect(world.hook.requests).toHaveLength(0); // 1 of 3 failing: no alert yet

    const blobs = await allBlobs(world.azurite.connectionString);
    const dir = [...blobs.keys()].find((k) => k.endsWith('/azure-fc/report.json'))!.replace('report.json', '');
    expect(dir).toMatch(/^runs\/2026\/11\/24\/[^/]+\/swedencentral\/azure-fc\/$/);
    for (const f of ['events.jsonl.gz', 'turn-1.wav', 'prompt-1.wav', 'report.json', 'report.html', 'evidence.zip'])
      expect(blobs.has(dir + f)).toBe(true);
    // the evidence download is published beside the report, ready for a support case
    const zip = unzipSync(new Uint8Array(blobs.get(dir + 'evidence.zip')!));
    expect(Object.keys(zip).sort()).toEqual([
      'events.jsonl',
      'prompt-1.wav',
      'report.json',
      'support-summary.txt',
      'turn-1.wav',
    ]);
    expect(strFromU8(zip['support-summary.txt']!)).toMatch(/sess_/);
    const html1 = blobs.get(dir + 'report.html')!.toString();
    expect(html1).toContain('href="evidence.zip"');
    expect(html1).toContain('../../../../../../../index.html'); // the dashboard at the container root
    const events = parseEvents(gunzipSync(blobs.get(dir + 'events.jsonl.gz')!).toString('utf8'));
    expect(events.meta.target.name).toBe('azure-fc');
    const report = JSON.parse(blobs.get(dir + 'report.json')!.toString()) as {
      verdict: string;
      comparison: { message: string }[];
    };
    expect(report.comparison[0]!.message).toMatch(
      /azure-fc: 1 of 1 turns with silent gaps \(max 2\.\d s\); baseline openai-direct: 0 of 1 — the hosting layer is the likely cause/,
    );
    const index = blobs
      .get('index/2026-11-24.jsonl')!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunSummary);
    expect(index.map((s) => s.target).sort()).toEqual(['azure-fc', 'openai-direct']);
    expect(JSON.parse(blobs.get('latest/swedencentral/azure-fc.json')!.toString()).verdict).toBe('fail');

    await invoke({ ...e, CANARY_TARGETS: targets('gap') }, { now: at('2026-11-24T08:10:00Z') });
    expect(world.hook.requests).toHaveLength(1);
    // the second run's report links to the first one (its `latest/` summary before this run)
    const firstRun = dir.split('/')[4]!;
    const blobs2 = await allBlobs(world.azurite.connectionString);
    const second = [...blobs2.keys()].find((k) => k.endsWith('/azure-fc/report.html') && !k.startsWith(dir))!;
    expect(blobs2.get(second)!.toString()).toContain(`../../${firstRun}/swedencentral/azure-fc/report.html`);
    const alert = cardText(world.hook.requests[0]!.body);
    expect(alert).toContain('swedencentral');
    expect(alert).toContain('silent_gap');
    expect(alert).toContain('hosting layer');

    await invoke({ ...e, CANARY_TARGETS: targets('gap') }, { now: at('2026-11-24T08:20:00Z') });
    expect(world.hook.requests).toHaveLength(1); // still open: no duplicate

    await invoke({ ...e, CANARY_TARGETS: targets('gap') }, { now: at('2026-11-24T14:30:00Z') });
    expect(world.hook.requests).toHaveLength(2);
    expect(cardText(world.hook.requests[1]!.body).toLowerCase()).toContain('still');

    for (const t of ['14:40', '14:50', '15:00'])
      await invoke({ ...e, CANARY_TARGETS: targets('fast') }, { now: at(`2026-11-24T${t}:00Z`) });
    expect(world.hook.requests).toHaveLength(3);
    const recovery = cardText(world.hook.requests[2]!.body);
    expect(recovery.toLowerCase()).toContain('recover');
    expect(recovery).toContain('08:10'); // refers to the opening alert

    // no secret in any blob or card: the simulator key, the webhook URL and its signature
    const everything =
      [...(await allBlobs(world.azurite.connectionString)).values()]
        .map((b) => (b[0] === 0x1f ? gunzipSync(b) : b).toString('latin1'))
        .join('\n') + world.hook.requests.map((r) => r.body).join('\n');
    for (const secret of [SIM_KEY, world.hook.url, world.hook.secret]) expect(everything).not.toContain(secret);
  }, 120_000);

  it('spools artifacts while storage is down and uploads them on the next run', async () => {
    const e = await env({ CANARY_ALERT_RULE: '1/1', CANARY_REGION: 'francecentral' });
    const down = await invoke({
      ...e,
      CANARY_TARGETS: targets('fast'),
      CANARY_STORAGE_CONNECTION_STRING: deadStorageConnectionString(1),
    });
    expect(down.logs.join('\n')).toMatch(/spool/);
    const before = await allBlobs(world.azurite.connectionString);
    expect([...before.keys()].some((k) => k.includes('/francecentral/'))).toBe(false);
    const up = await invoke({ ...e, CANARY_TARGETS: targets('fast') });
    const after = await allBlobs(world.azurite.connectionString);
    const firstRun = down.result.runId;
    expect(
      [...after.keys()].filter((k) => k.includes(`/${firstRun}/francecentral/`) && k.endsWith('report.json')),
    ).toHaveLength(2);
    expect(up.logs.join('\n')).toMatch(/uploaded/);
  }, 120_000);

  it('retries a webhook answering 429 and delivers on the next attempt', async () => {
    const e = await env({ CANARY_ALERT_RULE: '1/1', CANARY_REGION: 'eastus2' });
    const before = world.hook.requests.length;
    world.hook.reply({ status: 429, headers: { 'retry-after': '1' } }, { status: 202 });
    const r = await invoke({ ...e, CANARY_TARGETS: targets('gap') });
    expect(world.hook.requests.length - before).toBe(2);
    expect(r.result.notificationsDelivered).toBe(1);
    expect(r.result.notificationsPending).toBe(0);
  }, 60_000);

  it('two overlapping handlers updating the same alert state lose nothing', async () => {
    const e = await env({ CANARY_REGION: 'westus3' });
    const [a, b] = await Promise.all([
      invoke({ ...e, CANARY_TARGETS: targets('gap') }),
      invoke({ ...e, CANARY_TARGETS: targets('gap') }),
    ]);
    const blobs = await allBlobs(world.azurite.connectionString);
    const state = JSON.parse(blobs.get('state/westus3/azure-fc.json')!.toString()) as AlertState;
    expect(state.recent.map((r) => r.runId).sort()).toEqual([a.result.runId, b.result.runId].sort());
    expect(state.open).toBeDefined(); // 2 of 3 failing across the two concurrent runs
  }, 60_000);

  it('reads the targets from a config blob when CANARY_CONFIG_BLOB is set, naming the blob when it is bad', async () => {
    const e = await env({ CANARY_REGION: 'norwayeast' });
    const store = BlobServiceClient.fromConnectionString(world.azurite.connectionString).getContainerClient(CONTAINER);
    await store.createIfNotExists();
    await store
      .getBlockBlobClient('config/canary.json')
      .upload(...body(JSON.stringify({ targets: JSON.parse(targets('fast')) })));
    const r = await invoke({ ...e, CANARY_TARGETS: '', CANARY_CONFIG_BLOB: 'config/canary.json' });
    expect(r.result.outcomes.map((o) => o.summary.target).sort()).toEqual(['azure-fc', 'openai-direct']); // published in the order the probes end
    await store.getBlockBlobClient('config/bad.json').upload(...body('{"targets": [{"name": "x"}]}'));
    await expect(invoke({ ...e, CANARY_TARGETS: '', CANARY_CONFIG_BLOB: 'config/bad.json' })).rejects.toThrow(
      /config\/bad\.json targets\[0\]\.auth|config\/bad\.json targets\[0\]\.endpoint/,
    );
    await expect(invoke({ ...e, CANARY_TARGETS: '', CANARY_CONFIG_BLOB: 'config/missing.json' })).rejects.toThrow(
      /CANARY_CONFIG_BLOB: no blob at "config\/missing\.json"/,
    );
  }, 60_000);

  it('does not start sessions the round deadline cannot fit, and reports them as not probed', async () => {
    const e = await env({
      CANARY_REGION: 'brazilsouth',
      CANARY_ROUND_DEADLINE_MS: '5000',
      CANARY_TURN_TIMEOUT_MS: '15000',
    });
    const r = await invoke({ ...e, CANARY_TARGETS: targets('fast') });
    expect(r.result.outcomes).toHaveLength(0);
    expect(r.result.notProbed.map((n) => n.target).sort()).toEqual(['azure-fc', 'openai-direct']);
    // the round fits one 3-turn session in 2 s of probe window (./roundFit.ts): the other is "round full" at once
    const isFull = (n: { reason: string }): boolean => n.reason.includes('round full');
    const [late, full] = [r.result.notProbed.find((n) => !isFull(n)), r.result.notProbed.find(isFull)];
    expect(late!.reason).toMatch(/less than one turn's deadline/);
    expect(full!.reason).toMatch(/^not probed: round full \(2 targets due, the round fits about 1;/);
    expect(r.logs.join('\n')).toMatch(new RegExp(`error: target ${late!.target} not probed`));
    expect(r.logs.join('\n')).toMatch(
      new RegExp(`round full: 1 of 2 due target\\(s\\) not probed this round \\(${full!.target}\\)`),
    );
  });

  it('names the field of a bad configuration', async () => {
    const e = await env();
    await expect(
      invoke({
        ...e,
        CANARY_TARGETS: '[{"name":"x","endpoint":"ws://h/v1/realtime","auth":"api-key","apiKey":"sk-inline"}]',
      }),
    ).rejects.toThrow(/CANARY_TARGETS\[0\]\.apiKey: secrets are not allowed inline/);
    await expect(invoke({ ...e, CANARY_TARGETS: targets('fast'), CANARY_SCHEDULE: '*/5 * * * *' })).rejects.toThrow(
      /CANARY_SCHEDULE: must have six fields/,
    );
  });
});
