/**
 * The session budgets enforced (issue 22 §1): before a probe or a confirmation retry is sent, one start is claimed
 * on each budget its target counts against (./quotaScopes.ts) — in counter blobs under their ETag
 * (`quota/<deployment|key>/<id>.json`, ../store/layout.ts), so every process and every region that shares a key
 * counts together. A claim that a budget refuses is given back on the budgets it already took, and the probe is
 * not sent ("not probed: quota"). When the store does not answer within its short budget, the claim is decided on
 * what this ledger last read plus its own claims since (logged once): the round keeps measuring through a storage
 * outage, and within one process a budget is still never exceeded. A write retried after an ambiguous failure may
 * count one start twice — the safe direction.
 */
import type { QuotaSettings } from '../config/quotaBudgets.js';
import type { TargetConfig } from '../config/targets.js';
import { withDeadline } from '../deadline.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { quotaCounterPath } from '../store/layout.js';
import { claimIn, releaseIn, type QuotaCounter } from './quotaCounter.js';
import { quotaScopes, type QuotaScope } from './quotaScopes.js';

export type ClaimKind = 'probe' | 'confirm';
export type ClaimResult = { ok: true } | { ok: false; reason: string; retryAt?: number };

export interface QuotaLedgerOptions {
  store: ArtifactStore;
  targets: readonly TargetConfig[];
  quota: QuotaSettings;
  /** Budget of one counter update, retries included (default 5 s). */
  timeoutMs?: number;
  warn?: (message: string) => void;
}

/** The claims a ledger made, for logs and tests. */
export interface ClaimRecord {
  target: string;
  atMs: number;
  kind: ClaimKind;
  ok: boolean;
}

export class QuotaLedger {
  private readonly scopes: Map<string, QuotaScope[]>;
  /** What each counter held after this ledger's last read or write, with its own claims since. */
  private readonly known = new Map<string, QuotaCounter>();
  private warned = false;
  readonly claims: ClaimRecord[] = [];

  constructor(private readonly o: QuotaLedgerOptions) {
    this.scopes = quotaScopes(o.targets, o.quota);
  }

  /** The budgets `target` counts against (none for a target without any). */
  scopesOf(target: string): QuotaScope[] {
    return (this.scopes.get(target) ?? []).filter(
      (s) => s.budget.perMinute !== undefined || s.budget.perDay !== undefined,
    );
  }

  /** Claims one session start at `atMs` on every budget of `target`, or none of them. */
  async claim(target: TargetConfig, atMs: number, kind: ClaimKind): Promise<ClaimResult> {
    const taken: QuotaScope[] = [];
    for (const scope of this.scopesOf(target.name)) {
      const refusal = await this.claimOne(scope, atMs);
      if (refusal) {
        for (const s of taken) await this.releaseOne(s, atMs);
        this.claims.push({ target: target.name, atMs, kind, ok: false });
        return {
          ok: false,
          reason: `${scope.label}: ${refusal.reason}`,
          ...(refusal.retryAt ? { retryAt: refusal.retryAt } : {}),
        };
      }
      taken.push(scope);
    }
    this.claims.push({ target: target.name, atMs, kind, ok: true });
    return { ok: true };
  }

  private async claimOne(scope: QuotaScope, atMs: number): Promise<{ reason: string; retryAt?: number } | undefined> {
    let refusal: { reason: string; retryAt?: number } | undefined;
    await this.update(scope, (cur) => {
      const r = claimIn(cur, atMs, scope.budget);
      refusal = 'refusal' in r ? r.refusal : undefined; // the last call's answer is the one stored
      return 'refusal' in r ? (cur ?? { recent: [], hours: {} }) : r.counter;
    });
    return refusal;
  }

  private async releaseOne(scope: QuotaScope, atMs: number): Promise<void> {
    await this.update(scope, (cur) => releaseIn(cur, atMs));
  }

  /** One counter update in the store, or on what this ledger knows when the store does not answer. */
  private async update(scope: QuotaScope, fn: (cur: QuotaCounter | undefined) => QuotaCounter): Promise<void> {
    const path = quotaCounterPath(scope.kind, scope.id);
    try {
      const stored = await withDeadline(`quota counter ${path}`, this.o.timeoutMs ?? 5_000, () =>
        this.o.store.updateJson<QuotaCounter>(path, fn),
      );
      this.known.set(path, stored);
    } catch (err) {
      if (!this.warned)
        this.o.warn?.(
          `quota counters unavailable (${err instanceof Error ? err.message : String(err)}): counting this process's ` +
            'sessions against the budgets until the store answers',
        );
      this.warned = true;
      this.known.set(path, fn(this.known.get(path)));
    }
  }
}
