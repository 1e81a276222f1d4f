/**
 * Dollars: the one way the canary writes an amount (reports, cards, log lines, the CLI) and the one rounding of a
 * stored cost (to a millionth of a dollar, what report.json and the index carry).
 */

/** How to write an amount: a fixed number of decimals, grouped in thousands (`$1,234.50`) unless `grouping: false`. */
export interface UsdStyle {
  digits: number;
  grouping?: boolean;
}

/**
 * Dollars as people read them. Without a style: `$0.1234` below a dollar, `$12.34` (grouped) from a dollar on.
 * With one: `digits` decimals, grouped unless `grouping: false` (`$1234.50`, as budget messages have always read).
 */
export function formatUsd(usd: number, style?: UsdStyle): string {
  if (!style) return usd < 1 ? formatUsd(usd, { digits: 4, grouping: false }) : formatUsd(usd, { digits: 2 });
  const { digits, grouping = true } = style;
  return `$${grouping ? usd.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits }) : usd.toFixed(digits)}`;
}

/** A cost rounded to 1e-6 USD, as stored. */
export function roundUsd(usd: number): number {
  return Math.round(usd * 1e6) / 1e6;
}
