/**
 * `rate_limited` / `capacity_unavailable`: requests the service throttled (../throttle.ts) — a response that failed
 * for quota or capacity, a throttling `error` event, or an upgrade refused with HTTP 429 / 503. One finding per turn
 * and kind, with the limit and the wait the service asked for; the failed response, its missing audio and the error
 * event are not reported again (a rate limit used to read as two critical failures, `response_not_completed` and
 * `no_audio`).
 */
import type { RecvEntry, TraceEntry, UpgradeResponseEntry } from '../../trace/trace.js';
import type { Finding } from '../findings.js';
import { numAt } from '../../json.js';
import { ms1 } from '../fields.js';
import { clip, maskKeys, quote, span } from '../format.js';
import { limitWords, throttleOfDone, throttleOfErrorEvent, type Throttle } from '../throttle.js';
import type { ResponseView, TurnView } from '../turnView.js';
import { classifyUpgradeRefusal } from '../upgradeRefusal.js';
import type { RunDetector, TurnDetector } from './types.js';

/** "; the service asks to wait 1 min 26 s", or nothing. */
function waitClause(t: Throttle): string {
  return t.retryAfterMs !== undefined ? `; the service asks to wait ${span(t.retryAfterMs)}` : '';
}

/** "rate limit reached — requests per day (RPD)" / "no capacity". */
function whatClause(t: Throttle): string {
  return t.code === 'rate_limited'
    ? `rate limit reached${t.limit ? ` — ${limitWords(t.limit)}` : ''}`
    : 'the service had no capacity';
}

function finding(t: Throttle, at: number, turn: number | null, message: string): Finding {
  return {
    code: t.code,
    severity: 'critical',
    turn,
    traceMs: ms1(at),
    ...(t.retryAfterMs !== undefined ? { retryAfterMs: t.retryAfterMs } : {}),
    message,
  };
}

/** Whether a turn's trouble is a throttle: one of its responses failed for it, or a throttling error came. */
export function throttledTurn(view: TurnView): boolean {
  return (
    view.responses.some((r) => throttleOfDone(r.done)) ||
    view.entries.some((e) => e.kind === 'recv' && throttleOfErrorEvent(e))
  );
}

/** Findings for the throttled responses and throttling `error` events among `entries`, one per kind. */
export function throttleFindings(
  entries: readonly TraceEntry[],
  responses: readonly ResponseView[],
  turn: number | null,
): Finding[] {
  const found: Finding[] = [];
  for (const r of responses) {
    const t = throttleOfDone(r.done);
    if (!t || !r.done) continue;
    const billed = numAt(r.done.event, 'response', 'usage', 'input_tokens');
    const cost = billed ? `; ${billed} input tokens were billed and nothing came back` : '';
    found.push(finding(t, r.done.t, turn, `The response failed: ${whatClause(t)}${waitClause(t)}${cost} (${t.said}).`));
  }
  for (const e of entries) {
    const t = e.kind === 'recv' ? throttleOfErrorEvent(e) : undefined;
    if (t)
      found.push(finding(t, e.t, turn, `The service refused a request: ${whatClause(t)}${waitClause(t)} (${t.said}).`));
  }
  return found
    .sort((a, b) => (a.traceMs ?? 0) - (b.traceMs ?? 0))
    .filter((f, i, all) => all.findIndex((g) => g.code === f.code) === i);
}

export const throttling: TurnDetector = {
  name: 'rate_limited',
  detect: ({ view }) => throttleFindings(view.entries, view.responses, view.turn),
};

/** Upgrades refused with 429 / 503, and throttling errors outside any turn (before the first one started). */
export const setupThrottled: RunDetector = {
  name: 'rate_limited',
  detect({ trace }): Finding[] {
    const upgrade = trace.entries.find((e): e is UpgradeResponseEntry => e.kind === 'upgrade-response');
    const refusal =
      upgrade && upgrade.status !== 101 ? classifyUpgradeRefusal(upgrade, trace.meta.startEpochMs) : undefined;
    const out: Finding[] = [];
    if (upgrade && refusal?.throttle) {
      const t = refusal.throttle;
      const body = refusal.message ? `: ${quote(clip(maskKeys(refusal.message), 200))}` : '';
      out.push(
        finding(
          t,
          upgrade.t,
          null,
          `The WebSocket upgrade was refused with HTTP ${upgrade.status} ${upgrade.statusText}: ${whatClause(t)}${waitClause(t)}${body}.`,
        ),
      );
    }
    const setup = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.turn <= 0);
    return [...out, ...throttleFindings(setup, [], null)];
  },
};
