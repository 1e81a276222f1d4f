/** The spend ledger's rules (pure) and the budget settings. */
import { describe, expect, it } from 'vitest';
import {
  emptyLedger,
  markBudget,
  meanActualUsd,
  reserve,
  settle,
  spentUsd,
  type ReservationRequest,
} from '../../src/cost/ledger.js';
import { loadSettings } from '../../src/config/settings.js';
import { parseTargets } from '../../src/config/targets.js';

const req = (target: string, estimateUsd: number | null, attempt = 1): ReservationRequest => ({
  target,
  region: 'r',
  runId: 'run1',
  attempt,
  estimateUsd,
});
const T = '2026-11-25T08:00:00.000Z';

describe('ledger', () => {
  it('reserves in order what the daily cap allows, skipping one that does not fit but not a cheaper one after it', () => {
    const { ledger, refused } = reserve(
      emptyLedger('2026-11-25', T),
      [req('a', 0.4), req('b', 0.5), req('c', 0.1)],
      { dailyUsd: 0.6 },
      T,
    );
    expect(Object.values(ledger.entries).map((e) => e.target)).toEqual(['a', 'c']);
    expect([...refused.values()]).toEqual([expect.stringMatching(/^today's budget \$0\.60 would be exceeded/)]);
    expect(spentUsd(ledger)).toBeCloseTo(0.5, 9);
  });

  it('is idempotent, honours per-target caps and refuses an unpriced probe only under a cap', () => {
    const once = reserve(emptyLedger('d', T), [req('a', 0.4)], {}, T).ledger;
    expect(Object.keys(reserve(once, [req('a', 0.4)], { dailyUsd: 0.5 }, T).ledger.entries)).toHaveLength(1);
    expect([...reserve(once, [req('a', 0.4, 2)], { perTarget: { a: 0.5 } }, T).refused.values()]).toEqual([
      'its daily budget $0.50 would be exceeded',
    ]);
    expect(reserve(emptyLedger('d', T), [req('x', null)], {}, T).refused.size).toBe(0);
    expect([...reserve(emptyLedger('d', T), [req('x', null)], { dailyUsd: 5 }, T).refused.values()][0]).toMatch(
      /no price/,
    );
  });

  it('settles with actual costs and marks 80 % and 100 % once each', () => {
    let l = reserve(emptyLedger('d', T), [req('a', 0.5), req('b', 0.5)], {}, T).ledger;
    l = settle(
      l,
      new Map([
        ['run1/r/a/1', 0.3],
        ['run1/r/b/1', 0.55],
      ]),
      T,
    );
    expect(spentUsd(l)).toBeCloseTo(0.85, 9);
    expect(meanActualUsd(l, 'a')).toBeCloseTo(0.3, 9);
    expect(l.entries).toEqual({});
    expect(settle(l, new Map([['run1/r/a/1', 9]]), T)).toEqual(l); // settled once
    const m = markBudget(l, 1, T);
    expect(m.reached).toEqual(['80']);
    expect(markBudget(m.ledger, 1, T).reached).toEqual([]);
    expect(markBudget(m.ledger, 1, T, true).reached).toEqual(['100']);
  });
});

describe('budget settings', () => {
  const base = {
    CANARY_TARGETS: '[{"name":"t","endpoint":"wss://x/v1/realtime?model=m","auth":"none"}]',
    CANARY_OUTPUT_DIR: '/tmp/x',
  };
  it('reads the budget, confirmation and price settings with clear errors', () => {
    expect(loadSettings(base)).toMatchObject({ dailyBudgetUsd: undefined, confirmRetries: 1, pricesBlob: undefined });
    expect(loadSettings({ ...base, CANARY_DAILY_BUDGET_USD: '25', CANARY_CONFIRM_RETRIES: '0' })).toMatchObject({
      dailyBudgetUsd: 25,
      confirmRetries: 0,
    });
    expect(() => loadSettings({ ...base, CANARY_DAILY_BUDGET_USD: 'lots' })).toThrow(
      /CANARY_DAILY_BUDGET_USD: must be an amount in USD greater than 0/,
    );
    expect(() => loadSettings({ ...base, CANARY_CONFIRM_RETRIES: '9' })).toThrow(
      /CANARY_CONFIRM_RETRIES: must be a whole number from 0 to 3/,
    );
    expect(() => loadSettings({ ...base, CANARY_PRICES: '{"m":{}}' })).toThrow(/CANARY_PRICES\.m\.textIn/);
    expect(loadSettings({ ...base, CANARY_PRICES_BLOB: 'config/prices.json' }).pricesBlob).toBe('config/prices.json');
    for (const bad of [
      '/prices.json',
      '../prices.json',
      'https://x.blob.core.windows.net/c/p.json',
      'config//p.json',
    ]) {
      expect(() => loadSettings({ ...base, CANARY_PRICES_BLOB: bad })).toThrow(
        /CANARY_PRICES_BLOB: must be a blob path inside the container/,
      );
    }
    expect(
      parseTargets('[{"name":"t","endpoint":"wss://x","auth":"none","dailyBudgetUsd":2}]')[0]!.dailyBudgetUsd,
    ).toBe(2);
    expect(() => parseTargets('[{"name":"t","endpoint":"wss://x","auth":"none","dailyBudgetUsd":0}]')).toThrow(
      /CANARY_TARGETS\[0\]\.dailyBudgetUsd/,
    );
  });
});
