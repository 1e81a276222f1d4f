/** A sparkline: a series as a small inline SVG polyline, broken where values are missing. Pure. */
import { escapeAttr, escapeText } from './escape.js';
import { ms, num } from './format.js';

export interface SparklineOptions {
  width: number;
  height: number;
  /** Used by tests and tools: `data-testid` of the SVG. */
  testId: string;
  /** What the series is, for the accessible label. */
  label: string;
}

/** The sparkline of `series` (null = no data); the y axis starts at 0 and ends at the series' maximum. */
export function sparkline(series: readonly (number | null)[], o: SparklineOptions): string {
  const values = series.filter((v): v is number => v !== null && Number.isFinite(v));
  const max = values.length ? Math.max(...values) : 0;
  const step = series.length > 1 ? o.width / (series.length - 1) : 0;
  const y = (v: number): string => num(o.height - 1 - (max > 0 ? (v / max) * (o.height - 2) : 0));
  let d = '';
  let pen = false;
  series.forEach((v, i) => {
    if (v === null || !Number.isFinite(v)) {
      pen = false;
      return;
    }
    d += `${pen ? 'L' : 'M'}${num(i * step)} ${y(v)}`;
    pen = true;
  });
  const last = [...series].reverse().find((v): v is number => v !== null);
  const text = values.length ? `last ${ms(last ?? null)} · max ${ms(max)}` : 'no data';
  return (
    `<span class="spark"><svg data-testid="${o.testId}" width="${o.width}" height="${o.height}" ` +
    `viewBox="0 0 ${o.width} ${o.height}" role="img" aria-label="${escapeAttr(`${o.label}: ${text}`)}">` +
    `<path d="${d}"/></svg><span class="spark-text">${escapeText(text)}</span></span>`
  );
}
