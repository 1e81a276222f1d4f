/**
 * What kind of problem a non-passing run is — the one classification every surface reads (report.json `problem`,
 * RunSummary.category, the CLI, report.html, evidence.zip, cards, the dashboard): a service `incident`, a
 * `configuration` problem of the canary itself (key, role, network rule, suspended resource, model, endpoint, a
 * prompt longer than the output cap, a session longer than the service allows), or `capacity` (rate limits and
 * "no capacity": transient, counted by K-of-N like an incident, never a support case). One place, from the trace
 * and its analysis, so alerts never call a rotated key an outage nor a spent quota a server bug.
 */
import type { Trace, UpgradeResponseEntry } from '../trace/trace.js';
import { isFailingSeverity, type Finding } from './findings.js';
import type { RunAnalysis } from './metrics.js';
import {
  problemOf,
  rateLimitAdvice,
  type ProblemKind,
  type ProblemPlace,
  type RunCategory,
  type RunProblem,
} from './problems.js';
import { withEntraScope } from './entraScope.js';
import { retiredProblem } from './lifecycle.js';
import { refusalAfterUpgrade } from './refusal.js';
import { sanitizeTrace } from './sanitize.js';
import { sessionCap } from './sessionCap.js';
import { limitWords, throttleOfDone, throttleOfErrorEvent, type Throttle } from './throttle.js';
import { span } from './format.js';
import { classifyUpgradeRefusal } from './upgradeRefusal.js';

export type { RunCategory, RunProblem } from './problems.js';

/** `configuration`, `incident` or `capacity` for a run that did not pass; null for a pass. */
export function runCategory(input: Trace, analysis: RunAnalysis): RunCategory | null {
  return runProblem(input, analysis)?.category ?? null;
}

/** The classification of a run that did not pass, with what to do; null for a pass. */
export function runProblem(input: Trace, analysis: RunAnalysis): RunProblem | null {
  if (analysis.verdict === 'pass') return null;
  const trace = sanitizeTrace(input);
  const place = { host: trace.meta.target.host, deployment: trace.meta.target.deployment };
  const all = [...analysis.findings, ...analysis.turns.flatMap((t) => t.findings)];
  if (all.some((f) => f.code === 'connection_rejected'))
    return retiredProblem(trace, analysis, place) ?? withEntraScope(rejection(trace, place), trace);
  const failing = all.filter((f) => isFailingSeverity(f.severity));
  const causes = turnCauses(failing, trace);
  const kinds = failing.map((f) => causes.get(f.turn) ?? kindOf(f, analysis));
  if (kinds.includes('service') || !failing.length) return problemOf('service', place);
  if (kinds.some((k) => k === 'rate-limited' || k === 'capacity-unavailable')) return capacity(trace, place);
  return problemOf(kinds[0]!, place);
}

/**
 * Findings that explain everything else that failed in their turn: a throttle (the failed response's missing audio
 * and answer) and the session cap (the answer it cut off). By turn (null: run-level).
 */
function turnCauses(failing: readonly Finding[], trace: Trace): Map<number | null, ProblemKind> {
  const causes = new Map<number | null, ProblemKind>();
  for (const f of failing) {
    const kind: ProblemKind | undefined =
      f.code === 'rate_limited'
        ? 'rate-limited'
        : f.code === 'capacity_unavailable'
          ? 'capacity-unavailable'
          : f.code === 'session_max_duration'
            ? sessionCap(trace)?.reachedCap
              ? 'session-length'
              : 'service'
            : undefined;
    if (kind && !causes.has(f.turn)) causes.set(f.turn, kind);
  }
  return causes;
}

/** What a failing finding that no cause explains is a sign of: an answer cut by the output cap, or the service. */
function kindOf(f: Finding, analysis: RunAnalysis): ProblemKind {
  const turn = analysis.turns.find((t) => t.turn === f.turn);
  const capped = (turn?.metrics?.terminal.responses ?? []).some(
    (r) => r.status === 'incomplete' && r.statusDetails?.reason === 'max_output_tokens',
  );
  return capped ? 'output-cap' : 'service';
}

/** The capacity problem of a throttled run: the first throttle, its limit and the wait the service asked for. */
function capacity(trace: Trace, place: ProblemPlace): RunProblem {
  const t = firstThrottle(trace);
  const kind = t?.code === 'capacity_unavailable' ? 'capacity-unavailable' : 'rate-limited';
  const base = problemOf(kind, place);
  const limit = t?.limit ? `: ${limitWords(t.limit)}` : '';
  const wait = t?.retryAfterMs !== undefined ? `; retry after ${span(t.retryAfterMs)}` : '';
  const advice = kind === 'rate-limited' ? rateLimitAdvice(t?.limit) : undefined;
  return problemOf(kind, place, {
    what: `${base.what}${limit}${wait}`,
    ...(advice ? { advice } : {}),
    ...(t?.limit ? { limit: t.limit } : {}),
    ...(t?.retryAfterMs !== undefined ? { retryAfterMs: t.retryAfterMs } : {}),
  });
}

/** The first throttle of the trace: a 429 / 503 upgrade, a throttled response or a throttling `error`. */
function firstThrottle(trace: Trace): Throttle | undefined {
  const upgrade = upgradeOf(trace);
  if (upgrade && upgrade.status !== 101) return classifyUpgradeRefusal(upgrade, trace.meta.startEpochMs).throttle;
  for (const e of trace.entries) {
    if (e.kind !== 'recv') continue;
    const t = throttleOfErrorEvent(e) ?? throttleOfDone(e);
    if (t) return t;
  }
  return undefined;
}

/** Refusal codes after a 101 (OpenAI) and what they mean. */
const REFUSAL_CODES: Readonly<Record<string, ProblemKind>> = {
  invalid_api_key: 'auth',
  invalid_model: 'not-found',
  missing_model: 'not-found',
  model_not_found: 'not-found',
  beta_api_shape_disabled: 'beta-retired',
};

/** What to check when the connection itself failed, by the socket error's class. */
const UNREACHABLE: Readonly<Record<string, string>> = {
  dns: 'The host name does not resolve: check the resource name in the endpoint and, with a private endpoint, its private DNS zone.',
  refused:
    'Nothing accepted the connection at that host and port (ECONNREFUSED, or no route): a wrong endpoint or port, or a proxy or firewall in the way.',
  tls: 'The TLS handshake failed (certificate): a wrong host in the endpoint, or a proxy that intercepts TLS.',
};

/** The problem of a run whose session never started (`connection_rejected`). */
function rejection(trace: Trace, place: ProblemPlace): RunProblem {
  const refusal = refusalAfterUpgrade(trace);
  if (refusal?.kind === 'handshake') return problemOf('handshake', place);
  if (refusal) {
    const byCode = REFUSAL_CODES[refusal.code ?? ''];
    // a missing bearer has code null and closes 3000 (authentication); other close-only refusals are request shape
    return problemOf(byCode ?? (refusal.close?.code === 3000 ? 'auth' : 'bad-request'), place);
  }
  const upgrade = upgradeOf(trace);
  if (upgrade && upgrade.status !== 101) {
    return problemOf(classifyUpgradeRefusal(upgrade, trace.meta.startEpochMs).kind, place);
  }
  const err = trace.entries.find((e) => e.kind === 'socket-error');
  if (err?.kind === 'socket-error' && !upgrade) {
    if (err.errorClass === 'auth') return problemOf('no-token', place);
    const detail = UNREACHABLE[err.errorClass];
    if (detail) return problemOf('unreachable', place, { advice: detail });
  }
  // a connect timeout, a reset or an unknown network failure: the service (or the path to it) did not answer
  return problemOf('service', place);
}

function upgradeOf(trace: Trace): UpgradeResponseEntry | undefined {
  return trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
}
