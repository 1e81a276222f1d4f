import { describe, expect, it } from 'vitest';
import {
  MAX_PENDING,
  nextAlertState,
  type AlertState,
  type Notification,
} from '../../../src/sinks/alerts/alertState.js';
import type { Verdict } from '../../../src/analysis/findings.js';
import { makeRunSummary } from '../../helpers/runSummary.js';

const T0 = Date.parse('2026-11-02T10:00:00Z');
const MIN = 60_000;
const V: Record<string, Verdict> = { P: 'pass', F: 'fail', E: 'error' };

/** Plays verdicts ("PFFP…") as runs every `stepMin` minutes; returns the final state and every notification as "<run#>:<kind>". */
function play(verdicts: string, stepMin = 10, from?: AlertState, startIndex = 0) {
  let state = from;
  const log: string[] = [];
  const all: Notification[] = [];
  [...verdicts].forEach((c, j) => {
    const i = startIndex + j;
    const at = new Date(T0 + i * stepMin * MIN);
    const run = makeRunSummary({
      runId: `run-${i}`,
      startedAt: at.toISOString(),
      verdict: V[c]!,
      headline: c === 'P' ? undefined : `problem in run ${i}`,
    });
    const step = nextAlertState(state, run, new Date(at.getTime() + 30_000));
    state = step.state;
    for (const n of step.notifications) {
      log.push(`${i}:${n.kind}`);
      all.push(n);
    }
  });
  return { state: state!, log, all };
}

describe('alert rules (k = 2 of n = 3, reminder every 6 h)', () => {
  it('opens after 2 failing of the last 3 runs, with one alert', () => {
    expect(play('F').log).toEqual([]);
    const { log, all, state } = play('FF');
    expect(log).toEqual(['1:alert']);
    expect(all[0]).toMatchObject({
      id: 'alert:swedencentral/aoai-sweden:run-1',
      region: 'swedencentral',
      target: 'aoai-sweden',
      window: { failing: 2, of: 2 },
      opening: {
        runId: 'run-1',
        headline: 'problem in run 1',
        failureClass: 'silent_gap',
        openedAt: '2026-11-02T10:10:30.000Z',
      },
    });
    expect(state.open).toMatchObject({ runId: 'run-1', reminders: 0 });
    expect(state.pending.map((n) => n.id)).toEqual(['alert:swedencentral/aoai-sweden:run-1']);
    // Intermittent: fail, pass, fail also opens (2 of 3), which "n consecutive" would miss.
    expect(play('FPF').log).toEqual(['2:alert']);
    // Separated by two passes it does not.
    expect(play('FPPF').log).toEqual([]);
  });

  it('counts error verdicts as failing', () => {
    const { log, all } = play('EE');
    expect(log).toEqual(['1:alert']);
    expect(all[0]!.opening.failureClass).toBe('silent_gap'); // the first finding code; 'error' when there is none
    const bare = nextAlertState(
      play('E').state,
      makeRunSummary({
        runId: 'x',
        startedAt: new Date(T0 + 20 * MIN).toISOString(),
        verdict: 'error',
        findingCodes: [],
      }),
      new Date(T0 + 21 * MIN),
    );
    expect(bare.notifications[0]!.opening.failureClass).toBe('error');
  });

  it('sends no duplicate while open, a reminder once 6 h have passed (on a failing run only), then every 6 h', () => {
    const opened = play('FF');
    // Failing runs every 10 minutes: runs 2…36 are within 6 h of the alert (run 1), run 37 is 6 h after it.
    expect(play('F'.repeat(35), 10, opened.state, 2).log).toEqual([]);
    const later = play('F'.repeat(36), 10, opened.state, 2);
    expect(later.log).toEqual(['37:reminder']);
    const reminder = later.all[0]!;
    expect(reminder.opening).toEqual(opened.all[0]!.opening);
    expect(reminder.sinceOpen).toEqual({ runs: 37, failing: 37 });
    expect(later.state.open!.reminders).toBe(1);
    // A passing run when the reminder is due does not remind; the next failing run does.
    expect(play('F'.repeat(35) + 'PF', 10, opened.state, 2).log).toEqual(['38:reminder']);
    // The next one 6 h after the first reminder (run 73); a passing run on the way changes nothing.
    const mixed = play('P' + 'F'.repeat(40), 10, later.state, 38);
    expect(mixed.log).toEqual(['73:reminder']);
    expect(mixed.all[0]!.sinceOpen).toEqual({ runs: 73, failing: 72 });
  });

  it('recovers after 3 consecutive passes, referring to the opening alert', () => {
    const opened = play('FF');
    const { log, all, state } = play('PPP', 60, opened.state, 2);
    expect(log).toEqual(['4:recovery']);
    const recovery = all[0]!;
    expect(recovery.opening).toEqual({
      openedAt: '2026-11-02T10:10:30.000Z',
      runId: 'run-1',
      runStartedAt: '2026-11-02T10:10:00.000Z',
      headline: 'problem in run 1',
      failureClass: 'silent_gap',
    });
    expect(recovery.id).toBe('recovery:swedencentral/aoai-sweden:run-4');
    expect(recovery.summary.verdict).toBe('pass');
    expect(state.open).toBeUndefined();
    expect(state.lastRecovery).toMatchObject({ runId: 'run-4', opening: { runId: 'run-1' } });
    // Reopening needs 2 new failures.
    expect(play('FPF', 60, state, 5).log).toEqual(['7:alert']);
  });

  it('does not spam when a target flaps: pass/fail/pass/fail for 12 h gives one alert and 6-hourly reminders', () => {
    const flapping = 'PF'.repeat(36); // 72 runs, 10 minutes apart
    const { log, state } = play(flapping);
    expect(log).toEqual(['3:alert', '39:reminder']); // opened at run 3 (F P F); +6 h → the first failing run at or after run 39
    expect(state.open).toBeDefined();
    expect(state.pending.map((n) => n.kind)).toEqual(['alert', 'reminder']);
  });

  it('ignores a run it has already seen (retried or duplicated updates)', () => {
    const { state } = play('FF');
    const again = nextAlertState(
      state,
      makeRunSummary({ runId: 'run-1', verdict: 'fail' }),
      new Date(T0 + 7 * 3_600_000),
    );
    expect(again.notifications).toEqual([]);
    expect(again.state).toBe(state);
  });

  it('keeps pending until delivered; a newer reminder or a recovery replaces an undelivered reminder', () => {
    const { state } = play('FF' + 'F'.repeat(72)); // alert + 2 reminders, nothing delivered
    expect(state.pending.map((n) => n.kind)).toEqual(['alert', 'reminder']);
    const delivered = { ...state, pending: state.pending.slice(1) }; // the alert was delivered
    expect(delivered.pending.map((n) => n.kind)).toEqual(['reminder']);
    const recovered = play('PPP', 10, delivered, 80);
    expect(recovered.state.pending.map((n) => n.kind)).toEqual(['recovery']);
    // Bounded: a webhook that never works does not grow the state blob forever.
    let s: AlertState | undefined;
    for (let i = 0; i < 40; i++) s = play('FFPPP', 10, s, i * 5).state;
    expect(s!.pending.length).toBe(MAX_PENDING);
  });

  it('orders late runs by start time and validates the rules', () => {
    const { state } = play('FP');
    const late = nextAlertState(
      state,
      makeRunSummary({ runId: 'late', startedAt: new Date(T0 - 10 * MIN).toISOString(), verdict: 'fail' }),
      new Date(T0 + 30 * MIN),
    );
    expect(late.state.recent.map((r) => r.runId)).toEqual(['late', 'run-0', 'run-1']);
    expect(late.notifications.map((n) => n.kind)).toEqual(['alert']);
    const run = makeRunSummary();
    expect(() => nextAlertState(undefined, run, new Date(), { k: 4, n: 3, reminderHours: 6 })).toThrow(/k must/);
    expect(() => nextAlertState(undefined, run, new Date(), { k: 1, n: 0, reminderHours: 6 })).toThrow(/n must/);
    expect(() => nextAlertState(undefined, run, new Date(), { k: 1, n: 1, reminderHours: 0 })).toThrow(/reminderHours/);
  });
});
