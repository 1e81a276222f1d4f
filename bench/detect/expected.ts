/**
 * What each labeled fault kind of bench:detect must produce — the one place to edit when the analysis gains a
 * code. A run counts as detected when ANY of `codes` is found with a failing severity: in the faulty turn
 * (`scope: 'turn'`) or among the run-level findings (`scope: 'run'`, for refusals before any turn ran) — and, where
 * a `category` is named, when the run's one classification (report.json `problem.category`) is that category.
 *
 * Codes are strings, not FindingCode, so a code the analysis does not have yet (e.g. `silent_tail`, being added
 * on another branch) can already be named here.
 */
import type { RunCategory } from '../../src/analysis/category.js';

export interface Expectation {
  codes: readonly string[];
  scope: 'turn' | 'run';
  /** The run's category (analysis/category.ts) the fault must be classified as. */
  category?: RunCategory;
  /**
   * Pages follow the listener (issue 20): the code must fail the turn only when the listener heard the fault — its
   * buffer ran dry, worked out from the delta arrival times (score.ts) — and be reported with the turn passing
   * when the buffered audio covered it.
   */
  asHeard?: boolean;
}

const turn = (...codes: string[]): Expectation => ({ codes, scope: 'turn' });
const run = (...codes: string[]): Expectation => ({ codes, scope: 'run' });
/** A service incident, a capacity problem (transient, never a support case), a configuration problem of the canary. */
const incident = (e: Expectation): Expectation => ({ ...e, category: 'incident' });
const capacity = (e: Expectation): Expectation => ({ ...e, category: 'capacity' });
const configuration = (e: Expectation): Expectation => ({ ...e, category: 'configuration' });

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
  // --- Reasoning models and 2026's failures (issue 19; field-2026-12.md §1–2): each with its category.
  /** Silence after the spoken preamble past `reasoningMaxMs` (10 s). */
  'long-reasoning': incident(turn('long_reasoning')),
  /** The response speaks only its commentary preamble ("let me check…") and completes. */
  'preamble-only': incident(turn('preamble_only')),
  /** The answer comes as a second response nobody asked for, with a transcript and no audio. */
  'second-generation-silent': incident(turn('second_generation_silent')),
  /** A hole inside the final answer, after the preamble and the reasoning pause: a gap at its true position. */
  'answer-gap': incident(turn('silent_gap')),
  'answer-gap-noise': incident(turn('silent_gap')),
  /** `failed` / `inference_service_unavailable_error`: no capacity. */
  capacity: capacity(turn('capacity_unavailable')),
  'rate-limit-rpm': capacity(turn('rate_limited')),
  'rate-limit-rpd': capacity(turn('rate_limited')),
  /** Upgrades refused: 429 (retry-after) and 503 are capacity; 403 suspended / network and 400 are configuration. */
  'reject-429': capacity(run('rate_limited')),
  'reject-503': capacity(run('capacity_unavailable')),
  'reject-403-suspended': configuration(run('connection_rejected')),
  'reject-403-network': configuration(run('connection_rejected')),
  'reject-400-model': configuration(run('connection_rejected')),
  /** A retired model: OpenAI model_not_found after the 101, Azure 404. */
  'model-retired': configuration(run('connection_rejected')),
  /** Every fifth delta sent twice, byte-identical. */
  'repeated-audio': incident(turn('repeated_audio')),
  /** error session_expired + close 1001 "Your session hit the maximum duration…" a few seconds in. */
  'session-cap': incident(turn('session_max_duration')),
  /** `audio/pcmu` asked for and declared, PCM16 sent. */
  'pcmu-ignored': incident(turn('audio_format_mismatch')),
};

/** The expectation of a kind (throws on a kind nobody labeled). */
export function expectationOf(kind: string): Expectation {
  const e = EXPECTED[kind];
  if (!e)
    throw new Error(`bench:detect: no expected finding for fault kind "${kind}" (add it to bench/detect/expected.ts)`);
  return e;
}
