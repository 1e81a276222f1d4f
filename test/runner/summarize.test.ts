/**
 * The RunSummary's per-turn latencies (what the dashboard's p50 / p95 are drawn from) and its cost when the service
 * reported no usage: unknown, never $0.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { summarize } from '../../src/runner/summarize.js';
import { COUNT, oneTurn } from '../analysis/helpers.js';
import { phasedSession } from '../analysis/reasoningTrace.js';
import { speech, TraceBuilder } from '../analysis/traceBuilder.js';

const paths = { reportJson: 'r/report.json', reportHtml: 'r/report.html' };

function reasoningReport(pauseMs: number) {
  const b = phasedSession(
    {
      items: [
        { phase: 'commentary', pcm: speech(1500), transcript: 'Let me think about that.' },
        { phase: 'final_answer', pcm: speech(6000), transcript: 'Canberra is the capital.', pauseMs },
      ],
    },
    new TraceBuilder({ prompts: [{ id: 'p', expect: [] }] }).connect(),
  );
  const trace = b.build();
  return buildReport(trace, analyzeTrace(trace));
}

describe('summarize', () => {
  it('carries each turn’s time to first audio and time to the final answer', () => {
    const s = summarize(reasoningReport(2800), { region: 'r', paths });
    expect(s.timing?.firstAudioMs).toEqual([400]);
    expect(s.timing?.finalAnswerMs).toHaveLength(1);
    expect(s.timing!.finalAnswerMs[0]).toBeCloseTo(400 + 1500 + 2800, 0);
    expect(s.timeToFirstAudioMs).toBe(400);
  });

  it('leaves the cost out when no response carried usage (unknown, not $0), and keeps it when one did', () => {
    const withoutUsage = oneTurn({ pcm: speech(3000), transcript: COUNT, audioTokens: null }).b.build();
    const report = buildReport(withoutUsage, analyzeTrace(withoutUsage));
    expect(report.cost && 'usd' in report.cost ? report.cost : 'no price').toMatchObject({ usd: 0, perTurn: [] });
    expect('costUsd' in summarize(report, { region: 'r', paths })).toBe(false);
    expect(summarize(reasoningReport(500), { region: 'r', paths }).costUsd).toBeGreaterThan(0);
  });
});
