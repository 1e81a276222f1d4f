/**
 * Session budgets: the counter (any 60 s counted exactly, whatever order claims come in; any 24 h in whole hours),
 * which budgets a target counts against (its deployment and key, the smallest override winning, shipped defaults
 * only for real providers), and the ledger over a real store — local folder and Azurite — where ledgers of
 * several processes claiming at once never start more sessions than a budget allows, a refused claim gives back
 * what it took, and a store that does not answer leaves the process counting its own claims.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_DEPLOYMENT_BUDGET, type QuotaSettings } from '../../src/config/quotaBudgets.js';
import { parseTargets, type TargetConfig } from '../../src/config/targets.js';
import type { ArtifactStore } from '../../src/store/artifactStore.js';
import { createBlobStore } from '../../src/store/blobStore.js';
import { quotaCounterPath } from '../../src/store/layout.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { QuotaLedger } from '../../src/runner/quota.js';
import { busiestMinute, claimedInDay, claimIn, releaseIn, type QuotaCounter } from '../../src/runner/quotaCounter.js';
import { quotaScopes } from '../../src/runner/quotaScopes.js';
import { startAzurite, type Azurite } from '../helpers/azurite.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';

const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const NO_SETTINGS: QuotaSettings = { deployment: {}, key: {} };
const azure = (name: string, extra: Record<string, unknown> = {}): Record<string, unknown> => ({
  name,
  resource: 'contoso-sweden',
  deployment: 'gpt-realtime',
  auth: 'api-key',
  secretSetting: 'AOAI_KEY',
  ...extra,
});
const targetsOf = (...raw: Record<string, unknown>[]): TargetConfig[] => parseTargets(JSON.stringify(raw));

function claimAll(c: QuotaCounter | undefined, times: number[], perMinute: number): { c: QuotaCounter; ok: number[] } {
  const ok: number[] = [];
  let cur = c;
  for (const t of times) {
    const r = claimIn(cur, t, { perMinute });
    if ('counter' in r) {
      cur = r.counter;
      ok.push(t);
    }
  }
  return { c: cur!, ok };
}

describe('the counter', () => {
  it('never lets any 60 s hold more than the per-minute budget, claims in any order', () => {
    // claims at every 5 s over 3 minutes, in a shuffled order (a planner claims ahead, probers late)
    const times = Array.from({ length: 36 }, (_, i) => T0 + i * 5_000);
    const shuffled = times.map((t, i) => times[(i * 17) % 36]!);
    const { ok } = claimAll(undefined, shuffled, 3);
    const sorted = [...ok].sort((a, b) => a - b);
    for (let s = T0 - 60_000; s <= T0 + 180_000; s += 1_000)
      expect(sorted.filter((t) => t >= s && t < s + 60_000).length).toBeLessThanOrEqual(3);
    expect(ok.length).toBeGreaterThanOrEqual(9); // three a minute over three minutes did fit
  });

  it('says from when a refused start would fit', () => {
    const { c } = claimAll(undefined, [T0, T0 + 10_000], 2);
    const r = claimIn(c, T0 + 20_000, { perMinute: 2 });
    expect('refusal' in r && r.refusal).toEqual({
      reason: '2 of 2 session(s) per minute already started',
      retryAt: T0 + 60_000,
    });
    expect('counter' in claimIn(c, T0 + 60_000, { perMinute: 2 })).toBe(true);
    expect(busiestMinute(c.recent, T0 + 30_000)).toBe(2);
  });

  it('counts any 24 h in whole hours and forgets older ones', () => {
    let c: QuotaCounter | undefined;
    for (let h = 0; h < 30; h++) {
      const r = claimIn(c, T0 + h * 3_600_000, { perDay: 1_000 });
      if (!('counter' in r)) throw new Error('refused');
      c = r.counter;
    }
    expect(claimedInDay(c!.hours, T0 + 29 * 3_600_000)).toBe(24);
    const refused = claimIn(c, T0 + 29 * 3_600_000 + 1, { perDay: 24 });
    expect('refusal' in refused && refused.refusal.reason).toBe('24 of 24 session(s) per day already started');
    expect(Object.keys(c!.hours).length).toBeLessThanOrEqual(48);
  });

  it('gives a claim back', () => {
    const { c } = claimAll(undefined, [T0, T0 + 1_000], 5);
    const back = releaseIn(c, T0 + 1_000);
    expect(back.recent).toEqual([T0]);
    expect(claimedInDay(back.hours, T0)).toBe(1);
  });
});

describe('which budgets a target counts against', () => {
  it("shares a deployment's and a key's budget between targets, the smallest override winning", () => {
    const targets = targetsOf(
      azure('a'),
      azure('b', { maxSessionsPerMinute: 5, transport: 'both' }),
      azure('c', { maxSessionsPerMinute: 4, deployment: 'gpt-realtime-mini' }),
      azure('d', { secretSetting: 'OTHER_KEY', keyMaxSessionsPerDay: 50 }),
    );
    const s = quotaScopes(targets, NO_SETTINGS);
    const dep = (n: string) => s.get(n)!.find((x) => x.kind === 'deployment')!;
    const key = (n: string) => s.get(n)!.find((x) => x.kind === 'key')!;
    expect(dep('a').id).toBe('contoso-sweden.openai.azure.com/gpt-realtime');
    expect(dep('b-webrtc').id).toBe(dep('a').id);
    expect(dep('a').budget).toEqual({ perMinute: 5, perDay: DEFAULT_DEPLOYMENT_BUDGET.perDay });
    expect(dep('c').budget.perMinute).toBe(4);
    expect(key('a').label).toBe('key AOAI_KEY');
    expect(key('a').budget).toEqual({ perMinute: 100 }); // Azure documents no daily limit
    expect(key('d').budget).toEqual({ perMinute: 100, perDay: 50 });
  });

  it('takes the global settings over the shipped defaults, a daily default on OpenAI keys, none on loopback', () => {
    const targets = targetsOf(
      azure('a'),
      { name: 'o', deployment: 'gpt-realtime', auth: 'bearer', secretSetting: 'OPENAI_KEY' },
      { name: 'sim', endpoint: 'ws://127.0.0.1:8765/openai/v1/realtime?model=m', auth: 'none' },
      { name: 'e', resource: 'contoso-fr', deployment: 'gpt-realtime', auth: 'entra' },
    );
    const s = quotaScopes(targets, { deployment: { perMinute: 7 }, key: { perDay: 9_000 } });
    expect(s.get('a')!.map((x) => x.budget)).toEqual([
      { perMinute: 7, perDay: 2_000 },
      { perMinute: 100, perDay: 9_000 },
    ]);
    expect(s.get('o')!.map((x) => [x.kind, x.budget])).toEqual([
      ['deployment', { perMinute: 7, perDay: 2_000 }],
      ['key', { perMinute: 100, perDay: 9_000 }],
    ]);
    expect(quotaScopes(targets, NO_SETTINGS).get('o')![1]!.budget.perDay).toBe(800);
    // the simulator: explicit settings apply, shipped defaults do not; no key without auth
    expect(s.get('sim')!.map((x) => [x.kind, x.budget])).toEqual([['deployment', { perMinute: 7 }]]);
    expect(quotaScopes(targets, NO_SETTINGS).get('sim')![0]!.budget).toEqual({});
    expect(s.get('e')![1]!.id).toBe('entra:contoso-fr.openai.azure.com');
  });
});

/** A store that never answers (a black-holed account). */
const hungStore = (inner: ArtifactStore): ArtifactStore => ({
  ...inner,
  description: 'hung',
  updateJson: () => new Promise(() => undefined),
});

function ledgerTests(name: string, storeOf: () => ArtifactStore): void {
  describe(`the ledger on ${name}`, () => {
    const targets = targetsOf(
      azure('a', { maxSessionsPerMinute: 3, keyMaxSessionsPerMinute: 4 }),
      azure('b'),
      azure('other-key', { deployment: 'gpt-realtime-mini', secretSetting: 'KEY2' }),
    );
    it('never starts more than a budget allows when several processes claim at once', async () => {
      const warnings: string[] = [];
      const ledgers = [0, 1, 2, 3].map(
        () => new QuotaLedger({ store: storeOf(), targets, quota: NO_SETTINGS, warn: (m) => warnings.push(m) }),
      );
      const at = T0 + 7_000;
      const results = await Promise.all(
        Array.from({ length: 12 }, (_, i) =>
          ledgers[i % 4]!.claim(targets[i % 2]!, at + i, i % 3 ? 'probe' : 'confirm'),
        ),
      );
      expect(warnings).toEqual([]); // decided on the shared counters, not on each process's own
      expect(results.filter((r) => r.ok)).toHaveLength(3);
      const refused = results.find((r) => !r.ok);
      expect(refused).toMatchObject({
        ok: false,
        reason: expect.stringMatching(
          /^deployment gpt-realtime on contoso-sweden\.openai\.azure\.com: 3 of 3 session\(s\) per minute/,
        ),
      });
      const stored = await storeOf().readJson<QuotaCounter>(
        quotaCounterPath('deployment', 'contoso-sweden.openai.azure.com/gpt-realtime'),
      );
      expect(stored!.recent).toHaveLength(3);
      // the key's counter holds exactly the starts the deployment allowed: refusals were given back or never taken
      const key = await storeOf().readJson<QuotaCounter>(quotaCounterPath('key', 'setting:AOAI_KEY'));
      expect(key!.recent).toHaveLength(3);
    });

    it("gives the deployment's claim back when the key refuses", async () => {
      const ledger = new QuotaLedger({ store: storeOf(), targets, quota: NO_SETTINGS });
      const at = T0 + 3_600_000;
      // the key allows 4 a minute; deployment 'gpt-realtime' 3, 'gpt-realtime-mini' (KEY2) has its own key
      const mini = targetsOf(azure('m', { deployment: 'gpt-realtime-mini', maxSessionsPerMinute: 10 }))[0]!;
      const l2 = new QuotaLedger({ store: storeOf(), targets: [...targets, mini], quota: NO_SETTINGS });
      expect((await ledger.claim(targets[0]!, at, 'probe')).ok).toBe(true);
      for (let i = 1; i <= 3; i++) expect((await l2.claim(mini, at + i, 'probe')).ok).toBe(true);
      const refused = await l2.claim(mini, at + 4, 'probe');
      expect(refused).toMatchObject({ ok: false, reason: expect.stringMatching(/^key AOAI_KEY: 4 of 4/) });
      const dep = await storeOf().readJson<QuotaCounter>(
        quotaCounterPath('deployment', 'contoso-sweden.openai.azure.com/gpt-realtime-mini'),
      );
      expect(dep!.recent.filter((t) => t >= at)).toEqual([at + 1, at + 2, at + 3]);
    });

    it('counts its own claims when the store does not answer, and says so once', async () => {
      const warnings: string[] = [];
      const ledger = new QuotaLedger({
        store: hungStore(storeOf()),
        targets,
        quota: NO_SETTINGS,
        timeoutMs: 50,
        warn: (m) => warnings.push(m),
      });
      const at = T0 + 7_200_000;
      const ok = [];
      for (let i = 0; i < 5; i++) ok.push((await ledger.claim(targets[0]!, at + i, 'probe')).ok);
      expect(ok).toEqual([true, true, true, false, false]);
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toMatch(/quota counters unavailable \(quota counter quota\/.*no answer within 50 ms\)/);
    });
  });
}

let azurite: Azurite | undefined;
let local: ArtifactStore | undefined;
let blob: ArtifactStore | undefined;
beforeAll(async () => {
  local = createLocalStore(await tempDir('canary-quota-'));
  azurite = await startAzurite();
  blob = createBlobStore({ kind: 'connection-string', connectionString: azurite.connectionString, container: 'quota' });
});
afterAll(async () => {
  await azurite?.stop();
  await cleanupTempDirs();
});
ledgerTests('a local folder', () => local!);
ledgerTests('Azurite', () => blob!);
