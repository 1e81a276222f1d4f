/** The one dollar formatter writes every amount exactly as the inline formats it replaced did. */
import { describe, expect, it } from 'vitest';
import { formatUsd, roundUsd } from '../../src/cost/usd.js';

describe('formatUsd', () => {
  it('reads $0.1234 below a dollar and $1,234.50 from a dollar on', () => {
    expect(formatUsd(0.12345)).toBe('$0.1235');
    expect(formatUsd(0)).toBe('$0.0000');
    expect(formatUsd(1)).toBe('$1.00');
    expect(formatUsd(1234.5)).toBe('$1,234.50');
  });

  it('a fixed number of decimals, grouped (the cost table) or not (budget messages, validate)', () => {
    for (const x of [0, 0.000049, 0.08589, 12.345, 999.995, 1234.5, 3387.0449]) {
      for (const digits of [2, 4]) {
        expect(formatUsd(x, { digits })).toBe(
          `$${x.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })}`,
        );
        expect(formatUsd(x, { digits, grouping: false })).toBe(`$${x.toFixed(digits)}`);
      }
    }
    expect(formatUsd(1234.5, { digits: 2 })).toBe('$1,234.50');
    expect(formatUsd(1234.5, { digits: 2, grouping: false })).toBe('$1234.50');
  });
});

describe('roundUsd', () => {
  it('rounds a stored cost to a millionth of a dollar', () => {
    expect(roundUsd(0.0859123456)).toBe(0.085912);
    expect(roundUsd(0.1 + 0.2)).toBe(0.3);
  });
});
