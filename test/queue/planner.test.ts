/**
 * Queue mode's planner with real parts: Azurite's queue and blob services, the handler called with a real
 * InvocationContext and, end to end, the built app run by the host stand-in (bench/functionsHost.ts: package.json
 * `main`, the timer function invoked once) with several prober processes draining what it planned against the
 * simulator. Target names are picked at run time so their jittered starts fall a few seconds ahead: the tests
 * wait for real visibility delays, never for a fixed minute.
 */
import { describe, expect, it } from 'vitest';
import { InvocationContext, type Timer } from '@azure/functions';
import type { TargetConfig } from '../../src/config/targets.js';
import { makePlannerHandler } from '../../src/handlers/canaryPlanner.js';
import { MINUTE_MS, readProbeMessage, runIdOfMinute, type ProbeMessage } from '../../src/queue/probeMessage.js';
import { jitterMsOf } from '../../src/runner/plan.js';
import type { PlannerResult } from '../../src/runner/planner.js';
import { plannedOffset } from '../../src/runner/plannerWindow.js';
import type { RunSummary } from '../../src/runSummary.js';
import { allBlobs } from '../handlers/roundFixture.js';
import { startHost, useQueueWorld } from './queueWorld.js';

const world = useQueueWorld();
const HOUR = 3_600_000;
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

type Raw = Record<string, unknown> & { name: string };
const raw = (name: string, extra: Record<string, unknown> = {}): Raw => ({
  name,
  endpoint: world.sim.url('openai-ga', { scenario: 'fast' }),
  auth: 'api-key',
  secretSetting: 'SIM_KEY',
  ...extra,
});
/** The target as the settings parse it (jitter hashes the name and the endpoint). */
const cfg = (r: Raw): TargetConfig => r as unknown as TargetConfig;

/** `count` names `<prefix>-<i>` whose planned offset (in `everyMs`, among `others`) satisfies `ok`. */
function pick(
  count: number,
  prefix: string,
  make: (n: string) => Raw,
  others: Raw[],
  everyMs: number,
  ok: (offset: number) => boolean,
): Raw[] {
  const out: Raw[] = [];
  for (let i = 0; out.length < count && i < 200_000; i++) {
    const r = make(`${prefix}-${i}`);
    const all = [...others, ...out, r].map(cfg);
    if (ok(plannedOffset(all, everyMs)(cfg(r), everyMs))) out.push(r);
  }
  expect(out).toHaveLength(count);
  return out;
}

function context(id: string, logs: string[]): InvocationContext {
  return new InvocationContext({
    functionName: 'canaryPlanner',
    invocationId: id,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
  });
}

const indexLines = async (region: string): Promise<RunSummary[]> =>
  [...(await allBlobs(world.azurite.connectionString)).entries()]
    .filter(([k]) => k.startsWith('index/'))
    .flatMap(([, v]) => v.toString().trim().split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunSummary)
    .filter((s) => s.region === region);

describe('queue mode: the planner', () => {
  it('enqueues each due probe once, visible at its jittered start with notAfter = start + CANARY_PROBE_LATE_MS; two planners at once and a retry enqueue nothing twice', async () => {
    // hourly targets a few seconds apart, on a clock set just before the first of them
    const [base] = pick(
      1,
      'pb',
      (n) => raw(n, { every: '1h', group: 'pg', baseline: true }),
      [],
      HOUR,
      (o) => o % MINUTE_MS > 5_000 && o % MINUTE_MS < 40_000,
    );
    const jB = jitterMsOf(cfg(base!), HOUR);
    const near = (o: number): boolean => o >= jB + 1_000 && o <= jB + 6_000;
    const loners = pick(3, 'pl', (n) => raw(n, { every: '1h' }), [base!], HOUR, near);
    const members = pick(2, 'pm', (n) => raw(n, { every: '1h', group: 'pg' }), [base!], HOUR, near);
    const targets = [base!, ...loners, ...members];
    const env = await world.env({
      CANARY_REGION: 'plregion1',
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_QUEUE_NAME: 'planner-one',
      CANARY_PROBE_LATE_MS: '30000',
    });
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
    const offset = hourStart + jB - 2_000 - Date.now();
    const clock = (): number => Date.now() + offset;
    const handler = makePlannerHandler(() => env, { clock });
    const logs: string[] = [];
    const [a, b] = await Promise.all([handler(timer, context('inv-a', logs)), handler(timer, context('inv-b', logs))]);
    const results: PlannerResult[] = [a, b];
    expect(results.reduce((n, r) => n + r.enqueued, 0)).toBe(targets.length);
    expect(results.filter((r) => r.ranSinks)).toHaveLength(1);
    expect(logs.join('\n')).toMatch(
      new RegExp(`information: planner plregion1 \\S+: ${targets.length} due, ${targets.length} enqueued, 0 skipped`),
    );
    // a retry in the same minute (the lease free again): the window is taken, nothing enqueued, no second dashboard
    const retryLogs: string[] = [];
    const retry = await handler(timer, context('inv-c', retryLogs));
    expect(retry).toMatchObject({ kind: 'planned', due: 0, enqueued: 0, ranSinks: false });
    expect(retryLogs.join('\n')).toMatch(
      /0 due, 0 enqueued, 1 skipped \(1 window already planned by another invocation\)/,
    );

    const queue = world.queues().getQueueClient('planner-one');
    expect((await queue.getProperties()).approximateMessagesCount).toBe(targets.length);
    const seen: { m: ProbeMessage; at: number }[] = [];
    // no message is visible before its start: each is received at or after it (asserted below for every one). The
    // first start is 2 s after the clock was set, so an empty queue right now is not something a loaded machine keeps.
    const until = Date.now() + 30_000;
    while (seen.length < targets.length && Date.now() < until) {
      const got = await queue.receiveMessages({ numberOfMessages: 32, visibilityTimeout: 300 });
      for (const item of got.receivedMessageItems)
        seen.push({ m: readProbeMessage(Buffer.from(item.messageText, 'base64').toString('utf8')), at: clock() });
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(seen.map((s) => s.m.target).sort()).toEqual(targets.map((t) => t.name).sort());
    for (const { m, at } of seen) {
      const start = Date.parse(m.startAt);
      expect(start).toBe(
        hourStart + plannedOffset(targets.map(cfg), HOUR)(cfg(targets.find((t) => t.name === m.target)!), HOUR),
      );
      // visible at its start (Storage counts the delay in whole seconds), never earlier
      expect(at).toBeGreaterThanOrEqual(start - 1_000);
      expect(Date.parse(m.notAfter)).toBe(start + 30_000);
      expect(m.runId).toBe(runIdOfMinute(Math.floor(start / MINUTE_MS) * MINUTE_MS, 'plregion1'));
    }
    // the group's members are planned into their baseline's run
    const runOf = (name: string): string => seen.find((s) => s.m.target === name)!.m.runId;
    for (const m of members) expect(runOf(m.name)).toBe(runOf(base!.name));
    // the end-of-round step ran once: the heartbeat and the dashboard
    const blobs = await allBlobs(world.azurite.connectionString);
    expect(JSON.parse(blobs.get('heartbeats/plregion1.json')!.toString())).toMatchObject({ region: 'plregion1' });
    expect(blobs.has('index.html')).toBe(true);
    expect(blobs.has('plan/plregion1/planner.lease')).toBe(true);
  }, 90_000);

  it('a queue it cannot reach is an error naming CANARY_QUEUE, within its deadline, and every due probe a "not probed: queue" line; a local folder is refused', async () => {
    const [t] = pick(
      1,
      'pq',
      (n) => raw(n, { every: '1h' }),
      [],
      HOUR,
      () => true,
    );
    const env = await world.env({
      CANARY_REGION: 'plregion2',
      CANARY_TARGETS: JSON.stringify([t]),
      CANARY_QUEUE:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;',
    });
    const hourStart = Math.floor(Date.now() / HOUR) * HOUR;
    const offset = hourStart + jitterMsOf(cfg(t!), HOUR) - 3_000 - Date.now();
    const logs: string[] = [];
    const result = await makePlannerHandler(() => env, { clock: () => Date.now() + offset })(
      timer,
      context('inv-q', logs),
    );
    expect(result).toMatchObject({ due: 1, enqueued: 0 });
    expect(logs.join('\n')).toMatch(
      /error: planner plregion2: 1 of 1 probe\(s\) could not be enqueued on queue:devstoreaccount1\/canary-probes .* check CANARY_QUEUE;/,
    );
    expect(logs.join('\n')).not.toContain('Eby8vdM02');
    const lines = await indexLines('plregion2');
    expect(lines).toMatchObject([
      { target: t!.name, notProbed: 'queue', headline: expect.stringMatching(/^not probed: not enqueued \(/) },
    ]);

    const local = await world.env({
      CANARY_REGION: 'plregion3',
      CANARY_TARGETS: JSON.stringify([t]),
      CANARY_STORAGE_CONNECTION_STRING: '',
      CANARY_OUTPUT_DIR: env.CANARY_SPOOL_DIR!,
    });
    await expect(makePlannerHandler(() => local)(timer, context('inv-l', []))).rejects.toThrow(
      /^CANARY_MODE: "queue" needs Blob Storage/,
    );
  }, 60_000);

  it('the planner, loaded as the host loads the app, and three prober processes: every due probe ends as exactly one index line', async () => {
    const every = 2 * MINUTE_MS;
    // starts 25–33 s from now (the planner process needs a few seconds to start), inside one minute
    let s0 = Date.now() + 25_000;
    if (Math.floor(s0 / MINUTE_MS) !== Math.floor((s0 + 8_000) / MINUTE_MS))
      s0 = Math.ceil(s0 / MINUTE_MS) * MINUTE_MS + 1_000;
    const inRange = (o: number): boolean => (((o - s0) % every) + every) % every < 8_000;
    const [base] = pick(1, 'db', (n) => raw(n, { every: '2m', group: 'dg', baseline: true }), [], every, inRange);
    const member = pick(
      1,
      'dm',
      (n) => raw(n, { every: '2m', group: 'dg', endpoint: world.sim.url('openai-ga', { scenario: 'gap' }) }),
      [base!],
      every,
      inRange,
    );
    const loners = pick(5, 'dl', (n) => raw(n, { every: '2m' }), [base!], every, inRange);
    // two targets of one deployment with a budget of one session a minute: the second is not probed (quota)
    const quota = pick(
      2,
      'dq',
      (n) =>
        raw(n, {
          every: '2m',
          maxSessionsPerMinute: 1,
          endpoint: world.sim.url('openai-ga', { scenario: 'fast', deployment: 'gpt-realtime-dq' }),
        }),
      [base!],
      every,
      inRange,
    );
    const targets = [base!, ...member, ...loners, ...quota];
    const env = await world.env({
      CANARY_REGION: 'plregion4',
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_QUEUE_NAME: 'planner-drain',
      CANARY_ALERT_RULE: '1/1',
      // a start the budget holds back may wait 20 s at most: the second of the 1-a-minute pair is not probed
      CANARY_PROBE_LATE_MS: '20000',
    });
    const planner = startHost(['--timer', 'canaryPlanner'], env);
    const probers = [1, 2, 3].map(() => startHost(['--queue', '--lease-seconds', '10'], env));
    try {
      const done = await planner.waitFor((r) => r.event === 'invocation', 60_000);
      expect(done).toMatchObject({
        ok: true,
        result: { kind: 'planned', due: targets.length, enqueued: targets.length },
      });
      expect(planner.reports.some((r) => r.event === 'ready' || r.event === 'invocation')).toBe(true);
      const until = Date.now() + 120_000;
      let lines: RunSummary[] = [];
      while (Date.now() < until) {
        lines = await indexLines('plregion4');
        if (lines.length >= targets.length) break;
        await new Promise((r) => setTimeout(r, 1_000));
      }
      await new Promise((r) => setTimeout(r, 2_000)); // a duplicate would land now
      lines = await indexLines('plregion4');
      expect(lines.map((s) => s.target).sort()).toEqual(targets.map((t) => t.name).sort());
      const skipped = lines.filter((s) => s.notProbed);
      expect(skipped).toMatchObject([{ notProbed: 'quota', headline: expect.stringMatching(/^not probed: quota/) }]);
      expect(quota.map((q) => q.name)).toContain(skipped[0]!.target);
      expect(lines.find((s) => s.target === member[0]!.name)).toMatchObject({ verdict: 'fail' });
      expect(lines.find((s) => s.target === member[0]!.name)!.comparison).toMatch(new RegExp(`baseline ${base!.name}`));
      const invocations = probers.flatMap((p) => p.reports).filter((r) => r.event === 'invocation');
      expect(invocations).toHaveLength(targets.length);
      expect(invocations.every((r) => r.event === 'invocation' && r.ok)).toBe(true);
    } finally {
      await Promise.all([planner.stop(), ...probers.map((p) => p.stop())]);
    }
  }, 240_000);
});
