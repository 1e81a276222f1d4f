/** The projection as the text `realtime-canary cost` (and `validate`) prints. */
import type { Projection } from './projection.js';
import { DAYS_PER_MONTH } from './rates.js';
import { formatUsd } from './usd.js';

/** An amount of the projection as `cost` prints it (the dashboard prints the month with it too). */
export const projectionUsd = (x: number | null, digits = 2): string =>
  x === null ? 'no price' : formatUsd(x, { digits });
const usd = projectionUsd;
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const gb = (bytes: number): string => `${(bytes / 1e9).toFixed(1)} GB`;

function pad(cells: string[][]): string[] {
  const widths = cells[0]!.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map((r) =>
    r
      .map((c, i) => (i === 0 || i === 1 || i === 2 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!)))
      .join('  ')
      .trimEnd(),
  );
}

export function formatProjection(p: Projection): string {
  const head = [
    'target',
    'model',
    'estimate',
    'in text/audio',
    'out text/audio',
    'per run',
    'runs/day',
    'per day',
    'per month',
    'storage/month',
  ];
  const rows = p.rows.map((r) => [
    r.target,
    r.model ?? '?',
    r.source === 'history' ? `last ${r.basedOnRuns} run(s)` : 'catalogue',
    `${int(r.tokensPerRun.textIn)}/${int(r.tokensPerRun.audioIn)}`,
    `${int(r.tokensPerRun.textOut)}/${int(r.tokensPerRun.audioOut)}`,
    usd(r.usdPerRun, 4),
    int(r.runsPerDay),
    usd(r.usdPerDay),
    usd(r.usdPerMonth),
    gb(r.storageBytesPerMonth),
  ]);
  const t = p.total;
  const total = [
    'total',
    '',
    '',
    '',
    '',
    '',
    int(t.runsPerDay),
    usd(t.usdPerDay),
    usd(t.usdPerMonth),
    gb(t.storageBytesPerMonth),
  ];
  const lines = [
    `Schedule ${p.schedule}: ${int(p.runsPerDayPerRegion)} run(s) per target per region per day, ${p.regions} region(s)` +
      (p.rows.some((r) => r.runsPerDay !== p.runsPerDayPerRegion * p.regions)
        ? ' (targets with their own "every" differ).'
        : '.'),
    `Prices of ${p.pricesAsOf} (USD per 1M tokens; check the provider's page, they change). Tokens per run; a month is ${DAYS_PER_MONTH} days.`,
    '',
    ...pad([head, ...rows, total]),
  ];
  for (const r of p.rows) if (r.noPrice) lines.push(`  ${r.target}: ${r.noPrice} — not in the total.`);
  lines.push(
    '',
    'Catalogue estimates re-send the whole conversation as uncached input each turn (an upper bound). Failing runs ' +
      'add one confirmation probe each (CANARY_CONFIRM_RETRIES).',
  );
  return lines.join('\n');
}
