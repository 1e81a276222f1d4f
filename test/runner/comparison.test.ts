import { describe, expect, it } from 'vitest';
import { compareGroups, tallyOf, type GroupMember } from '../../src/runner/comparison.js';
import type { Report } from '../../src/analysis/report.js';
import type { Finding } from '../../src/analysis/findings.js';
import { runPool } from '../../src/runner/pool.js';

const gap = (turn: number, ms: number): Finding => ({
  code: 'silent_gap',
  severity: 'major',
  turn,
  atMs: 4000,
  durationMs: ms,
  message: 'gap',
});

function report(verdict: Report['verdict'], turns: Finding[][], codes: string[] = []): Report {
  return {
    verdict,
    turns: turns.map((findings, i) => ({
      turn: i + 1,
      verdict: findings.length ? 'fail' : verdict === 'error' ? 'error' : 'pass',
      findings,
    })),
    summary: { findingCodes: codes },
  } as unknown as Report;
}

const member = (name: string, r: Report, baseline = false, group: string | undefined = 'g'): GroupMember => ({
  name,
  group,
  baseline,
  tally: tallyOf(r),
});

describe('group comparison', () => {
  it('blames the hosting layer when only the Azure target fails', () => {
    const out = compareGroups([
      member('francecentral', report('fail', [[gap(1, 3100)], [], [gap(3, 2000)], [gap(4, 1500)], [], []])),
      member('openai', report('pass', [[], [], [], [], [], []]), true),
      member('swedencentral', report('pass', [[], [], [], [], [], []])),
    ]);
    expect(out.get('francecentral')).toEqual({
      group: 'g',
      baseline: 'openai',
      message:
        'francecentral: 3 of 6 turns with silent gaps (max 3.1 s); baseline openai: 0 of 6 — the hosting layer is the likely cause',
    });
    expect(out.get('swedencentral')!.message).toBe(
      'swedencentral: 0 of 6 turns failing; baseline openai: 0 of 6 — both healthy',
    );
    expect(out.has('openai')).toBe(false);
  });

  it('points at the model when the baseline fails the same way, and says so when a target could not be probed', () => {
    const out = compareGroups([
      member('azure', report('fail', [[gap(1, 2000)], []])),
      member('openai', report('fail', [[gap(1, 1800)], []]), true),
      member('azure-401', report('error', [[], []], ['connection_rejected'])),
    ]);
    expect(out.get('azure')!.message).toBe(
      'azure: 1 of 2 turns with silent gaps (max 2.0 s); baseline openai: 1 of 2 — the baseline fails too, so the model or the prompt is the likely cause',
    );
    expect(out.get('azure-401')!.message).toMatch(
      /^azure-401: could not be probed \(connection_rejected\); baseline openai: 1 of 2 — the target could not be probed/,
    );
  });

  it('compares nothing without a baseline or a group', () => {
    expect(
      compareGroups([
        member('a', report('fail', [[gap(1, 2000)]])),
        member('b', report('pass', [[]]), false, undefined),
      ]).size,
    ).toBe(0);
  });
});

describe('pool', () => {
  it('bounds concurrency and does not start tasks after the deadline', async () => {
    let running = 0;
    let peak = 0;
    let clock = 0;
    const results = await runPool(
      [1, 2, 3, 4, 5],
      2,
      3,
      async (x) => {
        running++;
        peak = Math.max(peak, running);
        await new Promise((r) => setTimeout(r, 5));
        running--;
        clock++;
        if (x === 2) throw new Error('boom');
        return x * 10;
      },
      () => clock,
    );
    expect(peak).toBe(2);
    expect(results.map((r) => r.status)).toEqual(['done', 'failed', 'done', 'done', 'not-started']);
  });
});
