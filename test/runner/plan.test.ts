/**
 * When targets are due: a stable jitter per target inside its interval, its own `every` or the round's, and the
 * probes due in a window — over consecutive windows, a target with a longer interval than the round is due once
 * per interval, always at the same offset.
 */
import { describe, expect, it } from 'vitest';
import type { TargetConfig } from '../../src/config/targets.js';
import { dueProbes, everyMsOf, jitterMsOf } from '../../src/runner/plan.js';

const MIN = 60_000;
const t = (name: string, extra: Partial<TargetConfig> = {}): TargetConfig => ({
  name,
  auth: 'none',
  endpoint: 'ws://127.0.0.1:1/openai/realtime',
  deployment: 'gpt-realtime',
  ...extra,
});
// a Monday at 10:00 UTC, on a 10-minute boundary
const T0 = Date.UTC(2026, 11, 7, 10, 0, 0);

describe('everyMsOf and jitterMsOf', () => {
  it("takes the target's own interval, else the round's", () => {
    expect(everyMsOf(t('a'), 10 * MIN)).toBe(10 * MIN);
    expect(everyMsOf(t('a', { every: '30m' }), 10 * MIN)).toBe(30 * MIN);
    expect(everyMsOf(t('a', { every: '1h' }), 10 * MIN)).toBe(60 * MIN);
    expect(everyMsOf(t('a', { every: '1d' }), 10 * MIN)).toBe(1440 * MIN);
  });

  it('is stable for a target, inside its interval, and differs between targets and deployments', () => {
    const a = jitterMsOf(t('a'), 30 * MIN);
    expect(jitterMsOf(t('a'), 30 * MIN)).toBe(a);
    expect(jitterMsOf(t('a', { every: '5m', group: 'g' }), 30 * MIN)).toBe(a); // name + deployment only
    expect(a).toBeGreaterThanOrEqual(0);
    expect(a).toBeLessThan(30 * MIN);
    expect(jitterMsOf(t('b'), 30 * MIN)).not.toBe(a);
    expect(jitterMsOf(t('a', { deployment: 'gpt-realtime-mini' }), 30 * MIN)).not.toBe(a);
    // a pinned value: the hash must not change between releases (a target would move inside its interval)
    expect(jitterMsOf(t('aoai-sweden', { deployment: 'gpt-realtime' }), 3_600_000)).toBe(2_892_837);
  });

  it('spreads the probes of one deployment over the interval', () => {
    const targets = Array.from({ length: 300 }, (_, i) => t(`t-${i}`, { every: '1h' }));
    const perMinute = new Map<number, number>();
    for (const x of targets) {
      const m = Math.floor(jitterMsOf(x, 60 * MIN) / MIN);
      perMinute.set(m, (perMinute.get(m) ?? 0) + 1);
    }
    // 300 starts over 60 minutes: 5 a minute on average; a hash that clumped would put dozens in one minute
    expect(perMinute.size).toBeGreaterThan(50);
    expect(Math.max(...perMinute.values())).toBeLessThanOrEqual(14);
  });

  it('refuses an interval below 1 ms', () => {
    expect(() => jitterMsOf(t('a'), 0)).toThrow(RangeError);
  });
});

describe('dueProbes', () => {
  it('places each start at its jitter modulo its interval, inside the half-open window', () => {
    const targets = [t('a'), t('b', { every: '5m' }), t('c', { every: '1h' })];
    const due = dueProbes(targets, T0, T0 + 60 * MIN, 10 * MIN);
    for (const d of due) {
      const every = everyMsOf(d.target, 10 * MIN);
      expect(d.startAt).toBeGreaterThanOrEqual(T0);
      expect(d.startAt).toBeLessThan(T0 + 60 * MIN);
      expect(((d.startAt % every) + every) % every).toBe(jitterMsOf(d.target, every));
    }
    const count = (n: string): number => due.filter((d) => d.target.name === n).length;
    expect([count('a'), count('b'), count('c')]).toEqual([6, 12, 1]);
    expect(due.map((d) => d.startAt)).toEqual([...due.map((d) => d.startAt)].sort((x, y) => x - y));
  });

  it('gives a 30-minute target in 10-minute windows one window in three, always the same one of the three', () => {
    const x = t('slow', { every: '30m' });
    const hits: number[] = [];
    for (let w = 0; w < 36; w++) {
      const from = T0 + w * 10 * MIN;
      const due = dueProbes([x], from, from + 10 * MIN, 10 * MIN);
      expect(due.length).toBeLessThanOrEqual(1);
      if (due.length) hits.push(w);
    }
    expect(hits).toHaveLength(12);
    expect(new Set(hits.map((w) => w % 3)).size).toBe(1);
    for (let i = 1; i < hits.length; i++) expect(hits[i]! - hits[i - 1]!).toBe(3);
  });

  it('never counts a start twice at a window boundary, nor loses one', () => {
    const x = t('edge', { every: '10m' });
    const j = jitterMsOf(x, 10 * MIN);
    // windows that cut exactly at the start
    const start = T0 + j;
    expect(dueProbes([x], start - 5 * MIN, start, 10 * MIN)).toEqual([]);
    expect(dueProbes([x], start - 10 * MIN, start, 10 * MIN)).toEqual([{ target: x, startAt: start - 10 * MIN }]);
    expect(dueProbes([x], start, start + 10 * MIN, 10 * MIN)).toEqual([{ target: x, startAt: start }]);
    // a day of one-minute windows (the queue's planner): 144 starts, each exactly once
    let n = 0;
    for (let m = 0; m < 1440; m++) n += dueProbes([x], T0 + m * MIN, T0 + (m + 1) * MIN, 10 * MIN).length;
    expect(n).toBe(144);
  });
});
