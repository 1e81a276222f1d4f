/**
 * The hostile world (./hostileWorld.test.ts), second pass, for what a misbehaving sink or store must not lose: the
 * real handler with a real InvocationContext, Azurite behind a TCP proxy (black hole) or an HTTP proxy answering
 * as Azure Storage does (403 while a role assignment propagates, a storm of 412s), a webhook that never answers.
 * Asserted: every run's index line and verdict are written or spooled whatever a notification does; a 412 storm
 * spools the verdict; two rounds of 403 lose nothing; a black-holed store does not stop the round probing.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunningSimulator } from '../../src/sim/index.js';
import type { RunSummary } from '../../src/runSummary.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import { withSpool } from '../../src/store/spool.js';
import { StoreUnavailableError } from '../../src/store/artifactStore.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { AZURITE_ACCOUNT, AZURITE_KEY, startAzurite, type Azurite } from '../helpers/azurite.js';
import { startStorageFaults, type StorageFaults } from '../helpers/storageFaults.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { allBlobs, invoke, SIM_KEY, startShortSim } from './roundFixture.js';

let azurite: Azurite;
let proxy: TcpProxy;
let faults: StorageFaults;
let hook: WebhookReceiver;
let sim: RunningSimulator;
beforeAll(async () => {
  [azurite, hook, sim] = await Promise.all([startAzurite(), startWebhookReceiver(), startShortSim()]);
  [proxy, faults] = await Promise.all([startTcpProxy(azurite.port), startStorageFaults(azurite.port)]);
});
afterAll(async () =>
  Promise.all([azurite?.stop(), hook?.close(), sim?.close(), proxy?.close(), faults?.close(), cleanupTempDirs()]),
);

const through = (port: number): string =>
  `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT};AccountKey=${AZURITE_KEY};BlobEndpoint=http://127.0.0.1:${port}/${AZURITE_ACCOUNT};`;

const target = (name: string, scenario: 'fast' | 'gap', group?: string): object => ({
  name,
  endpoint: sim.url('azure-ga', { scenario }),
  auth: 'api-key',
  secretSetting: 'SIM_KEY',
  ...(group ? { group } : {}),
});

async function env(region: string, port: number, over: Record<string, string> = {}): Promise<Record<string, string>> {
  return {
    SIM_KEY,
    CANARY_REGION: region,
    CANARY_STORAGE_CONNECTION_STRING: through(port),
    CANARY_TURNS: '1',
    CANARY_PROMPTS: 'count-to-twenty',
    CANARY_TURN_TIMEOUT_MS: '8000',
    CANARY_SESSION_TIMEOUT_MS: '12000',
    CANARY_WEBHOOK_URL: hook.url,
    CANARY_WEBHOOK_FORMAT: 'json',
    CANARY_ROUND_DEADLINE_MS: '20000',
    CANARY_STORAGE_TIMEOUT_MS: '10000',
    CANARY_ALERT_RULE: '1/3',
    CANARY_CONFIRM_RETRIES: '0',
    CANARY_SPOOL_DIR: await tempDir('rc-sinks-spool-'),
    CANARY_TARGETS: JSON.stringify([target('azure-fc', 'gap')]),
    ...over,
  };
}

/** The index lines of one run, read from Azurite directly. */
async function indexLines(runId: string): Promise<RunSummary[]> {
  return [...(await allBlobs(azurite.connectionString))]
    .filter(([k]) => k.startsWith('index/'))
    .flatMap(([, b]) => b.toString().trim().split('\n'))
    .map((l) => JSON.parse(l) as RunSummary)
    .filter((s) => s.runId === runId);
}

async function stateOf(region: string, name: string): Promise<AlertState | undefined> {
  const b = (await allBlobs(azurite.connectionString)).get(`state/${region}/${name}.json`);
  return b && (JSON.parse(b.toString()) as AlertState);
}

describe('a hostile world: sinks and the store', () => {
  it('a webhook that never answers, 8 failing targets, a 120 s deadline: every target has its index line and verdict', async () => {
    proxy.mode('pass');
    const names = Array.from({ length: 8 }, (_, i) => `failing-${i + 1}`);
    const region = 'hung-hook';
    const e = await env(region, proxy.port, {
      CANARY_ROUND_DEADLINE_MS: '120000',
      CANARY_CONCURRENCY: '8',
      CANARY_TARGETS: JSON.stringify(names.map((n) => target(n, 'gap', 'one-group'))),
    });
    hook.script((r) => (r.body.includes(`"region":"${region}"`) ? { hang: true } : { status: 202 }));
    try {
      const r = await invoke(e);
      expect(r.result.outcomes.map((o) => o.summary.verdict)).toEqual(names.map(() => 'fail'));
      expect(r.logs.join('\n')).not.toMatch(/(index|verdicts) sink failed/);
      expect([...new Set((await indexLines(r.result.runId)).map((s) => s.target))].sort()).toEqual(names);
      for (const n of names) expect((await stateOf(region, n))?.recent.map((x) => x.runId)).toContain(r.result.runId);
      // the notifications were tried (and hung), after the durable writes
      const tried = hook.requests.filter((q) => q.body.includes(`"region":"${region}"`));
      expect(new Set(tried.map((q) => q.json<{ target: string }>().target)).size).toBeGreaterThan(0);
    } finally {
      hook.script(undefined);
    }
  }, 240_000);

  it('a conditional-write storm (every If-Match answered 412) spools the verdict like an outage; the next round applies it', async () => {
    const region = 'storm-412';
    const e = await env(region, faults.port, { CANARY_ROUND_DEADLINE_MS: '60000' });
    faults.fault((r) => (r.conditional ? 412 : undefined));
    const stormy = await invoke(e);
    faults.fault(undefined);
    expect(faults.answered.get(412)).toBeGreaterThanOrEqual(30);
    // Which write meets the storm first depends on timing: either the verdict's own write gives up
    // ('still conflicting'), or an earlier one already marked the store unavailable. Both spool it.
    expect(stormy.logs.join('\n')).toMatch(
      /alert state of azure-fc unreachable \(.*(still conflicting|storage unavailable).*verdict is spooled/,
    );
    expect(await readdir(join(e.CANARY_SPOOL_DIR!, 'verdicts', region, 'azure-fc'))).toHaveLength(1);

    const calm = await invoke(e);
    const state = await stateOf(region, 'azure-fc');
    expect(state?.recent.map((x) => x.runId)).toEqual([stormy.result.runId, calm.result.runId]);
    expect(calm.logs.join('\n')).toMatch(/1 verdict\(s\) recorded during a storage outage applied/);
  }, 180_000);

  it('403 for two rounds (a role assignment propagating): nothing is dead-lettered, and the first run has all its blobs and its index line once storage answers', async () => {
    const region = 'refused-403';
    const e = await env(region, faults.port);
    faults.fault(() => 403);
    const first = await invoke(e);
    const second = await invoke(e);
    faults.fault(undefined);
    expect(second.logs.join('\n')).toMatch(/flush-stopped .*403/);
    expect(await readdir(join(e.CANARY_SPOOL_DIR!, 'dead')).catch(() => [])).toEqual([]);
    const third = await invoke(e);
    expect(third.result.spoolDeadLetters ?? 0).toBe(0);

    const blobs = [...(await allBlobs(azurite.connectionString)).keys()];
    const files = (runId: string): string[] =>
      blobs
        .filter((k) => k.includes(`/${runId}/${region}/`))
        .map((k) => k.slice(k.lastIndexOf('/') + 1))
        .sort();
    expect(files(first.result.runId).length).toBeGreaterThan(2);
    expect(files(first.result.runId)).toEqual(files(third.result.runId)); // report.json, report.html, trace, audio…
    for (const run of [first, second])
      expect((await indexLines(run.result.runId)).map((s) => s.target)).toEqual(['azure-fc']);
    const state = await stateOf(region, 'azure-fc');
    expect(state?.recent.map((x) => x.runId)).toEqual([first, second, third].map((r) => r.result.runId));
  }, 180_000);

  it('a black-holed store with a 30 s round deadline and a 20 s storage timeout: the round still probes every target', async () => {
    const region = 'black-hole';
    const e = await env(region, proxy.port, {
      CANARY_ROUND_DEADLINE_MS: '30000',
      CANARY_STORAGE_TIMEOUT_MS: '20000',
      CANARY_TARGETS: JSON.stringify([target('azure-fc', 'gap'), target('healthy', 'fast')]),
    });
    // an earlier outage left writes in the spool: their upload must not stand in front of the probes either
    const earlier = withSpool(
      {
        ...createLocalStore(await tempDir('rc-unused-')),
        put: () => Promise.reject(new StoreUnavailableError('put', 'x')),
      },
      e.CANARY_SPOOL_DIR!,
    );
    for (let i = 0; i < 3; i++) await earlier.put(`runs/earlier/${i}.json`, '{}', 'application/json');
    proxy.mode('hang');
    try {
      const r = await invoke(e);
      expect(r.result.notProbed).toEqual([]);
      expect(Object.fromEntries(r.result.outcomes.map((o) => [o.summary.target, o.summary.verdict]))).toEqual({
        'azure-fc': 'fail',
        healthy: 'pass',
      });
      expect(r.logs.join('\n')).toMatch(/spend ledger .* is unavailable .*; probing without recording the spend/);

      // with a daily cap the unknown ledger is a logged, conservative decision: what a cap covers is not probed
      const capped = await invoke({ ...e, CANARY_DAILY_BUDGET_USD: '50' });
      expect(capped.result.notProbed.map((n) => n.reason)).toEqual([
        expect.stringMatching(/^not probed: budget \(the spend ledger .* is unavailable/),
        expect.stringMatching(/^not probed: budget/),
      ]);
      expect(capped.logs.join('\n')).toMatch(
        /2 target\(s\) under a spending cap not probed this round \(a cap that cannot be checked is treated as reached\)/,
      );
    } finally {
      proxy.mode('pass');
    }
  }, 180_000);
});
