/**
 * What each labeled fault kind of bench:detect must produce — the one place to edit when the analysis gains a
 * code. A run counts as detected when ANY of `codes` is found with a failing severity: in the faulty turn
 * (`scope: 'turn'`) or among the run-level findings (`scope: 'run'`, for refusals before any turn ran).
 *
 * Codes are strings, not FindingCode, so a code the analysis does not have yet (e.g. `silent_tail`, being added
 * on another branch) can already be named here.
 */
export interface Expectation {
  codes: readonly string[];
  scope: 'turn' | 'run';
  /**
   * Pages follow the listener (issue 20): the code must fail the turn only when the listener heard the fault — its
   * buffer ran dry, worked out from the delta arrival times (score.ts) — and be reported with the turn passing
   * when the buffered audio covered it.
   */
  asHeard?: boolean;
}

const turn = (...codes: string[]): Expectation => ({ codes, scope: 'turn' });
const run = (...codes: string[]): Expectation => ({ codes, scope: 'run' });

export const EXPECTED: Readonly<Record<string, Expectation>> = {
  // --- The original corpus's kinds.
  'silent-gap': turn('silent_gap'),
  'silent-gap-noise': turn('silent_gap'),
  'truncate-audio': turn('audio_truncated'),
  'no-audio-done': turn('missing_audio_done'),
  'no-response-done': turn('missing_response_done'),
  stall: { ...turn('delivery_stall'), asHeard: true },
  drop: turn('connection_dropped'),
  /** Close 1001 "Your session hit the maximum duration of 60 minutes." a few seconds in: the cap, cut short. */
  'close-1001': turn('session_max_duration'),
  'close-1011': turn('connection_dropped'),
  'status-failed': turn('response_not_completed'),
  'status-incomplete': turn('response_not_completed'),
  /** Error events of several codes; a `rate_limit_exceeded` one is the throttle's own finding. */
  'error-event': turn('server_error_event', 'rate_limited'),
  'slow-delivery': turn('playback_underrun'),
  'text-only': turn('no_audio'),
  'slow-first-audio': turn('slow_first_audio'),
  // --- The 2026 wire.
  /** The last 1–3 audio deltas never arrive; transcript and usage (20 tokens/s) complete. */
  'lose-last-deltas': turn('audio_truncated'),
  /** The audio goes silent (digital) to the end of the turn while the transcript continues. */
  'silent-tail': turn('audio_truncated', 'silent_tail'),
  /** The same with −60 dBFS noise. */
  'silent-tail-noise': turn('audio_truncated', 'silent_tail'),
  'failed-after-partial': turn('response_not_completed'),
  /** Azure's `incomplete` / `max_output_tokens` on a long answer. */
  'output-cap': turn('response_not_completed'),
  // OpenAI's refusals after the 101 (error + close 3000 / 4000, no session.created): a configuration problem.
  'openai-bad-key': run('connection_rejected'),
  'openai-missing-key': run('connection_rejected'),
  'openai-bad-model': run('connection_rejected'),
  'openai-missing-model': run('connection_rejected'),
  'openai-beta-header': run('connection_rejected'),
};

/** The expectation of a kind (throws on a kind nobody labeled). */
export function expectationOf(kind: string): Expectation {
  const e = EXPECTED[kind];
  if (!e)
    throw new Error(`bench:detect: no expected finding for fault kind "${kind}" (add it to bench/detect/expected.ts)`);
  return e;
}
