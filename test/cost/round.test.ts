/**
 * The budget and the confirmation probe in real scheduled rounds: the timer handler with a real
 * InvocationContext, simulator targets, real Azurite holding the shared spend ledger, a real webhook receiver.
 * - two overlapping rounds (two regions) share one ledger: the cap is never exceeded, the targets it cannot
 *   cover are "not probed: budget" in the index, and the 80 % / 100 % notifications go out once each;
 * - a fault that only hits the first connection (a TCP proxy that drops it) becomes an intermittent pass with the
 *   first failure kept as evidence; a persistent fault becomes a confirmed failure.
 */
import { createConnection, createServer, type Server, type Socket } from 'node:net';
import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICES } from '../../src/cost/prices.js';
import type { Report } from '../../src/analysis/report.js';
import { parseTargets } from '../../src/config/targets.js';
import type { Ledger } from '../../src/cost/ledger.js';
import { meanActualUsd, spentUsd } from '../../src/cost/ledger.js';
import { projectCost, promptLengths } from '../../src/cost/projection.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import type { RunSummary } from '../../src/runSummary.js';
import { allBlobs, invoke, shortCatalog, useRoundWorld } from '../handlers/roundFixture.js';

const world = useRoundWorld();

const env = (over: Record<string, string>): Promise<Record<string, string>> => world.env(over);
const at = (iso: string) => () => new Date(iso);
/** The run's report.json as the round stored it (the round's outcomes carry only summaries). */
async function storedReport(s: RunSummary): Promise<Report> {
  return JSON.parse((await allBlobs(world.azurite.connectionString)).get(s.reportPath)!.toString()) as Report;
}
const indexOf = (blobs: Map<string, Buffer>, day: string): RunSummary[] =>
  (blobs.get(`index/${day}.jsonl`)?.toString().trim().split('\n') ?? []).map((l) => JSON.parse(l) as RunSummary);

describe('budget', () => {
  it('two overlapping rounds sharing a ledger never exceed the cap and report what they skipped', async () => {
    const targets = JSON.stringify([
      {
        name: 'azure-a',
        endpoint: world.sim.url('azure-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
        group: 'g',
      },
      {
        name: 'openai-base',
        endpoint: world.sim.url('openai-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
        group: 'g',
        baseline: true,
      },
    ]);
    // the catalogue's estimate of a run is the real service's (15 chars/s of speech); the simulator speaks this
    // short answer more slowly, so its runs cost about twice that. A first, uncapped round the same day gives the
    // planner each target's actual cost (the mean of today's runs), which it then reserves.
    const catalog = promptLengths(shortCatalog());
    const estimate = projectCost({
      targets: parseTargets(targets),
      regions: ['x'],
      schedule: '0 */10 * * * *',
      runsPerDayPerRegion: 144,
      turns: 1,
      prompts: ['count-to-twenty'],
      catalog,
      prices: DEFAULT_PRICES,
    }).rows[0]!.usdPerRun!;
    await invoke(
      { ...(await env({ CANARY_TARGETS: targets, CANARY_CONFIRM_RETRIES: '0' })), CANARY_REGION: 'westus' },
      { now: at('2026-11-25T07:50:00Z'), probe: { pace: 'burst' } },
    );
    const calibrated = JSON.parse(
      (await allBlobs(world.azurite.connectionString)).get('ledger/2026-11-25.json')!.toString(),
    ) as Ledger;
    const means = ['azure-a', 'openai-base'].map((t) => meanActualUsd(calibrated, t)!);
    expect(Math.min(...means)).toBeGreaterThan(estimate); // the simulator's runs really are dearer than the catalogue says
    expect(Math.max(...means) / Math.min(...means)).toBeLessThan(1.15);
    // the budget covers what is spent so far and two of the four probes the overlapping rounds want
    const budget = spentUsd(calibrated) + Math.max(...means) * 2.5;
    const base = await env({
      CANARY_TARGETS: targets,
      CANARY_DAILY_BUDGET_USD: String(budget),
      CANARY_CONFIRM_RETRIES: '0',
    });
    const before = world.hook.requests.length;
    const [a, b] = await Promise.all([
      invoke(
        { ...base, CANARY_REGION: 'swedencentral' },
        { now: at('2026-11-25T08:00:00Z'), probe: { pace: 'burst' } },
      ),
      invoke({ ...base, CANARY_REGION: 'eastus2' }, { now: at('2026-11-25T08:00:00Z'), probe: { pace: 'burst' } }),
    ]);
    const probed = [...a.result.outcomes, ...b.result.outcomes];
    const skipped = [...a.result.notProbed, ...b.result.notProbed];
    expect(probed).toHaveLength(2);
    expect(skipped).toHaveLength(2);
    for (const s of skipped)
      expect(s.reason).toMatch(/^not probed: budget \(today's budget \$[\d.]+ would be exceeded/);
    // baselines first: every round that probed only one target probed its baseline
    for (const r of [a, b])
      if (r.result.outcomes.length === 1) expect(r.result.outcomes[0]!.summary.target).toBe('openai-base');

    const blobs = await allBlobs(world.azurite.connectionString);
    const ledger = JSON.parse(blobs.get('ledger/2026-11-25.json')!.toString()) as Ledger;
    // both probes settled (nothing left in flight) with their actual, non-zero cost
    expect(Object.keys(ledger.entries)).toHaveLength(0);
    expect(Object.values(ledger.settled!).reduce((n, t) => n + t.probes, 0)).toBe(4); // 2 calibration + 2 capped
    expect(Object.values(ledger.settled!).every((t) => t.usd > 0)).toBe(true);
    expect(spentUsd(ledger)).toBeLessThanOrEqual(budget);
    const index = indexOf(blobs, '2026-11-25');
    expect(
      index
        .filter((s) => s.notProbed === 'budget')
        .map((s) => `${s.region}/${s.target}`)
        .sort(),
    ).toEqual(
      skipped
        .map((s) => s.target)
        .map((t) => index.find((x) => x.notProbed && x.target === t)!.region + '/' + t)
        .sort(),
    );
    expect(index.filter((s) => !s.notProbed).every((s) => typeof s.costUsd === 'number' && s.costUsd > 0)).toBe(true);
    // no alert state for a target that was not probed
    for (const s of index.filter((x) => x.notProbed))
      expect(
        blobs.has(`state/${s.region}/${s.target}.json`) &&
          (JSON.parse(blobs.get(`state/${s.region}/${s.target}.json`)!.toString()) as AlertState).recent.some(
            (r) => r.runId === s.runId,
          ),
      ).toBe(false);

    // 80 % (two reservations of 2.5) and 100 % (a probe refused): once each, not once per round
    const budgetCards = world.hook.requests
      .slice(before)
      .map((r) => r.body)
      .filter((body) => /budget/i.test(body));
    expect(budgetCards).toHaveLength(2);
    expect(ledger.marks['80']).toBeDefined();
    expect(ledger.marks['100']).toBeDefined();

    // a later round the same day: still capped, no new budget notification
    const later = await invoke(
      { ...base, CANARY_REGION: 'swedencentral' },
      { now: at('2026-11-25T08:10:00Z'), probe: { pace: 'burst' } },
    );
    expect(later.result.outcomes).toHaveLength(0);
    expect(later.result.notProbed).toHaveLength(2);
    expect(world.hook.requests.slice(before).filter((r) => /budget/i.test(r.body))).toHaveLength(2);
    const after = JSON.parse(
      (await allBlobs(world.azurite.connectionString)).get('ledger/2026-11-25.json')!.toString(),
    ) as Ledger;
    expect(spentUsd(after)).toBeLessThanOrEqual(budget);
  }, 120_000);
});

/** A TCP proxy to the simulator that drops the first `drop` connections (a transient network fault). */
async function flakyProxy(targetPort: number, drop: number): Promise<{ port: number; close(): Promise<void> }> {
  let seen = 0;
  const sockets = new Set<Socket>();
  const server: Server = createServer((client) => {
    sockets.add(client);
    if (seen++ < drop) return void client.destroy();
    const upstream = createConnection({ host: '127.0.0.1', port: targetPort });
    sockets.add(upstream);
    client.pipe(upstream).pipe(client);
    const end = (): void => void (client.destroy(), upstream.destroy());
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    close: () => new Promise<void>((resolve) => (sockets.forEach((s) => s.destroy()), server.close(() => resolve()))),
  };
}

describe('confirm before paging', () => {
  it('a fault on the first connection only: an intermittent pass that keeps the first failure as evidence', async () => {
    const proxy = await flakyProxy(world.sim.port, 1);
    try {
      const url = world.sim.url('azure-ga', { scenario: 'fast' }).replace(`:${world.sim.port}/`, `:${proxy.port}/`);
      const e = await env({
        CANARY_REGION: 'westeurope',
        CANARY_TARGETS: JSON.stringify([{ name: 'flaky', endpoint: url, auth: 'api-key', secretSetting: 'SIM_KEY' }]),
      });
      const r = await invoke(e, { now: at('2026-11-26T09:00:00Z'), probe: { pace: 'burst' } });
      const { summary } = r.result.outcomes[0]!;
      const report = await storedReport(summary);
      expect(summary).toMatchObject({ verdict: 'pass', attempts: 2, intermittent: true });
      expect(report.confirmation).toMatchObject({ outcome: 'intermittent', firstVerdict: 'error' });
      expect(report.confirmation!.attempts.map((x) => x.verdict)).toEqual(['error', 'pass']);
      // the first failure's evidence is still in the report
      expect(report.findings.map((f) => f.code).join()).toMatch(/connection_(rejected|dropped)/);
      expect(report.summary.headline).toBeTruthy();
      const blobs = await allBlobs(world.azurite.connectionString);
      const dir = summary.reportPath.replace(/report\.json$/, '');
      expect(blobs.has(dir + 'confirm-2/report.json')).toBe(true);
      expect((JSON.parse(blobs.get(dir + 'confirm-2/report.json')!.toString()) as Report).verdict).toBe('pass');
      expect(blobs.get(dir + 'report.html')!.toString()).toContain('data-outcome="intermittent"');
      // the alert rules saw a pass
      const state = JSON.parse(blobs.get('state/westeurope/flaky.json')!.toString()) as AlertState;
      expect(state.recent.map((x) => x.verdict)).toEqual(['pass']);
      // the ledger counted both probes
      const ledger = JSON.parse(blobs.get('ledger/2026-11-26.json')!.toString()) as Ledger;
      expect(ledger.settled!.flaky).toMatchObject({ probes: 2, runs: 1 });
    } finally {
      await proxy.close();
    }
  }, 90_000);

  it('a persistent fault: a confirmed failure, counted once by the alert rules', async () => {
    const e = await env({
      CANARY_REGION: 'westeurope',
      CANARY_TARGETS: JSON.stringify([
        {
          name: 'broken',
          endpoint: world.sim.url('azure-ga', { scenario: 'gap' }),
          auth: 'api-key',
          secretSetting: 'SIM_KEY',
        },
      ]),
    });
    const r = await invoke(e, { now: at('2026-11-26T10:00:00Z'), probe: { pace: 'burst' } });
    const { summary } = r.result.outcomes[0]!;
    const report = await storedReport(summary);
    expect(summary).toMatchObject({ verdict: 'fail', attempts: 2 });
    expect(summary.intermittent).toBeUndefined();
    expect(report.confirmation).toMatchObject({ outcome: 'confirmed', firstVerdict: 'fail' });
    expect(report.confirmation!.attempts.map((x) => x.findingCodes[0])).toEqual(['silent_gap', 'silent_gap']);
    const blobs = await allBlobs(world.azurite.connectionString);
    const state = JSON.parse(blobs.get('state/westeurope/broken.json')!.toString()) as AlertState;
    expect(state.recent.map((x) => x.verdict)).toEqual(['fail']);
    expect(summary.costUsd).toBeCloseTo(
      report.confirmation!.attempts.reduce((s, x) => s + x.costUsd!, 0),
      6,
    );
  }, 90_000);

  it('a configuration error (a refused key) is not re-probed: another attempt cannot fix it', async () => {
    const e = await env({
      CANARY_REGION: 'northeurope',
      WRONG_KEY: 'not-the-simulator-key-42',
      CANARY_TARGETS: JSON.stringify([
        {
          name: 'badkey',
          endpoint: world.sim.url('azure-ga', { scenario: 'fast' }),
          auth: 'api-key',
          secretSetting: 'WRONG_KEY',
        },
      ]),
    });
    const r = await invoke(e, { now: at('2026-11-26T11:00:00Z'), probe: { pace: 'burst' } });
    const { summary } = r.result.outcomes[0]!;
    expect(summary).toMatchObject({ verdict: 'error', category: 'configuration' });
    expect(summary.attempts).toBeUndefined();
    const report = await storedReport(summary);
    expect(report.confirmation).toBeUndefined();
    const blobs = await allBlobs(world.azurite.connectionString);
    const dir = summary.reportPath.replace(/report\.json$/, '');
    expect([...blobs.keys()].filter((k) => k.startsWith(dir + 'confirm-'))).toEqual([]);
    const ledger = JSON.parse(blobs.get('ledger/2026-11-26.json')!.toString()) as Ledger;
    expect(ledger.settled!.badkey).toMatchObject({ probes: 1, runs: 1 });
  }, 90_000);
});
