/**
 * Queue mode's prober with real parts: Azurite's queue and blob services, the simulator, a real webhook receiver;
 * the handler called with a real InvocationContext, and the built app run by the host stand-in in several
 * processes draining one queue — one of them killed mid-probe.
 */
import { describe, expect, it } from 'vitest';
import { InvocationContext } from '@azure/functions';
import { makeProberHandler } from '../../src/handlers/canaryProber.js';
import { encodeProbeMessage, probeMessage, type ProbeMessage } from '../../src/queue/probeMessage.js';
import type { ProberOutcome } from '../../src/runner/prober.js';
import type { RunSummary } from '../../src/runSummary.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import { allBlobs } from '../handlers/roundFixture.js';
import { startHost, useQueueWorld } from './queueWorld.js';

const world = useQueueWorld();
/**
 * How long the drain test waits for its ten probes (its timeout: this plus 90 s), and how late its messages may be
 * dequeued. Four processes starting the built app and probing beside the rest of the suite on a busy 2-core machine
 * took more than 90 s (8 of 10 probed by then); the wait ends as soon as all are done.
 */
const DRAIN_MS = 150_000;
const DRAIN_LATE_MS = 240_000;

const target = (name: string, scenario: string, extra: Record<string, unknown> = {}) => ({
  name,
  endpoint: world.sim.url('openai-ga', { scenario }),
  auth: 'api-key',
  secretSetting: 'SIM_KEY',
  ...extra,
});

async function invoke(env: Record<string, string>, entry: unknown, logs: string[] = []): Promise<ProberOutcome> {
  const context = new InvocationContext({
    functionName: 'canaryProber',
    invocationId: `t-${Math.random()}`,
    triggerMetadata: { dequeueCount: 1 },
    logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
  });
  return makeProberHandler(() => env, { probe: { pace: 'burst' } })(entry, context);
}

const indexLines = async (): Promise<RunSummary[]> =>
  [...(await allBlobs(world.azurite.connectionString)).entries()]
    .filter(([k]) => k.startsWith('index/'))
    .flatMap(([, v]) => v.toString().trim().split('\n'))
    .filter(Boolean)
    .map((l) => JSON.parse(l) as RunSummary);

describe('queue mode: the prober', () => {
  it('publishes a queued probe as a round does, drops a stale one with a log line, and compares with the baseline of the same minute', async () => {
    const targets = [
      target('q-base', 'fast', { group: 'g1', baseline: true }),
      target('q-member', 'gap', { group: 'g1' }),
    ];
    const env = await world.env({
      CANARY_REGION: 'qregion1',
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_ALERT_RULE: '1/1',
    });
    const now = Date.now();
    const base = probeMessage('qregion1', 'q-base', now, 60_000);
    const member = probeMessage('qregion1', 'q-member', now, 60_000);
    expect(member.runId).toBe(base.runId);
    const [b, m] = await Promise.all([invoke(env, base), invoke(env, JSON.stringify(member))]);
    expect(b.kind).toBe('published');
    expect(m.kind).toBe('published');
    if (m.kind !== 'published') return;
    expect(m.summary.verdict).toBe('fail');
    const blobs = await allBlobs(world.azurite.connectionString);
    const report = JSON.parse(
      blobs.get([...blobs.keys()].find((k) => k.includes(`/${base.runId}/qregion1/q-member/report.json`))!)!.toString(),
    ) as { comparison?: { message: string }[] };
    expect(report.comparison?.[0]?.message).toMatch(/q-member: 1 of 1 turns with silent gaps.*baseline q-base: 0 of 1/);
    expect(world.hook.requests.some((r) => r.body.includes('q-member'))).toBe(true); // 1/1: alerted

    const logs: string[] = [];
    const stale: ProbeMessage = { ...probeMessage('qregion1', 'q-base', now - 120_000, 60_000) };
    const dropped = await invoke(env, stale, logs);
    expect(dropped).toMatchObject({ kind: 'dropped' });
    expect(logs.join('\n')).toMatch(
      /warning: q-base: not probed: stale \(dequeued 1\d\d s after its planned start\); its message was dropped/,
    );
    const lines = (await indexLines()).filter((s) => s.region === 'qregion1');
    expect(lines.filter((s) => s.target === 'q-base').map((s) => s.headline ?? s.verdict)).toEqual(
      expect.arrayContaining(['pass', expect.stringMatching(/^not probed: stale/)]),
    );
    await expect(invoke(env, { v: 2 })).rejects.toThrow(/probe message: not a version-1 probe message/);
  }, 120_000);

  it('three prober processes drain one queue: every message probed once; a prober killed mid-probe → the message comes back once, one index line, one alert', async () => {
    const names = ['p1', 'p2', 'p3', 'p4', 'p5', 'p6', 'p7', 'p8', 'p9'];
    const targets = [...names.map((n) => target(n, 'fast')), target('victim', 'slowgap')];
    const env = await world.env({
      CANARY_REGION: 'qregion2',
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_ALERT_RULE: '1/1',
      CANARY_QUEUE_NAME: 'drain-test',
    });
    const queue = world.queues().getQueueClient('drain-test');
    await queue.createIfNotExists();
    const hooksBefore = world.hook.requests.length;
    await queue.sendMessage(encodeProbeMessage(probeMessage('qregion2', 'victim', Date.now(), DRAIN_LATE_MS)));
    // the victim's probe is slow (real-time answer): killed while it runs, its message returns after the lease
    const first = startHost(['--queue', '--lease-seconds', '4'], env);
    await first.waitFor((r) => r.event === 'log' && /probe of victim .* starting/.test(r.text), 60_000);
    await new Promise((r) => setTimeout(r, 1_000));
    first.child.kill('SIGKILL');
    // the others arrive as a planner spreads them: one more visible each second
    const now = Date.now();
    for (const [i, name] of names.entries())
      await queue.sendMessage(encodeProbeMessage(probeMessage('qregion2', name, now + i * 1000, DRAIN_LATE_MS)), {
        visibilityTimeout: i,
      });
    const hosts = [1, 2, 3].map(() => startHost(['--queue', '--lease-seconds', '4'], env));
    const done = (): number =>
      hosts.flatMap((h) => h.reports).filter((r) => r.event === 'invocation' && r.ok).length +
      first.reports.filter((r) => r.event === 'invocation' && r.ok).length;
    const until = Date.now() + DRAIN_MS;
    while (done() < targets.length && Date.now() < until) await new Promise((r) => setTimeout(r, 500));
    await Promise.all(hosts.map((h) => h.stop()));
    const invocations = [...first.reports, ...hosts.flatMap((h) => h.reports)].filter((r) => r.event === 'invocation');
    expect(invocations.filter((r) => r.event === 'invocation' && r.ok)).toHaveLength(targets.length);
    // an invocation that failed has no result (beside two busy loops one did, its message redelivered): the ok ones
    // are counted above, and the index lines, alert state and cards below tell whether any target was probed twice
    const victim = invocations.filter(
      (r) => r.event === 'invocation' && r.ok && JSON.stringify(r.result).includes('"victim"'),
    );
    expect(victim).toMatchObject([{ ok: true, dequeueCount: 2 }]);
    // more than one process did the work
    expect(hosts.filter((h) => h.reports.some((r) => r.event === 'invocation')).length).toBeGreaterThan(1);
    const lines = (await indexLines()).filter((s) => s.region === 'qregion2');
    expect(lines.map((s) => s.target).sort()).toEqual([...names, 'victim'].sort());
    expect((await queue.getProperties()).approximateMessagesCount).toBe(0);
    const blobs = await allBlobs(world.azurite.connectionString);
    const state = JSON.parse(blobs.get('state/qregion2/victim.json')!.toString()) as AlertState;
    expect(state.recent).toHaveLength(1);
    expect(lines.find((s) => s.target === 'victim')!.verdict).toBe('fail');
    // the victim's failure alerted once (1/1), though it was probed twice; the others passed
    // model-lifecycle notices (📅) aside: run a year ahead, the simulated gpt-realtime is past its retirement date and
    // every target rightly says so once
    const cards = world.hook.requests.slice(hooksBefore).filter((c) => !String(c.body).includes('📅'));
    expect(cards).toHaveLength(1);
    expect(cards[0]!.body).toContain('victim');
  }, 240_000);
});
