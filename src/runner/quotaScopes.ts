/**
 * Which session budgets a target's probe counts against (issue 22 §1): its **deployment** (the endpoint's host and
 * the deployment or model it names) and its **key** (the app setting an api-key or bearer target names, or the
 * resource an Entra ID target signs in to; a target without auth has none). Each budget is the target's own field
 * (when targets of one deployment or key disagree, the smallest wins), else the global setting, else the shipped
 * default (../config/quotaBudgets.ts) — which loopback endpoints (the simulator) do not get: they are no provider's
 * quota. Pure.
 */
import {
  DEFAULT_DEPLOYMENT_BUDGET,
  DEFAULT_KEY_BUDGET,
  DEFAULT_OPENAI_KEY_PER_DAY,
  QUOTA_TARGET_FIELDS,
  type QuotaSettings,
  type SessionBudget,
} from '../config/quotaBudgets.js';
import { isLoopback } from '../config/settingChecks.js';
import type { TargetConfig } from '../config/targets.js';
import { isAzure, resolveEndpoint } from '../realtime/flavours.js';

export type QuotaKind = 'deployment' | 'key';

/** One budget a probe counts against: what it is, the id its counter is kept under, and its limits. */
export interface QuotaScope {
  kind: QuotaKind;
  /** Stable id of the deployment (`<host>/<deployment>`) or key (`setting:<name>`, `entra:<host>`); never a secret. */
  id: string;
  /** For people: `deployment gpt-realtime on x.openai.azure.com`, `key AOAI_KEY`. */
  label: string;
  budget: SessionBudget;
}

interface Where {
  host: string;
  hostname: string;
  deployment: string;
  openai: boolean;
}

function whereOf(t: TargetConfig): Where | undefined {
  try {
    const r = resolveEndpoint(t);
    return { host: r.url.host, hostname: r.url.hostname, deployment: r.deployment ?? '-', openai: !isAzure(r.flavour) };
  } catch {
    return undefined; // a target that cannot be resolved is an error run, never a session
  }
}

function keyIdOf(t: TargetConfig, w: Where): { id: string; label: string } | undefined {
  if ((t.auth === 'api-key' || t.auth === 'bearer') && t.secretSetting)
    return { id: `setting:${t.secretSetting}`, label: `key ${t.secretSetting}` };
  if (t.auth === 'entra') return { id: `entra:${w.host}`, label: `Entra ID on ${w.host}` };
  return undefined;
}

/** The budgets of every target, by target name (targets that share a deployment or key share its scope). */
export function quotaScopes(targets: readonly TargetConfig[], quota: QuotaSettings): Map<string, QuotaScope[]> {
  const members = new Map<string, { scope: Omit<QuotaScope, 'budget'>; targets: TargetConfig[]; w: Where }>();
  const byTarget = new Map<string, string[]>();
  for (const t of targets) {
    const w = whereOf(t);
    const ids: string[] = [];
    if (w) {
      const dep = { kind: 'deployment' as const, id: `${w.host}/${w.deployment}` };
      const key = keyIdOf(t, w);
      for (const s of [
        { ...dep, label: `deployment ${w.deployment} on ${w.host}` },
        ...(key ? [{ kind: 'key' as const, ...key }] : []),
      ]) {
        const k = `${s.kind}:${s.id}`;
        const m = members.get(k) ?? { scope: s, targets: [], w };
        m.targets.push(t);
        members.set(k, m);
        ids.push(k);
      }
    }
    byTarget.set(t.name, ids);
  }
  const scopes = new Map<string, QuotaScope>();
  for (const [k, m] of members) scopes.set(k, { ...m.scope, budget: budgetOf(m.scope.kind, m.targets, quota, m.w) });
  return new Map([...byTarget].map(([name, ids]) => [name, ids.map((k) => scopes.get(k)!)]));
}

function budgetOf(kind: QuotaKind, targets: readonly TargetConfig[], quota: QuotaSettings, w: Where): SessionBudget {
  const loopback = isLoopback(w.hostname);
  const shipped: SessionBudget = loopback
    ? {}
    : kind === 'deployment'
      ? DEFAULT_DEPLOYMENT_BUDGET
      : { ...DEFAULT_KEY_BUDGET, ...(w.openai ? { perDay: DEFAULT_OPENAI_KEY_PER_DAY } : {}) };
  const own = (f: 'perMinute' | 'perDay'): number | undefined => {
    const values = targets.flatMap((t) => t[QUOTA_TARGET_FIELDS[kind][f]] ?? []);
    return values.length ? Math.min(...values) : (quota[kind][f] ?? shipped[f]);
  };
  const perMinute = own('perMinute');
  const perDay = own('perDay');
  return { ...(perMinute !== undefined ? { perMinute } : {}), ...(perDay !== undefined ? { perDay } : {}) };
}
