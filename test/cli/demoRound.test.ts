/**
 * What `npm start` runs is the Function's round, hooks included: a round composed from the demo's own settings
 * (demoEnv) over two of its targets — the baseline and the silent gap — probes the failure again before counting it,
 * settles the spend in the day's ledger and keeps each target's drift fingerprint, and the demo's account of those
 * steps (hookLines) says so. Real simulator, real probes, a local folder as the store.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_SIM_KEY, demoEnv, demoTargets } from '../../src/cli/demoCommand.js';
import { hookLines } from '../../src/cli/demoHooks.js';
import { loadSettings } from '../../src/config/settings.js';
import { createRound } from '../../src/runner/createRound.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: DEMO_SIM_KEY });
});
afterAll(async () => sim?.close());

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

describe("the demo's round", () => {
  it('runs confirmation, the spend ledger and drift, as the Function does', async () => {
    const targets = demoTargets((flavour, scenario, deployment) => sim.url(flavour, { scenario, deployment })).filter(
      (t) => t.name === 'openai-baseline' || t.name === 'azure-ga-silent-gap',
    );
    expect(targets).toHaveLength(2);
    const out = await mkdtemp(join(tmpdir(), 'rc-demo-round-'));
    const env = demoEnv(out, targets);
    const settings = loadSettings(env);
    expect(settings.confirmRetries).toBeGreaterThan(0);
    const now = new Date();
    const round = createRound(settings, env, { log: quiet });
    try {
      const result = await round.run(settings.targets!);
      const lines = await hookLines(result, round.store, settings.region, settings.dailyBudgetUsd, now);
      // the silent gap is on every attempt; the baseline passes unless a loaded machine makes it fail too
      const again = result.outcomes.filter((o) => (o.summary.attempts ?? 1) > 1).map((o) => o.summary.target);
      expect(again).toContain('azure-ga-silent-gap');
      expect(lines[0]).toMatch(
        new RegExp(
          `^confirmation: ${again.length} failure\\(s\\) probed again before counting; confirmed: .*azure-ga-silent-gap`,
        ),
      );
      const probes = 2 + again.length;
      expect(lines[1]).toMatch(
        new RegExp(
          `^budget: \\$\\d+\\.\\d{4} spent today over ${probes} probe\\(s\\), in ledger/\\d{4}-\\d\\d-\\d\\d\\.json;`,
        ),
      );
      expect(lines[2]).toBe('drift: 2 of 2 targets have a model fingerprint; no model or behaviour change');
      expect(lines[3]).toMatch(/^lifecycle: /);
    } finally {
      round.close();
    }
  }, 180_000);
});
