/**
 * What one single-process round can probe (issue 21 §4): its capacity is `concurrency` sessions side by side for
 * its probe window (the deadline less the publishing reserve), of which {@link ROUND_FILL} is planned — the rest is
 * headroom for confirmation retries and sessions slower than expected. A session is expected to last its audio (the
 * prompts, and the catalogue's answers spoken at the cost model's rate: ../cost/projection.ts) plus a connection
 * and per-turn allowance. The round fills itself in rotation order until that capacity is planned. Pure.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { catalogueRunTokens, type PromptLength } from '../cost/projection.js';

/** Connecting, the session's set-up and its close. */
export const SESSION_OVERHEAD_MS = 2_000;
/** Per turn besides its audio: committing the prompt and waiting for the first audio. */
export const TURN_OVERHEAD_MS = 1_500;
/** Share of the round's session time that is planned. */
export const ROUND_FILL = 0.8;

/** How long a target's session is expected to last, ms. */
export function expectedSessionMs(
  t: Pick<TargetConfig, 'turns' | 'prompts'>,
  settings: Pick<CanarySettings, 'turns' | 'prompts'>,
  lengths: readonly PromptLength[],
): number {
  const turns = t.turns ?? settings.turns;
  const { audioMs } = catalogueRunTokens(turns, t.prompts ?? settings.prompts, lengths);
  return Math.round(SESSION_OVERHEAD_MS + turns * TURN_OVERHEAD_MS + audioMs);
}

/** Session time one round plans: concurrency × probe window × {@link ROUND_FILL}, ms. */
export function roundCapacityMs(concurrency: number, probeWindowMs: number): number {
  return concurrency * Math.max(0, probeWindowMs) * ROUND_FILL;
}

/** Takes items in order while their expected sessions fit the capacity (always at least one); the rest is full. */
export function fillRound<T>(
  ordered: readonly T[],
  sessionMs: (item: T) => number,
  capacityMs: number,
): { fit: T[]; full: T[] } {
  let used = 0;
  let n = 0;
  for (const item of ordered) {
    const ms = sessionMs(item);
    if (n > 0 && used + ms > capacityMs) break;
    used += ms;
    n++;
  }
  return { fit: ordered.slice(0, n), full: ordered.slice(n) };
}
