/**
 * Drift: a model change between two simulator runs of one target gives `model_changed` once (not on every run
 * after), the same round says when a target and its baseline run different models, and the pure comparison
 * catches changed declared defaults and a day of slower first audio.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { writeDashboard } from '../../src/sinks/dashboardSink.js';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { nextFingerprint, type FingerprintState } from '../../src/analysis/drift.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport, type Report } from '../../src/analysis/report.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { createLocalStore } from '../../src/store/localStore.js';
import { TraceBuilder } from '../analysis/traceBuilder.js';
import { reportErrors } from '../analysis/schema.js';
import { invoke, SIM_KEY, startShortSim } from '../handlers/roundFixture.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startShortSim();
});
afterAll(() => sim?.close());

const codes = (r: Report): string[] => r.findings.map((f) => f.code);

describe('model drift across simulator runs', () => {
  it('a deployment that moves to another model gives model_changed once', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'rc-drift-'));
    const env = (deployment: string) => ({
      SIM_KEY,
      CANARY_OUTPUT_DIR: dir,
      CANARY_REGION: 'swedencentral',
      CANARY_TURNS: '1',
      CANARY_PROMPTS: 'count-to-twenty',
      CANARY_TURN_TIMEOUT_MS: '15000',
      CANARY_SPOOL_DIR: join(dir, '.spool'),
      CANARY_TARGETS: JSON.stringify([
        {
          name: 'aoai',
          endpoint: sim.url('azure-ga', { deployment, scenario: 'fast' }),
          auth: 'api-key',
          secretSetting: 'SIM_KEY',
          group: 'g',
        },
        {
          name: 'openai',
          endpoint: sim.url('openai-ga', { deployment: 'gpt-realtime', scenario: 'fast' }),
          auth: 'api-key',
          secretSetting: 'SIM_KEY',
          group: 'g',
          baseline: true,
        },
      ]),
    });
    // the run's report.json as the round stored it (the round's outcomes carry only summaries)
    const reportOf = async (r: Awaited<ReturnType<typeof invoke>>, target: string): Promise<Report> =>
      JSON.parse(
        await readFile(
          join(dir, r.result.outcomes.find((o) => o.summary.target === target)!.summary.reportPath),
          'utf8',
        ),
      ) as Report;
    const aoai = (r: Awaited<ReturnType<typeof invoke>>): Promise<Report> => reportOf(r, 'aoai');
    const opts = (iso: string) => ({ now: () => new Date(iso), probe: { pace: 'burst' as const } });
    const first = await aoai(await invoke(env('gpt-realtime'), opts('2026-11-27T08:00:00Z')));
    expect(codes(first)).not.toContain('model_changed');
    expect(first.comparison?.map((c) => c.message).join(' ') ?? '').not.toMatch(/runs model/);

    const second = await invoke(env('gpt-realtime-2'), opts('2026-11-27T08:10:00Z'));
    const changed = await aoai(second);
    expect(changed.verdict).toBe('pass'); // info: it does not fail the run
    expect(changed.findings.filter((f) => f.code === 'model_changed')).toEqual([
      expect.objectContaining({
        severity: 'info',
        message: expect.stringMatching(
          /now declares model “gpt-realtime-2”; the last healthy run \(.+\) declared “gpt-realtime”/,
        ),
      }),
    ]);
    expect(changed.summary.findingCodes).toContain('model_changed');
    expect(second.result.outcomes.find((o) => o.summary.target === 'aoai')!.summary.findingCodes).toContain(
      'model_changed',
    );
    expect(changed.comparison!.map((c) => c.message).join(' ')).toMatch(
      /aoai runs model “gpt-realtime-2”, baseline openai runs “gpt-realtime” in the same round/,
    );
    expect(reportErrors(changed)).toEqual([]);
    expect(codes(await reportOf(second, 'openai'))).not.toContain('model_changed');

    const third = await aoai(await invoke(env('gpt-realtime-2'), opts('2026-11-27T08:20:00Z')));
    expect(codes(third)).not.toContain('model_changed');
    const stored = await createLocalStore(dir).readJson<FingerprintState>('fingerprint/swedencentral/aoai.json');
    expect(stored!.healthy!.declared.model).toBe('gpt-realtime-2');
    // the dashboard marks the change once (Azure's gpt-realtime-2 retired on 2026-08-31: it has its own line too)
    await writeDashboard(createLocalStore(dir), new Date('2026-11-27T08:30:00Z')); // the round's clock stamps the probes too
    const html = await readFile(join(dir, 'index.html'), 'utf8');
    expect(html.match(/data-testid="drift-marker"[^>]*data-code="model_changed"/g)).toHaveLength(1);
    expect(html.match(/data-testid="drift-marker" data-target="aoai"[^>]*data-code="model_retiring"/g)).toHaveLength(1);
    expect(html).toMatch(
      /data-testid="drift-marker" data-target="aoai" data-region="swedencentral"[^>]*data-code="model_changed"/,
    );
  }, 90_000);
});

describe('fingerprint comparison', () => {
  function run(at: string, o: { model?: string; silenceMs?: number; firstAudioMs?: number } = {}) {
    const b = new TraceBuilder().connect();
    b.entries.splice(
      b.entries.findIndex((e) => e.kind === 'recv' && e.type === 'session.created'),
      1,
    );
    b.recv(61, 'session.created', {
      session: {
        id: 's',
        model: o.model ?? 'gpt-realtime',
        audio: {
          input: {
            turn_detection: {
              type: 'server_vad',
              threshold: 0.5,
              prefix_padding_ms: 300,
              silence_duration_ms: o.silenceMs ?? 200,
            },
          },
          output: { voice: 'alloy', format: { type: 'audio/pcm', rate: 24000 } },
        },
        max_output_tokens: 'inf',
      },
    });
    const trace = b.sessionEnd(100).build(1);
    const report = buildReport(trace, analyzeTrace(trace));
    return {
      trace,
      report: {
        ...report,
        verdict: 'pass' as const,
        times: { ...report.times, startedAt: at },
        summary: { ...report.summary, medianFirstAudioMs: o.firstAudioMs ?? 500 },
      },
    };
  }

  it('a changed VAD default is behaviour_changed, once', () => {
    let state: FingerprintState | undefined;
    const a = run('2026-11-27T08:00:00Z');
    state = nextFingerprint(state, a.report, a.trace).state;
    const b = run('2026-11-27T08:10:00Z', { silenceMs: 500 });
    const step = nextFingerprint(state, b.report, b.trace);
    expect(step.findings.map((f) => [f.code, f.message])).toEqual([
      ['behaviour_changed', expect.stringContaining('vad server_vad 0.5/300/200 → server_vad 0.5/300/500')],
    ]);
    const c = run('2026-11-27T08:20:00Z', { silenceMs: 500 });
    expect(nextFingerprint(step.state, c.report, c.trace).findings).toEqual([]);
  });

  it('a day of much slower first audio is behaviour_changed', () => {
    let state: FingerprintState | undefined;
    let found: string[] = [];
    for (let i = 0; i < 20; i++) {
      const r = run(new Date(Date.parse('2026-11-27T00:00:00Z') + i * 3_600_000).toISOString(), {
        firstAudioMs: i < 8 ? 500 : 1500,
      });
      const step = nextFingerprint(state, r.report, r.trace);
      state = step.state;
      found = [...found, ...step.findings.map((f) => f.message)];
    }
    expect(found).toHaveLength(1);
    expect(found[0]).toMatch(/p50 time to first audio 500 → \d+ ms/);
  });
});
