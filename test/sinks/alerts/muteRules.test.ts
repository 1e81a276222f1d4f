/**
 * Mutes, pure: which mute covers a run, and what a mute holds — alerts, reminders and the recovery of an alert it
 * held — while the recovery of an alert announced before the mute still goes out (no page stays open forever).
 */
import { describe, expect, it } from 'vitest';
import type { Mute } from '../../../src/config/mute.js';
import { nextAlertState, type AlertState } from '../../../src/sinks/alerts/alertState.js';
import { activeMute, holdMuted, withMute } from '../../../src/sinks/alerts/mute.js';
import type { RunSummary } from '../../../src/runSummary.js';
import { makeRunSummary } from '../../helpers/runSummary.js';

const T0 = Date.parse('2026-11-24T08:00:00Z');
const min = (m: number) => new Date(T0 + m * 60_000);
const MUTES: Mute[] = [
  { group: 'gpt-realtime', until: min(60).toISOString(), reason: 'upgrade' },
  { target: 'aoai-sweden', until: min(90).toISOString() },
  { target: 'other', until: min(30).toISOString() },
];
const RULES = { k: 1, n: 1, reminderHours: 6 };

/** Applies a run at minute `m`, muted by MUTES as the round would mark it. */
function apply(state: AlertState | undefined, verdict: 'pass' | 'fail', m: number, mutes = MUTES) {
  const run: RunSummary = withMute(
    makeRunSummary({ runId: `run-${m}`, startedAt: min(m).toISOString(), verdict }),
    mutes,
    min(m),
  );
  return holdMuted(nextAlertState(state, run, min(m), RULES), run);
}

describe('mutes', () => {
  it('pick the mute covering a target by name or group that ends last; an ended mute covers nothing', () => {
    expect(activeMute(MUTES, { name: 'aoai-sweden', group: 'gpt-realtime' }, min(0))?.until).toBe(
      min(90).toISOString(),
    );
    expect(activeMute(MUTES, { name: 'aoai-france', group: 'gpt-realtime' }, min(0))?.group).toBe('gpt-realtime');
    expect(activeMute(MUTES, { name: 'other' }, min(30))).toBeUndefined();
    expect(withMute(makeRunSummary({ target: 'aoai-france' }), MUTES, min(0)).muted).toEqual({
      until: min(60).toISOString(),
      scope: 'group gpt-realtime',
      reason: 'upgrade',
    });
    expect(withMute(makeRunSummary({ target: 'x', group: 'y' }), MUTES, min(0)).muted).toBeUndefined();
  });

  it('hold an alert, its reminders and its recovery while muted, recording each', () => {
    const opened = apply(undefined, 'fail', 0);
    expect(opened.notifications.map((n) => n.kind)).toEqual(['alert']);
    expect(opened.state.pending).toEqual([]);
    expect(opened.state.muted).toEqual([
      expect.objectContaining({ kind: 'alert', scope: 'target aoai-sweden', until: min(90).toISOString() }),
    ]);
    const recovered = apply(opened.state, 'pass', 10);
    expect(recovered.notifications.map((n) => n.kind)).toEqual(['recovery']);
    expect(recovered.state.pending).toEqual([]);
    expect(recovered.state.muted!.map((m) => m.kind)).toEqual(['alert', 'recovery']);
  });

  it('send the recovery of an alert that was announced before the mute', () => {
    const before = apply(undefined, 'fail', 0, []); // not muted yet: the alert goes out
    expect(before.state.pending.map((n) => n.kind)).toEqual(['alert']);
    const delivered = { ...before.state, pending: [] };
    const recovered = apply(delivered, 'pass', 10);
    expect(recovered.state.pending.map((n) => n.kind)).toEqual(['recovery']);
    expect(recovered.state.muted).toBeUndefined();
  });
});
