/**
 * Queue mode's digest through the planner with real parts (Azurite's queue and blob services, the planner handler
 * with a real InvocationContext on an injected clock, a local HTTP receiver for the JSON webhook): the probers,
 * elsewhere, leave "not probed: quota" and "not probed: queue" lines in the index; once their minute is settled
 * (past CANARY_PROBE_LATE_MS), the planner's minute sends one 📋 digest listing them, and the next minute does not
 * list them again.
 */
import { describe, expect, it } from 'vitest';
import { InvocationContext, type Timer } from '@azure/functions';
import { loadSettings } from '../../src/config/settings.js';
import { makePlannerHandler } from '../../src/handlers/canaryPlanner.js';
import { MINUTE_MS, runIdOfMinute } from '../../src/queue/probeMessage.js';
import { notProbedSummary } from '../../src/runner/budget.js';
import type { JsonNotificationPayload } from '../../src/sinks/alerts/jsonPayload.js';
import { createBlobStore } from '../../src/store/blobStore.js';
import { dailyIndexPath } from '../../src/store/layout.js';
import { useQueueWorld } from './queueWorld.js';

const world = useQueueWorld();
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

describe('queue mode: the digest', () => {
  it("lists a settled minute's quota and queue skips once, from the planner", async () => {
    const region = 'dgregion1';
    const target = (name: string) => ({
      name,
      endpoint: world.sim.url('openai-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      every: '1d',
    });
    const env = await world.env({
      CANARY_REGION: region,
      CANARY_QUEUE_NAME: 'digest-one',
      CANARY_PROBE_LATE_MS: '60000',
      CANARY_WEBHOOK_FORMAT: 'json',
      CANARY_TARGETS: JSON.stringify([target('dg-a'), target('dg-b'), target('dg-c')]),
    });
    const settings = loadSettings(env);
    const [a, b, c] = settings.targets!;
    // the probes of minute M: a refused by a budget, b dequeued stale; c in minute M + 1
    const minute = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS - 10 * MINUTE_MS;
    const line = (t: typeof a, at: number, reason: string, kind: 'quota' | 'queue') =>
      JSON.stringify(notProbedSummary(new Date(at), runIdOfMinute(at, region), region, t!, reason, kind));
    const storage = settings.storage;
    if (storage.kind !== 'connection-string') throw new Error('the queue world stores in Azurite');
    const store = createBlobStore(storage);
    await store.appendLine(
      dailyIndexPath(new Date(minute)),
      line(a, minute, 'not probed: quota (2 a minute)', 'quota'),
    );
    await store.appendLine(
      dailyIndexPath(new Date(minute)),
      line(b, minute, 'not probed: stale (dequeued 75 s late)', 'queue'),
    );
    await store.appendLine(
      dailyIndexPath(new Date(minute + MINUTE_MS)),
      line(c, minute + MINUTE_MS, 'not probed: quota (2 a minute)', 'quota'),
    );

    // the planner's minute whose settled minute is M: M + 1 min (the minute after) + 60 s (late) + 1 min
    let now = minute + 3 * MINUTE_MS + 5_000;
    const handler = makePlannerHandler(() => env, { clock: () => now });
    const logs: string[] = [];
    const run = async (id: string) =>
      handler(
        timer,
        new InvocationContext({
          functionName: 'canaryPlanner',
          invocationId: id,
          logHandler: (l, ...x) => logs.push(`${l}: ${x.join(' ')}`),
        }),
      );
    const digests = () =>
      world.hook.requests
        .filter((r) => r.status === 202)
        .map((r) => r.json<JsonNotificationPayload>())
        .filter((p) => p.category === 'digest' && p.region === region);

    expect(await run('dg-1')).toMatchObject({ ranSinks: true });
    expect(digests()).toHaveLength(1);
    const [d] = digests();
    expect(d!.title).toBe(`📋 ${region}: 1 probe not sent (quota), 1 probe dropped by the queue`);
    expect(d!.text).toMatch(/too few prober instances/);
    expect(JSON.stringify(d)).toContain('dg-a');
    expect(JSON.stringify(d)).toContain('dg-b');
    expect(JSON.stringify(d)).not.toContain('dg-c'); // its minute is not settled yet

    // the next minute: c's minute is settled now; a and b are not listed again
    now += MINUTE_MS;
    await run('dg-2');
    expect(digests()).toHaveLength(2);
    expect(digests()[1]!.title).toBe(`📋 ${region}: 1 probe not sent (quota)`);
    expect(JSON.stringify(digests()[1])).toContain('dg-c');
    expect(JSON.stringify(digests()[1])).not.toMatch(/dg-a|dg-b/);

    // a minute with nothing settled: no digest
    now += MINUTE_MS;
    await run('dg-3');
    expect(digests()).toHaveLength(2);
  }, 90_000);
});
