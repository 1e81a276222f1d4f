/** The demo's terminal table: a run that could not start says "not run" instead of a healthy-looking "0/2". */
import { describe, expect, it } from 'vitest';
import { roundTable } from '../../src/cli/roundTable.js';
import type { Report } from '../../src/analysis/report.js';
import type { RoundResult } from '../../src/runner/round.js';
import type { RunSummary } from '../../src/runSummary.js';
import { makeRunSummary } from '../helpers/runSummary.js';

const round = (summaries: RunSummary[]): RoundResult => ({
  runId: 'r',
  startedAt: '2026-11-02T10:00:00Z',
  durationMs: 1,
  notificationsDelivered: 0,
  notificationsPending: 0,
  outcomes: summaries.map((summary) => ({ summary, report: {} as Report })),
  notProbed: [{ target: 'late', reason: 'round deadline' }],
});

describe('round table', () => {
  it('shows failing/turns for probed runs, "not run" for runs that could not start, and the run\'s category', () => {
    const table = roundTable(
      round([
        makeRunSummary({ target: 'gap', verdict: 'fail', turns: 2, failingTurns: 1, longestGapMs: 2700 }),
        makeRunSummary({
          target: 'wrong-key',
          verdict: 'error',
          turns: 2,
          failingTurns: 0,
          longestGapMs: 0,
          timeToFirstAudioMs: undefined,
          findingCodes: ['connection_rejected'],
          category: 'configuration',
        }),
        makeRunSummary({ target: 'busy', verdict: 'fail', category: 'capacity', findingCodes: ['rate_limited'] }),
      ]),
    ).split('\n');
    expect(table[0]).toMatch(/^target\s+flavour\s+verdict\s+failing\s+longest gap\s+first audio\s+findings$/);
    expect(table[2]).toMatch(/^gap\s+azure-ga\s+FAIL\s+1\/2\s+2\.7 s\s+640 ms\s+silent_gap, playback_underrun$/);
    expect(table[3]).toMatch(
      /^wrong-key\s+azure-ga\s+ERROR \(configuration\)\s+not run\s+-\s+-\s+connection_rejected$/,
    );
    expect(table[3]).not.toMatch(/0\/2/);
    expect(table[4]).toMatch(/^busy\s+azure-ga\s+FAIL \(capacity\)\s+3\/6\s+/);
    expect(table[5]).toBe('late: not probed (round deadline)');
  });
});
