/**
 * The session budgets at the moment a session would start (./quota.ts): the round asks before each first probe,
 * the shared publishing path (./publishRun.ts) before each confirmation retry. A start that a per-minute budget
 * refuses waits for the minute to free up while the probe window allows it (inside a round, that is how one
 * deployment's starts are kept apart); otherwise it is not sent, and the caller reports it as *not probed: quota*.
 */
import type { TargetConfig } from '../config/targets.js';
import type { ClaimKind, ClaimResult, QuotaLedger } from './quota.js';
import { NotSentError } from './targetRun.js';

/** A start the budgets refused: reported as "not probed: quota (…)". */
export class QuotaRefusedError extends NotSentError {
  override readonly name = 'QuotaRefusedError';
}

/** Claims a start for `target` now, or says why not. */
export interface QuotaGate {
  claim(target: TargetConfig, kind: ClaimKind): Promise<ClaimResult>;
}

/** At most this many waits for a per-minute budget per start. */
export const MAX_QUOTA_WAITS = 5;
/**
 * A start that waited for the minute to free up waits this much longer: a claimed session reaches the service a
 * little after its claim (the history read, the connection), and an earlier start that was slower to connect must
 * not leave the service seeing more starts in 60 s than the budget (bench:fanout counts both).
 */
export const QUOTA_WAIT_MARGIN_MS = 1_000;

export interface QuotaGateOptions {
  ledger: QuotaLedger;
  /** The clock claims are counted on (injectable, like the round's). */
  now: () => Date;
  /** Real epoch ms after which a start may no longer wait (the probe window less one turn). */
  latestStartAt: () => number;
  sleep?: (ms: number) => Promise<void>;
}

export function quotaGate(o: QuotaGateOptions): QuotaGate {
  const sleep = o.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  return {
    async claim(target, kind) {
      if (!o.ledger.scopesOf(target.name).length) return { ok: true };
      let r = await o.ledger.claim(target, o.now().getTime(), kind);
      for (let waits = 0; !r.ok && r.retryAt !== undefined && waits < MAX_QUOTA_WAITS; waits++) {
        const waitMs = Math.max(0, r.retryAt - o.now().getTime()) + QUOTA_WAIT_MARGIN_MS;
        if (Date.now() + waitMs > o.latestStartAt()) break;
        await sleep(waitMs);
        r = await o.ledger.claim(target, o.now().getTime(), kind);
      }
      return r;
    },
  };
}

/** The reason a refused claim gives on the index line, the log and the round's result. */
export function quotaReason(r: { reason: string }): string {
  return `not probed: quota (${r.reason})`;
}
