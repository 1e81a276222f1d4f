/** Synthetic fleets for the dashboard tests: RunSummaries every 10 minutes with the layout's paths. */
import { runPaths } from '../../src/store/layout.js';
import type { Verdict } from '../../src/analysis/findings.js';
import type { RunSummary } from '../../src/runSummary.js';
import { makeRunSummary } from '../helpers/runSummary.js';

export interface FleetSpec {
  now: Date;
  targets: { name: string; flavour?: string; group?: string; baseline?: boolean }[];
  regions: string[];
  /** Runs per (target, region), one every 10 minutes backwards from `now − 5 min`. */
  runs: number;
  /** Verdict of a run (default pass). */
  verdict?: (target: string, region: string, i: number) => Verdict;
}

/** Summaries of a synthetic fleet, newest last. */
export function fleetSummaries(spec: FleetSpec): RunSummary[] {
  const out: RunSummary[] = [];
  for (let i = spec.runs - 1; i >= 0; i--) {
    const at = new Date(spec.now.getTime() - 5 * 60_000 - i * 600_000);
    const runId = `run-${at.toISOString().replace(/[-:.]/g, '').slice(0, 13)}`;
    for (const region of spec.regions) {
      for (const t of spec.targets) {
        const verdict = spec.verdict?.(t.name, region, i) ?? 'pass';
        const paths = runPaths(runId, at, region, t.name);
        out.push(
          makeRunSummary({
            runId,
            startedAt: at.toISOString(),
            region,
            target: t.name,
            flavour: t.flavour ?? 'azure-ga',
            group: t.group,
            baseline: t.baseline ?? false,
            verdict,
            headline: verdict === 'pass' ? undefined : `${t.name} failed in ${region}`,
            longestGapMs: verdict === 'fail' ? 2300 : 100,
            timeToFirstAudioMs: 500 + (i % 7) * 10,
            comparison: t.baseline ? undefined : `${t.name}: first audio 40 ms slower than the baseline.`,
            reportPath: paths.reportJson,
            reportHtmlPath: paths.reportHtml,
          }),
        );
      }
    }
  }
  return out;
}
