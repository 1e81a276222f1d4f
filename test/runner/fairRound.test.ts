/**
 * Fair rounds: when more targets are due than a round can probe, they are probed in rotation and none is starved —
 * 400 targets in rounds that fit 200 are all probed within two rounds, from the rotation point in the store or,
 * when the store does not answer, from the window's number; a `"30m"` target in a 10-minute schedule is due every
 * third round. A real round against the simulator writes a "not probed: round full" index line for each target it
 * holds back and one digest card that parses as an Adaptive Card.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../src/config/settings.js';
import type { TargetConfig } from '../../src/config/targets.js';
import { promptLengths } from '../../src/cost/projection.js';
import { expectedSessionMs, ROUND_FILL } from '../../src/runner/roundFit.js';
import { runRound } from '../../src/runner/round.js';
import { createStore } from '../../src/runner/roundDeps.js';
import { readRotation, roundWindow, selectRound, dueInWindow } from '../../src/runner/roundSelection.js';
import type { RunSummary } from '../../src/runSummary.js';
import { createSinks } from '../../src/sinks/createSinks.js';
import { noTelemetry } from '../../src/sinks/telemetry.js';
import type { TeamsEnvelope } from '../../src/sinks/alerts/teamsCard.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import type { ArtifactStore } from '../../src/store/artifactStore.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { adaptiveCardProblems, cardTexts } from '../helpers/adaptiveCards.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { shortCatalog, SIM_KEY, startShortSim } from '../handlers/roundFixture.js';

const MIN = 60_000;
const T0 = Date.UTC(2026, 11, 7, 10, 0, 3); // a round started 3 s after its 10:00 tick
const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };
const settings = { schedule: '0 */10 * * * *', region: 'westeurope', concurrency: 4, storageTimeoutMs: 20_000 };
const many = (n: number): TargetConfig[] =>
  Array.from({ length: n }, (_, i) => ({ name: `t-${i}`, auth: 'none', endpoint: 'ws://127.0.0.1:1/v1/realtime' }));

/** Rounds of 400 targets fitting 200: which targets each round probed. */
async function rounds(store: ArtifactStore, count: number, warnings: string[] = []): Promise<string[][]> {
  const targets = many(400);
  const sessionMs = 10_000;
  // 200 sessions of 10 s over 4 lanes, ROUND_FILL of the window planned
  const probeWindowMs = (200 * sessionMs) / (settings.concurrency * ROUND_FILL);
  const out: string[][] = [];
  for (let r = 0; r < count; r++) {
    const s = await selectRound({
      targets,
      settings,
      store,
      runId: `run-${r}`,
      startedAt: new Date(T0 + r * 10 * MIN),
      probeWindowMs,
      sessionMs: () => sessionMs,
      log: { ...quiet, warn: (m) => warnings.push(m) },
      rotation: readRotation(store, settings.region),
    });
    expect(s.due).toHaveLength(400);
    expect(s.probe).toHaveLength(200);
    expect(s.full).toHaveLength(200);
    await s.commit(new Set(s.full.map((t) => t.name)));
    out.push(s.probe.map((t) => t.name));
  }
  return out;
}

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startShortSim();
});
afterAll(async () => Promise.all([sim?.close(), cleanupTempDirs()]));

describe('rotation', () => {
  it('probes 400 targets in rounds that fit 200: every one within two rounds, none twice', async () => {
    const store = createLocalStore(await tempDir('rc-rotation-'));
    const [first, second, third] = await rounds(store, 3);
    expect(new Set([...first!, ...second!]).size).toBe(400);
    expect(third).toEqual(first); // and round and round
    expect(await store.readJson('plan/westeurope/rotation.json')).toMatchObject({ next: second![0], runId: 'run-2' });
  });

  it('rotates by the window number when the store does not answer', async () => {
    const real = createLocalStore(await tempDir('rc-rotation-hung-'));
    const hung: ArtifactStore = {
      ...real,
      readJson: () => new Promise(() => undefined),
      updateJson: () => new Promise(() => undefined),
    };
    const warnings: string[] = [];
    const [first, second] = await rounds(hung, 2, warnings);
    expect(new Set([...first!, ...second!]).size).toBe(400);
    expect(warnings.join('\n')).toMatch(
      /rotation point unknown \(rotation point: no answer within 2000 ms\); starting by the window's number/,
    );
  }, 30_000);

  it('finds the window a round belongs to and the targets due in it', () => {
    expect(roundWindow('0 */10 * * * *', new Date(T0))).toEqual({
      fromMs: T0 - 3_000,
      toMs: T0 - 3_000 + 10 * MIN,
      everyMs: 10 * MIN,
    });
    // a round started a little early belongs to the tick it was started for
    expect(roundWindow('0 */10 * * * *', new Date(T0 - 5_000)).fromMs).toBe(T0 - 3_000);
    const slow: TargetConfig = { name: 'slow', auth: 'none', endpoint: 'ws://127.0.0.1:1/v1/realtime', every: '30m' };
    const fast: TargetConfig = { ...slow, name: 'fast', every: '5m' };
    const hits = Array.from({ length: 9 }, (_, r) =>
      dueInWindow([slow, fast, many(1)[0]!], roundWindow('0 */10 * * * *', new Date(T0 + r * 10 * MIN))).map(
        (t) => t.name,
      ),
    );
    expect(hits.filter((h) => h.includes('slow'))).toHaveLength(3);
    expect(hits.every((h) => h.includes('fast') && h.includes('t-0'))).toBe(true);
  });
});

describe('a full round against the simulator', () => {
  it('holds back what does not fit with index lines and one digest card, and probes them in the next rounds', async () => {
    const out = await tempDir('rc-full-');
    const targets = Array.from({ length: 9 }, (_, i) => ({
      name: `sim-${i}`,
      endpoint: sim.url('azure-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
    }));
    const base = {
      SIM_KEY,
      CANARY_OUTPUT_DIR: out,
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_TURNS: '1',
      CANARY_PROMPTS: 'count-to-twenty',
      CANARY_TURN_TIMEOUT_MS: '15000',
      CANARY_CONCURRENCY: '1',
    };
    // a deadline whose probe window (80 % of it from 15 s on) plans 3 sessions: 0.8 × deadline × ROUND_FILL = 3.5 sessions
    const session = expectedSessionMs({}, loadSettings(base), promptLengths(shortCatalog()));
    const deadline = Math.ceil((3.5 * session) / (0.8 * ROUND_FILL));
    const env = { ...base, CANARY_ROUND_DEADLINE_MS: String(deadline) };
    const probed: string[][] = [];
    for (let r = 0; r < 3; r++) {
      const s = loadSettings({ ...env, CANARY_SPOOL_DIR: await tempDir('rc-full-spool-') });
      const store = createStore(s, quiet);
      const { sinks, stats } = createSinks(s, { store, telemetry: noTelemetry, log: quiet });
      const result = await runRound(s, s.targets!, {
        store,
        env,
        log: quiet,
        sinks,
        stats,
        catalog: shortCatalog(),
        probe: { pace: 'burst' },
        now: () => new Date(T0 + r * 10 * MIN),
      });
      probed.push(result.outcomes.map((o) => o.summary.target));
      expect(result.outcomes).toHaveLength(3);
      expect(result.notProbed.filter((n) => n.reason.startsWith('not probed: round full'))).toHaveLength(6);
    }
    expect(new Set(probed.flat()).size).toBe(9); // within ceil(9 / 3) = 3 rounds, each once
    const store = createLocalStore(out);
    const index = (await store.get('index/2026-12-07.jsonl'))!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as RunSummary);
    const full = index.filter((s) => s.notProbed === 'round full');
    expect(full).toHaveLength(18);
    expect(full[0]!.headline).toMatch(
      /^not probed: round full \(9 targets due, the round fits about 3; they are probed in rotation\)$/,
    );
    const digests = (await store.list('alerts/')).filter((p) => p.includes('-round-'));
    expect(digests).toHaveLength(3);
    const card = (await store.readJson<TeamsEnvelope>(digests[0]!))!;
    expect(adaptiveCardProblems(card.attachments[0].content)).toEqual([]);
    expect(cardTexts(card)[0]).toBe('📋 local: 6 targets not probed (round full)');
  }, 120_000);
});
