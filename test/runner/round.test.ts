/**
 * The round's seams on real parts (the simulator, a local store, the real sinks): the plan step can hold a
 * target back (reported, never silent), the after-run step sees every analysed run before it is published and
 * can replace it, and a sink that throws stops no other sink and no other target.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { parseWav } from '../../src/audio/wav.js';
import type { Report } from '../../src/analysis/report.js';
import { loadSettings } from '../../src/config/settings.js';
import { runRound } from '../../src/runner/round.js';
import { createStore } from '../../src/runner/roundDeps.js';
import type { TargetRun } from '../../src/runner/targetRun.js';
import type { RunSink } from '../../src/sinks/runSink.js';
import { createSinks } from '../../src/sinks/createSinks.js';
import { noTelemetry } from '../../src/sinks/telemetry.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { shortCatalog, SIM_KEY, startShortSim } from '../handlers/roundFixture.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startShortSim();
});
afterAll(async () => Promise.all([sim?.close(), cleanupTempDirs()]));

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** The run with another headline in its report (the summary is built from the report once the run is final). */
function withHeadline(run: TargetRun, headline: string): TargetRun {
  const report = run.artifacts.report as Report;
  return { ...run, artifacts: { ...run.artifacts, report: { ...report, summary: { ...report.summary, headline } } } };
}

describe('round seams', () => {
  it('plan and after-run hooks, and a throwing sink that stops nothing else', async () => {
    const out = await tempDir('rc-round-');
    const targets = ['a', 'b', 'c'].map((name) => ({
      name,
      endpoint: sim.url('azure-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
    }));
    const env = {
      SIM_KEY,
      CANARY_OUTPUT_DIR: out,
      CANARY_SPOOL_DIR: await tempDir('rc-round-spool-'),
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_TURNS: '1',
      CANARY_PROMPTS: 'count-to-twenty',
      CANARY_TURN_TIMEOUT_MS: '15000',
    };
    const settings = loadSettings(env);
    const lines: string[] = [];
    const log = { ...quiet, error: (m: string) => lines.push(m) };
    const store = createStore(settings, log);
    const { sinks, stats } = createSinks(settings, { store, telemetry: noTelemetry, log });
    const broken: RunSink = {
      name: 'broken',
      stage: 'record',
      budgetMs: 5_000,
      onSummary: async () => Promise.reject(new Error('broken on purpose')),
    };
    const seen: string[] = [];
    const result = await runRound(settings, settings.targets!, {
      store,
      env,
      log,
      sinks: [broken, ...sinks],
      stats,
      catalog: shortCatalog(),
      probe: { pace: 'burst' },
      hooks: {
        plan: async (ts) => ({
          probe: ts.filter((t) => t.name !== 'c'),
          skipped: [{ target: 'c', reason: 'over the daily budget' }],
        }),
        afterRun: async (run, t) => {
          seen.push(`${t.name}:${run.artifacts.report.verdict}`);
          return t.name === 'b' ? withHeadline(run, 'confirmed by a retry') : run;
        },
      },
    });
    expect(seen.sort()).toEqual(['a:pass', 'b:pass']);
    expect(result.outcomes.map((o) => o.summary.target).sort()).toEqual(['a', 'b']);
    expect(result.outcomes.find((o) => o.summary.target === 'b')!.summary.headline).toBe('confirmed by a retry');
    expect(result.notProbed).toEqual([{ target: 'c', reason: 'over the daily budget' }]);
    expect(lines.join('\n')).toMatch(/broken sink failed \(summary of a\): broken on purpose/);
    expect(lines.join('\n')).toMatch(/target c not probed: over the daily budget/);
    const index = (await store.list('index/'))[0]!;
    const indexed = (await store.get(index))!
      .toString()
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as { target: string; headline?: string });
    expect(indexed.map((s) => s.target).sort()).toEqual(['a', 'b']); // the broken sink stopped nothing
    expect(indexed.find((s) => s.target === 'b')!.headline).toBe('confirmed by a retry');
    expect(await store.get('index.html')).toBeDefined();
  }, 60_000);

  it("keeps answer audio on disk until each run's turn to publish, gives the slot up during a re-probe, and leaves no file behind", async () => {
    const out = await tempDir('rc-round-');
    const spillRoot = await tempDir('rc-round-tmp-');
    const targets = ['a', 'b', 'c', 'd'].map((name) => ({
      name,
      endpoint: sim.url('azure-ga', { scenario: 'fast' }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
    }));
    // concurrency 4: two publishing slots for four runs that end together
    const env = {
      SIM_KEY,
      CANARY_OUTPUT_DIR: out,
      CANARY_SPOOL_DIR: await tempDir('rc-round-spool-'),
      CANARY_TARGETS: JSON.stringify(targets),
      CANARY_TURNS: '2',
      CANARY_CONCURRENCY: '4',
      CANARY_PROMPTS: 'count-to-twenty',
      CANARY_TURN_TIMEOUT_MS: '15000',
    };
    const settings = loadSettings(env);
    const store = createStore(settings, quiet);
    const spillFiles = new Set<string>();
    let reprobing = 0;
    let mostReprobing = 0;
    const result = await runRound(settings, settings.targets!, {
      store,
      env,
      log: quiet,
      catalog: shortCatalog(),
      tempDir: spillRoot,
      probe: {
        pace: 'burst',
        // at the start of turn 2 each first probe's audio of turn 1 is in its file under tempDir
        onProgress: () => {
          for (const d of readdirSync(spillRoot)) for (const f of readdirSync(join(spillRoot, d))) spillFiles.add(f);
        },
      },
      hooks: {
        afterRun: async (run, _t, again) => {
          expect(run.artifacts.trace!.outputAudio.size).toBeGreaterThan(0); // read back before analysis
          reprobing++;
          mostReprobing = Math.max(mostReprobing, reprobing);
          const second = await again();
          reprobing--;
          return withHeadline(run, `re-probed: ${second.artifacts.report.verdict}`);
        },
      },
    });
    expect(result.outcomes.map((o) => [o.summary.target, o.summary.headline])).toEqual(
      ['a', 'b', 'c', 'd'].map((t) => [t, 're-probed: pass']),
    );
    expect([...spillFiles].filter((f) => f.endsWith('.pcm')).length).toBeGreaterThanOrEqual(4);
    expect(mostReprobing).toBeGreaterThan(2); // more re-probes at once than slots: a re-probe does not hold one
    expect(await readdir(spillRoot)).toEqual([]);
    for (const o of result.outcomes) {
      const report = JSON.parse((await store.get(o.summary.reportPath))!.toString()) as Report;
      for (const turn of report.turns) {
        const wav = parseWav(
          (await store.get(o.summary.reportPath.replace('report.json', `turn-${turn.turn}.wav`)))!,
          'turn wav',
        );
        expect(wav.data.length).toBeGreaterThan(0);
        expect(wav.data.length).toBe(turn.metrics!.audio.bytes);
      }
    }
  }, 60_000);
});
