/**
 * Model profiles: how the simulated deployment's model shapes a turn, chosen by the model the URL names.
 *
 * - `classic` (gpt-realtime, gpt-realtime-1.5, gpt-realtime-mini, gpt-realtime-2, any other name): one answer, no
 *   `phase`, first audio 150–400 ms after the request. Every existing scenario keeps exactly its wire.
 * - `reasoning` (gpt-realtime-2.1, gpt-realtime-2.1-mini and their dated snapshots, the current models on Azure and
 *   OpenAI's agents SDK default since July 2026): every output item carries a `phase` (Azure "GPT Realtime 2.x":
 *   "Each item has a phase that indicates its role", `commentary` or `final_answer`), the model reasons before it
 *   answers and, before longer reasoning ("A promptable preamble, often used before longer reasoning"), speaks a
 *   short `commentary` preamble first. Reasoning tokens are counted inside `output_token_details.text_tokens`
 *   (realtime-wire-2026.md §1.2, BerriAI/litellm#39850): the realtime usage has no `reasoning_tokens` field.
 *
 * The reasoning pause is our model, not a measurement (no public timing exists): uniform in a range per
 * `reasoning.effort` (session.update; default `low`, OpenAI's default), anchored on the seed report's 1.5–3.8 s
 * silences for `medium` and on 8 s as the longest healthy pause for `high`. A scenario can pin it.
 */
import type { Rng } from './random.js';

export const PROFILE_NAMES = ['classic', 'reasoning'] as const;
export type ProfileName = (typeof PROFILE_NAMES)[number];

/** gpt-realtime-2.1 and gpt-realtime-2.1-mini, with or without a dated snapshot suffix (and later 2.x minors). */
const REASONING_MODEL = /^gpt-realtime-2\.\d+(?:-mini)?(?:-\d{4}-\d{2}-\d{2})?$/i;

/** The profile of a deployment: forced by the scenario, else by the model (or deployment) name. */
export function profileOf(model: string, forced?: ProfileName): ProfileName {
  return forced ?? (REASONING_MODEL.test(model) ? 'reasoning' : 'classic');
}

/** `reasoning.effort` values (OpenAI: minimal…xhigh; Azure: minimal…high). */
export const REASONING_EFFORTS = ['minimal', 'low', 'medium', 'high', 'xhigh'] as const;
export type ReasoningEffort = (typeof REASONING_EFFORTS)[number];

/** The service's default effort for the realtime reasoning models ("Low effort is the default"). */
export const DEFAULT_REASONING_EFFORT: ReasoningEffort = 'low';

/** The reasoning pause per effort, ms (our model; see the file comment). */
export const REASONING_PAUSE_MS: Readonly<Record<ReasoningEffort, { min: number; max: number }>> = {
  minimal: { min: 200, max: 600 },
  low: { min: 500, max: 2000 },
  medium: { min: 1500, max: 3800 },
  high: { min: 3000, max: 8000 },
  xhigh: { min: 5000, max: 12_000 },
};

/** A preamble is spoken when the drawn reasoning reaches this (the preamble comes "before longer reasoning"). */
export const PREAMBLE_FROM_MS = 1500;

/** Reasoning tokens per second of reasoning (our model), billed inside `output_token_details.text_tokens`. */
export const REASONING_TOKENS_PER_S = 50;

/** What the commentary preamble says (one is picked per turn, from the seed). */
export const PREAMBLES: readonly string[] = [
  'Let me think about that.',
  'Let me check that for you.',
  'One moment, let me work that out.',
  'Good question, let me think.',
];

/** How one turn is shaped. */
export interface TurnShape {
  /** Output items carry `phase` (`commentary` / `final_answer`). */
  phases: boolean;
  /** The preamble's text, when the turn speaks one. */
  preamble: string | undefined;
  /**
   * The reasoning pause, ms: with a preamble, the silence a listener who starts playing at the first audio delta
   * hears between the end of the preamble's audio and the final answer's first audio; without one, the time added
   * before the first audio.
   */
  reasoningMs: number;
  /** Reasoning tokens billed for the final answer. */
  reasoningTokens: number;
}

/**
 * Shapes a turn. `forcePreamble` (a preamble-only or two-generation fault) speaks a preamble whatever the profile.
 * A classic turn draws nothing from `rng` unless it must speak a preamble.
 */
export function shapeTurn(
  profile: ProfileName,
  opts: { effort: ReasoningEffort; pinned?: { preamble?: boolean; reasoningMs?: number }; forcePreamble: boolean },
  rng: Rng,
): TurnShape {
  const pick = (): string => PREAMBLES[rng.int(0, PREAMBLES.length - 1)] ?? 'Let me think about that.';
  if (profile === 'classic')
    return { phases: false, preamble: opts.forcePreamble ? pick() : undefined, reasoningMs: 0, reasoningTokens: 0 };
  const range = REASONING_PAUSE_MS[opts.effort];
  const drawn = Math.round(rng.range(range.min, range.max));
  const reasoningMs = opts.pinned?.reasoningMs ?? drawn;
  const speaks = opts.forcePreamble || (opts.pinned?.preamble ?? reasoningMs >= PREAMBLE_FROM_MS);
  return {
    phases: true,
    preamble: speaks ? pick() : undefined,
    reasoningMs,
    reasoningTokens: Math.round((reasoningMs / 1000) * REASONING_TOKENS_PER_S),
  };
}
