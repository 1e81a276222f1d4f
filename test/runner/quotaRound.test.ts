/**
 * Session budgets in real scheduled rounds: the timer handler with a real InvocationContext, simulator targets
 * behind a TCP proxy that counts every session the service saw, Azurite holding the shared counters. First probes
 * and confirmation retries claim a start each; what a budget refuses is never sent — a first probe becomes a
 * "not probed: quota" index line, a confirmation is skipped — and the service sees no more sessions than the budget.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RunSummary } from '../../src/runSummary.js';
import type { QuotaCounter } from '../../src/runner/quotaCounter.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcpProxy.js';
import { allBlobs, invoke, useRoundWorld } from '../handlers/roundFixture.js';

const world = useRoundWorld();
let proxy: TcpProxy;
beforeAll(async () => {
  proxy = await startTcpProxy(world.sim.port);
});
afterAll(async () => proxy?.close());

describe('session budgets in a round', () => {
  it('counts first probes and confirmations against the budget and never sends one past it', async () => {
    const endpoint = world.sim.url('azure-ga', { scenario: 'gap' }).replace(`:${world.sim.port}/`, `:${proxy.port}/`);
    const targets = ['q-a', 'q-b', 'q-c'].map((name) => ({
      name,
      endpoint,
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      maxSessionsPerDay: 4,
    }));
    const env = await world.env({
      CANARY_REGION: 'quota-test',
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_CONFIRM_RETRIES: '1',
    });
    const first = await invoke(env);
    const second = await invoke(env);
    // three first probes, one confirmation: the fourth start; every other start was refused before it was sent
    expect(proxy.connections).toBe(4);
    expect(first.result.outcomes).toHaveLength(3);
    expect(first.result.outcomes.map((o) => o.summary.attempts ?? 1).sort()).toEqual([1, 1, 2]);
    expect(first.logs.join('\n')).toMatch(
      /confirmation 2 of q-[abc] skipped: not probed: quota \(deployment .* on 127\.0\.0\.1:\d+: 4 of 4 session\(s\) per day already started\)/,
    );
    expect(second.result.outcomes).toHaveLength(0);
    expect(second.result.notProbed.map((n) => n.target).sort()).toEqual(['q-a', 'q-b', 'q-c']);
    for (const n of second.result.notProbed) expect(n.reason).toMatch(/^not probed: quota \(deployment /);

    const blobs = await allBlobs(world.azurite.connectionString);
    const day = new Date().toISOString().slice(0, 10);
    const index = (blobs.get(`index/${day}.jsonl`)?.toString().trim().split('\n') ?? [])
      .map((l) => JSON.parse(l) as RunSummary)
      .filter((s) => s.region === 'quota-test');
    expect(
      index
        .filter((s) => s.notProbed === 'quota')
        .map((s) => s.target)
        .sort(),
    ).toEqual(['q-a', 'q-b', 'q-c']);
    const counters = [...blobs.keys()].filter((k) => k.startsWith('quota/deployment/'));
    expect(counters).toHaveLength(1);
    const counter = JSON.parse(blobs.get(counters[0]!)!.toString()) as QuotaCounter;
    expect(Object.values(counter.hours).reduce((a, b) => a + b, 0)).toBe(4);
    // the digest of the second round lists the three probes the quota held back
    const digest = world.hook.requests.find((r) => r.body.includes('3 probes not sent (quota)'));
    expect(digest).toBeDefined();
  }, 120_000);
});
