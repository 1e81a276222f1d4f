/**
 * The plan check (issue 22 §1, issue 21 §4): each deployment's and key's planned session starts against its budget
 * (per minute as the quota gate admits them, per day; first probes alone and with every confirmation), whether the
 * busiest round fits its due targets, how many rounds its rotation takes, and what would make it fit — each figure
 * checked against the configuration's own arithmetic, on a fixed day.
 */
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { loadSettings } from '../../src/config/settings.js';
import type { TargetConfig } from '../../src/config/targets.js';
import { promptLengths } from '../../src/cost/projection.js';
import { loadCatalog } from '../../src/prompts/catalog.js';
import { admit, busiestMinute } from '../../src/runner/planBudgets.js';
import { checkPlan, plannedWindows, PROBER_MESSAGES_PER_INSTANCE } from '../../src/runner/planCheck.js';
import { expectedSessionMs, fillRound, roundCapacityMs } from '../../src/runner/roundFit.js';
import { publishReserveMs } from '../../src/runner/round.js';

const lengths = promptLengths(loadCatalog());
const AT = new Date(Date.UTC(2026, 11, 7, 13, 7, 0)); // any time of the planned day
const MIN = 60_000;

const settings = (env: Record<string, string> = {}) =>
  loadSettings({ CANARY_OUTPUT_DIR: '.', CANARY_CONFIG_BLOB: 'targets.json', ...env });

/** `n` targets, each on its own Azure deployment, all with one key. */
const fleet = (n: number, extra: Partial<TargetConfig> = {}): TargetConfig[] =>
  Array.from({ length: n }, (_, i) => ({
    name: `t${i}`,
    resource: 'canary-swe',
    deployment: `gpt-realtime-${i}`,
    auth: 'api-key' as const,
    secretSetting: 'AOAI_KEY',
    ...extra,
  }));

describe('plannedWindows', () => {
  it("lays out the day's rounds of the schedule", () => {
    const w = plannedWindows('0 */10 * * * *', AT);
    expect(w).toHaveLength(144);
    expect(w[0]).toEqual({ fromMs: Date.UTC(2026, 11, 7), toMs: Date.UTC(2026, 11, 7, 0, 10), everyMs: 10 * MIN });
    expect(plannedWindows('0 0 3 * * *', AT)).toEqual([
      { fromMs: Date.UTC(2026, 11, 7, 3), toMs: Date.UTC(2026, 11, 8, 3), everyMs: 1_440 * MIN },
    ]);
  });
});

describe('admit (the quota gate over a planned day)', () => {
  it('spreads a burst over the minutes and refuses what would wait longer than allowed', () => {
    const burst = Float64Array.from([0, 0, 0, 0, 0]);
    expect(admit(burst, 1, 2, 0)).toBe(3); // 2 now, the rest would wait
    expect(admit(burst, 1, 2, 60_000)).toBe(1); // 2 now, 2 a minute later
    expect(admit(burst, 1, 2, 120_000)).toBe(0);
    expect(admit(burst, 2, 2, 120_000)).toBe(4); // with a retry each: 10 starts, 6 fit in 3 minutes
    expect(admit(burst, 1, undefined, 0)).toBe(0);
    expect(busiestMinute(Float64Array.from([0, 30_000, 59_999, 60_000, 200_000]))).toBe(3);
  });
});

describe('checkPlan', () => {
  it('refuses 5,000 targets with a 60 s deadline: the round fits a handful, and says what would fit', () => {
    const s = settings({ CANARY_ROUND_DEADLINE_MS: '60000' });
    const targets = fleet(5_000);
    const c = checkPlan({ targets, settings: s, lengths, at: AT });
    const session = expectedSessionMs(targets[0]!, s, lengths);
    const window = 60_000 - publishReserveMs(60_000);
    const fits = fillRound(targets, () => session, roundCapacityMs(8, window)).fit.length;
    expect(c.round).toMatchObject({ status: 'full', due: 5_000, fits, rounds: Math.ceil(5_000 / fits) });
    expect(fits).toBeGreaterThan(0);
    expect(fits).toBeLessThan(20);
    // no concurrency up to 200 fits 5,000 sessions into 48 s; a day's interval does not either; one app fits `fits`
    expect(c.round!.fix).toEqual({ perApp: fits });
    // the shared key: 5,000 starts at each round's start, 100 a minute, no wait possible (48 s window, 30 s turn)
    const key = c.scopes.find((x) => x.kind === 'key')!;
    expect(key).toMatchObject({ label: 'key AOAI_KEY', targets: 5_000, status: 'over', peakPerMinute: 5_000 });
    expect(key.refusedPerDay).toBe((5_000 - 100) * 144);
    expect(c.maxWaitMs).toBe(window - 30_000);
    expect(c.total).toEqual({ targets: 5_000, perDay: 5_000 * 144, worstPerDay: 2 * 5_000 * 144 });
  });

  it('lets 400 targets fit by rotation (every target within two rounds) and names the concurrency that fits', () => {
    const s = settings({ CANARY_CONCURRENCY: '40' });
    const targets = fleet(400, { maxSessionsPerMinute: 5, keyMaxSessionsPerMinute: 1_000 });
    const c = checkPlan({ targets, settings: s, lengths, at: AT });
    const r = c.round!;
    expect(r.status).toBe('rotation');
    expect(r.fits).toBeGreaterThanOrEqual(200);
    expect(r.fits).toBeLessThan(400);
    expect(r.rounds).toBe(2);
    const needed = r.fix!.concurrency!;
    expect(needed).toBeGreaterThan(40);
    // the concurrency named fits the busiest round, one less does not
    const fitsWith = (n: number) =>
      checkPlan({ targets, settings: settings({ CANARY_CONCURRENCY: String(n) }), lengths, at: AT });
    expect(fitsWith(needed).round!.status).toBe('fits');
    expect(fitsWith(needed - 1).round!.status).not.toBe('fits');
    // and so does the `every` named, given to every target
    const every = r.fix!.every!;
    expect(every.targets).toBe(400);
    const given = targets.map((t) => ({ ...t, every: `${every.everyMs / MIN}m` }));
    expect(checkPlan({ targets: given, settings: s, lengths, at: AT }).round!.status).toBe('fits');
    expect(c.scopes.every((x) => x.status !== 'over')).toBe(true);
  });

  it('puts a deployment probed by more targets than its budget holds over, and leaves the others alone', () => {
    const s = settings({ CANARY_ROUND_DEADLINE_MS: '120000' }); // 96 s probe window: a start may wait 66 s
    const busy = fleet(6).map((t) => ({ ...t, deployment: 'gpt-realtime', secretSetting: 'BUSY_KEY' }));
    const quiet = fleet(1).map((t) => ({ ...t, name: 'quiet' }));
    const c = checkPlan({ targets: [...busy, ...quiet], settings: s, lengths, at: AT });
    const dep = c.scopes.find((x) => x.label.startsWith('deployment gpt-realtime on'))!;
    // 6 starts at each round's start, 2 a minute: 2 at once, 2 after a minute; 2 would wait 2 minutes
    expect(dep).toMatchObject({ targets: 6, status: 'over', peakPerMinute: 6, perDay: 6 * 144 });
    expect(dep.refusedPerDay).toBe(2 * 144);
    expect(c.scopes[0]).toBe(dep); // the over ones first
    const q = c.scopes.find((x) => x.label.startsWith('deployment gpt-realtime-0'))!;
    expect(q).toMatchObject({ targets: 1, status: 'fits', peakPerMinute: 1, worstPeakPerMinute: 2, perDay: 144 });
    // four targets: the first probes fit (2 + 2 a minute later), their confirmations would not
    const four = checkPlan({ targets: busy.slice(0, 4), settings: s, lengths, at: AT }).scopes[0]!;
    expect(four).toMatchObject({ status: 'near', refusedPerDay: 0, worstRefusedPerDay: 4 * 144 });
  });

  it('counts a key shared by targets on different deployments once per start, and per region', () => {
    const s = settings({ CANARY_KEY_MAX_SESSIONS_PER_DAY: '800' });
    const targets = fleet(3);
    const one = checkPlan({ targets, settings: s, lengths, at: AT });
    const key = one.scopes.find((x) => x.kind === 'key')!;
    expect(key).toMatchObject({ targets: 3, perDay: 3 * 144, worstPerDay: 6 * 144, status: 'near' }); // with a confirmation each: 864 > 800
    expect(one.scopes.filter((x) => x.kind === 'deployment')).toHaveLength(3);
    const three = checkPlan({ targets, settings: s, lengths, at: AT, regions: 3 });
    expect(three.scopes.find((x) => x.kind === 'key')).toMatchObject({ perDay: 9 * 144, status: 'over' });
  });

  it("counts a target's own every: a 1h target is one start an hour, a loopback target has no budget", () => {
    const s = settings();
    const hourly = fleet(1, { every: '1h' });
    const sim: TargetConfig = { name: 'sim', endpoint: 'ws://127.0.0.1:9/openai/v1/realtime?model=m', auth: 'none' };
    const c = checkPlan({ targets: [...hourly, sim], settings: s, lengths, at: AT });
    expect(c.scopes.find((x) => x.kind === 'deployment' && x.targets === 1 && x.budget.perMinute === 2)).toMatchObject({
      perDay: 24,
    });
    expect(c.scopes.find((x) => x.id.startsWith('127.0.0.1'))).toMatchObject({ budget: {}, status: 'fits' });
    expect(c.total.perDay).toBe(24 + 144);
  });

  it('in queue mode plans each probe at its jittered start: no round capacity, the peak of sessions at once instead', () => {
    const s = settings({
      CANARY_MODE: 'queue',
      CANARY_QUEUE: 'UseDevelopmentStorage=true',
      CANARY_SCHEDULE: '0 * * * * *',
    });
    const targets = fleet(5_000, { every: '10m' });
    const c = checkPlan({ targets, settings: s, lengths, at: AT });
    expect(c.round).toBeUndefined();
    const session = expectedSessionMs(targets[0]!, s, lengths);
    // 5,000 starts spread over 10 minutes: about 500 a minute, each lasting `session`
    const q = c.queue!;
    expect(q.peakSessions).toBeGreaterThan((500 * session) / MIN);
    expect(q.peakSessions).toBeLessThan((800 * session) / MIN);
    expect(q.instances).toBe(Math.ceil(q.peakSessions / PROBER_MESSAGES_PER_INSTANCE));
    expect(q.worstPeakSessions).toBeGreaterThan(q.peakSessions);
    // jittered starts: no deployment's minute holds more than its one target; the shared key's 100 a minute does not hold 500
    expect(c.scopes.filter((x) => x.kind === 'deployment').every((x) => x.peakPerMinute === 1)).toBe(true);
    expect(c.scopes.find((x) => x.kind === 'key')).toMatchObject({ status: 'over' });
  });
});

describe('PROBER_MESSAGES_PER_INSTANCE', () => {
  it("is host.json's batchSize + newBatchThreshold", () => {
    const q = (JSON.parse(readFileSync('host.json', 'utf8')) as { extensions: { queues: Record<string, number> } })
      .extensions.queues;
    expect(PROBER_MESSAGES_PER_INSTANCE).toBe(q.batchSize! + q.newBatchThreshold!);
  });
});
