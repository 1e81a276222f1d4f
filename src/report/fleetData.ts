/**
 * The dashboard's input, pure: daily index texts (`index/<yyyy-mm-dd>.jsonl`, one RunSummary per line) in, the
 * summaries of a time window out. Unreadable lines (a torn append, a foreign line) are skipped and counted,
 * never fatal. Reading the index from the store and writing `index.html` is the dashboard sink's job
 * (src/sinks/dashboardSink.ts).
 */
import { isRecord } from '../json.js';
import type { RunSummary } from '../runSummary.js';

const VERDICTS = new Set(['pass', 'fail', 'error']);

export interface FleetLoad {
  /** Summaries that started within the window, in index order (duplicates kept; the dashboard drops them). */
  summaries: RunSummary[];
  /** Lines that were not a RunSummary (bad JSON or missing fields). */
  skippedLines: number;
  /** Index files read (days without one are not counted). */
  files: number;
}

/** The summaries in `texts` (index file contents; undefined = no file that day) that started within `[fromMs, toMs]`. */
export function summariesFromIndex(texts: readonly (string | undefined)[], fromMs: number, toMs: number): FleetLoad {
  const out: FleetLoad = { summaries: [], skippedLines: 0, files: 0 };
  for (const text of texts) {
    if (text === undefined) continue;
    out.files++;
    for (const line of text.split('\n')) {
      if (!line.trim()) continue;
      const s = parseSummary(line);
      if (!s) {
        out.skippedLines++;
        continue;
      }
      const at = Date.parse(s.startedAt);
      if (at >= fromMs && at <= toMs) out.summaries.push(s);
    }
  }
  return out;
}

/** One index line as a RunSummary, or undefined when it is not one (the fields the dashboard relies on are checked). */
export function parseSummary(line: string): RunSummary | undefined {
  let v: unknown;
  try {
    v = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (!isRecord(v)) return undefined;
  const s = v;
  const strings = ['runId', 'startedAt', 'region', 'target', 'flavour', 'reportHtmlPath'] as const;
  if (!strings.every((k) => typeof s[k] === 'string' && s[k] !== '')) return undefined;
  if (!VERDICTS.has(s.verdict as string) || Number.isNaN(Date.parse(s.startedAt as string))) return undefined;
  if (typeof s.longestGapMs !== 'number') s.longestGapMs = 0;
  if (typeof s.baseline !== 'boolean') s.baseline = false;
  if (!Array.isArray(s.findingCodes)) s.findingCodes = [];
  return s as unknown as RunSummary;
}
