/**
 * What queue mode's planner plans, pure: the window each claim takes (the rest of this minute and the next on a
 * first run, from where the last planner stopped afterwards), a second or retried claim in the same minute taking
 * nothing (and its own claim, met again after a retried write, kept), missed starts counted, the end-of-round step
 * claimed once a minute, and a group's members planned into their baseline's minute.
 */
import { describe, expect, it } from 'vitest';
import type { TargetConfig } from '../../src/config/targets.js';
import { dueProbes, jitterMsOf } from '../../src/runner/plan.js';
import { claimWindow, plannedOffset, plannedProbes } from '../../src/runner/plannerWindow.js';

const MIN = 60_000;
// a Monday at 10:00 UTC
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);
const t = (name: string, extra: Partial<TargetConfig> = {}): TargetConfig => ({
  name,
  auth: 'none',
  endpoint: 'ws://127.0.0.1:1/openai/realtime',
  deployment: 'gpt-realtime',
  ...extra,
});

describe('claimWindow', () => {
  it('plans from now to the end of the next minute at first, then each minute the next one, once', () => {
    const first = claimWindow(undefined, T0 + 20_000, 'inv-1');
    expect([first.fromMs, first.toMs]).toEqual([T0 + 20_000, T0 + 2 * MIN]);
    expect(first.sinks).toBe(true);
    expect(first.missed).toBeUndefined();
    // the next minute's planner starts where the first stopped
    const next = claimWindow(first.state, T0 + MIN + 300, 'inv-2');
    expect([next.fromMs, next.toMs]).toEqual([T0 + 2 * MIN, T0 + 3 * MIN]);
    expect(next.sinks).toBe(true);
    // an overlapping (or retried) planner in the same minute: nothing left to plan, no second end-of-round step
    const overlap = claimWindow(next.state, T0 + MIN + 900, 'inv-3');
    expect(overlap.toMs).toBe(overlap.fromMs);
    expect(overlap.sinks).toBe(false);
    expect(overlap.state).toEqual(next.state);
    // inv-2's write was retried after it had landed: inv-2 finds its own claim again, whole
    const again = claimWindow(overlap.state, T0 + MIN + 1_200, 'inv-2');
    expect([again.fromMs, again.toMs, again.sinks]).toEqual([T0 + 2 * MIN, T0 + 3 * MIN, true]);
  });

  it('counts the starts nobody planned when planners stopped, and plans from now', () => {
    const first = claimWindow(undefined, T0, 'inv-1');
    const late = claimWindow(first.state, T0 + 7 * MIN + 5_000, 'inv-2');
    expect(late.missed).toEqual({ fromMs: T0 + 2 * MIN, toMs: T0 + 7 * MIN + 5_000 });
    expect([late.fromMs, late.toMs]).toEqual([T0 + 7 * MIN + 5_000, T0 + 9 * MIN]);
    // days later: nothing counted as missed
    expect(claimWindow(first.state, T0 + 3 * 86_400_000, 'inv-3').missed).toBeUndefined();
  });
});

describe('plannedProbes', () => {
  it("plans each target at its jitter, and a group's members into their baseline's minute at their own second", () => {
    const base = t('base', { group: 'g', baseline: true, every: '10m' });
    const members = ['m1', 'm2', 'm3', 'm4'].map((n) => t(n, { group: 'g', every: '10m' }));
    const loner = t('loner', { every: '10m' });
    const targets = [base, ...members, loner];
    const { due, withoutBaseline } = plannedProbes(targets, T0, T0 + 10 * MIN, 10 * MIN);
    expect(due.map((p) => p.target.name).sort()).toEqual(targets.map((x) => x.name).sort());
    const minuteOf = (name: string): number => Math.floor(due.find((p) => p.target.name === name)!.startAt / MIN);
    for (const m of members) expect(minuteOf(m.name)).toBe(minuteOf('base'));
    expect(withoutBaseline).toEqual([]);
    // each member at the second of its own jitter: they do not start together
    const seconds = members.map((m) => due.find((p) => p.target.name === m.name)!.startAt % MIN);
    expect(seconds).toEqual(members.map((m) => jitterMsOf(m, 10 * MIN) % MIN));
    expect(new Set(seconds).size).toBe(members.length);
    // the loner keeps its own jitter
    expect(due.find((p) => p.target.name === 'loner')!.startAt).toBe(T0 + jitterMsOf(loner, 10 * MIN));
  });

  it('a member probed more often than its baseline is planned on its own interval, and said to lack it', () => {
    const base = t('base', { group: 'g', baseline: true, every: '30m' });
    const member = t('member', { group: 'g', every: '10m' });
    const { due, withoutBaseline } = plannedProbes([base, member], T0, T0 + 30 * MIN, 10 * MIN);
    expect(due.filter((p) => p.target.name === 'member')).toHaveLength(3);
    expect(withoutBaseline).toHaveLength(2);
    // a member whose interval is a multiple of its baseline's always shares a minute with it
    const slow = t('slow', { group: 'g2', every: '20m' });
    const fast = t('fast', { group: 'g2', baseline: true, every: '5m' });
    expect(plannedProbes([fast, slow], T0, T0 + 60 * MIN, 10 * MIN).withoutBaseline).toEqual([]);
    expect(dueProbes([slow], T0, T0 + 60 * MIN, 10 * MIN, plannedOffset([fast, slow], 10 * MIN))).toHaveLength(3);
  });
});
