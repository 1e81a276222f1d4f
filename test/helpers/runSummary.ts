/** A complete RunSummary for tests; override what matters. */
import type { RunSummary } from '../../src/runSummary.js';

export function makeRunSummary(overrides: Partial<RunSummary> = {}): RunSummary {
  const verdict = overrides.verdict ?? 'pass';
  const failing = verdict !== 'pass';
  return {
    runId: 'run-20261102T1000Z',
    startedAt: '2026-11-02T10:00:00.000Z',
    durationMs: 18_400,
    region: 'swedencentral',
    target: 'aoai-sweden',
    flavour: 'azure-ga',
    host: 'canary-swe.openai.azure.com',
    deployment: 'gpt-realtime',
    group: 'gpt-realtime',
    baseline: false,
    verdict,
    findingCodes: failing ? ['silent_gap', 'playback_underrun'] : [],
    headline: failing ? '2.3 s of silence at 4.1 s into the answer' : undefined,
    turns: 6,
    failingTurns: failing ? 3 : 0,
    longestGapMs: failing ? 3100 : 120,
    coverage: failing ? 0.82 : 1,
    timeToFirstAudioMs: 640,
    sessionId: 'sess_C4x1',
    requestIds: { 'apim-request-id': '6f1c2d3e-aaaa-bbbb-cccc-0123456789ab', 'x-request-id': 'req_77' },
    comparison: undefined,
    reportPath: 'runs/2026/11/02/run-20261102T1000Z/swedencentral/aoai-sweden/report.json',
    reportHtmlPath: 'runs/2026/11/02/run-20261102T1000Z/swedencentral/aoai-sweden/report.html',
    ...overrides,
  };
}
