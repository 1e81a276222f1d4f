/**
 * What kind of problem a non-passing run is, for alerting: a service `incident`, or a `configuration` problem of
 * the canary itself (key, model, API shape, endpoint, a prompt longer than the deployment's output cap). One place,
 * from the analysis, so alerts never call a rotated key an outage (see RunSummary.category in src/runSummary.ts).
 */
import type { Trace, UpgradeResponseEntry } from '../trace/trace.js';
import { isFailingSeverity } from './findings.js';
import type { RunAnalysis } from './metrics.js';
import { refusalAfterUpgrade } from './refusal.js';
import { sanitizeTrace } from './sanitize.js';

/** HTTP statuses of a refused upgrade that mean the canary is misconfigured (auth, role, path, request). */
const CONFIG_STATUSES = new Set([400, 401, 403, 404]);

/** What kind of problem a non-passing run is (RunSummary.category, the error report's `category`). */
export type RunCategory = 'incident' | 'configuration';

/** `configuration` or `incident` for a run that did not pass; null for a pass. */
export function runCategory(input: Trace, analysis: RunAnalysis): RunCategory | null {
  if (analysis.verdict === 'pass') return null;
  const trace = sanitizeTrace(input);
  const all = [...analysis.findings, ...analysis.turns.flatMap((t) => t.findings)];
  if (all.some((f) => f.code === 'connection_rejected')) {
    if (refusalAfterUpgrade(trace)) return 'configuration';
    const upgrade = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
    if (upgrade && CONFIG_STATUSES.has(upgrade.status)) return 'configuration';
    if (trace.entries.some((e) => e.kind === 'socket-error' && (e.errorClass === 'dns' || e.errorClass === 'auth')))
      return 'configuration';
    return 'incident';
  }
  // The only failures are answers longer than the deployment's output cap: the prompt does not fit the deployment.
  const failing = all.filter((f) => isFailingSeverity(f.severity));
  const capped = (t: RunAnalysis['turns'][number]): boolean =>
    (t.metrics?.terminal.responses ?? []).some(
      (r) => r.status === 'incomplete' && r.statusDetails?.reason === 'max_output_tokens',
    );
  const cappedTurns = new Set(analysis.turns.filter(capped).map((t) => t.turn));
  if (failing.length && failing.every((f) => f.turn !== null && cappedTurns.has(f.turn))) return 'configuration';
  return 'incident';
}
