/**
 * What the canary had to refuse to believe or stop reading: a per-session cap the service overflowed
 * (`session_limit_exceeded`, from `limit-exceeded` entries), and usage numbers that cannot be right
 * (`implausible_usage`: ignored for the coverage check, see terminal.ts).
 */
import type { LimitExceededEntry, SessionLimits } from '../../trace/trace.js';
import { BYTES_PER_MS } from '../../audio/wav.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { sec } from '../format.js';
import type { RunDetector, TurnDetector } from './types.js';

const WHAT: Record<keyof SessionLimits, string> = {
  maxEvents: 'received events',
  maxEventBytes: 'event-log bytes',
  maxAudioBytes: 'audio bytes',
};

function count(n: unknown): string {
  return typeof n === 'number' && Number.isFinite(n) ? Math.round(n).toLocaleString('en-US') : String(n);
}

/** `session_limit_exceeded`: one per `limit-exceeded` entry, attributed to the turn it happened in. Major. */
export const sessionLimitExceeded: RunDetector = {
  name: 'session_limit_exceeded',
  detect({ trace }): Finding[] {
    return trace.entries
      .filter((e): e is LimitExceededEntry => e.kind === 'limit-exceeded')
      .map((e) => {
        const what = WHAT[e.limit] ?? String(e.limit);
        const audio =
          e.limit === 'maxAudioBytes' && typeof e.value === 'number' && Number.isFinite(e.value)
            ? ` (≈ ${sec(e.value / BYTES_PER_MS)} of audio)`
            : '';
        return {
          code: 'session_limit_exceeded' as const,
          severity: 'major' as const,
          turn: e.turn > 0 ? e.turn : null,
          traceMs: ms1(e.t),
          message:
            `The service sent more ${what} than the canary's per-session cap ` +
            `allows: ${count(e.value)}${audio} against a cap of ${count(e.max)} (${e.limit}); the probe stopped reading and ended the session.`,
        };
      });
  },
};

/** `implausible_usage`: usage counts that were not taken at face value. Minor: the audio itself is still judged. */
export const implausibleUsage: TurnDetector = {
  name: 'implausible_usage',
  detect({ view, metrics }): Finding[] {
    const bad = metrics.usage.ignored;
    if (!bad.length) return [];
    const list = bad.map((b) => `${b.field} = ${b.value}${b.responseId ? ` (${b.responseId})` : ''}`).join(', ');
    return [
      {
        code: 'implausible_usage',
        severity: 'minor',
        turn: view.turn,
        message: `response.done reported usage that cannot be right: ${list}; it was ignored, so the audio was not checked against usage.`,
      },
    ];
  },
};
