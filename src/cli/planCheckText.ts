/**
 * The plan check (../runner/planCheck.ts) as `validate` and `cost` print it: the deployments and keys over or near
 * their session budget in a table (`cost`: every one, beside its money figures), a one-line total, the round's fit
 * (round mode) or the prober's peak (queue mode), and the refusals — each saying what is over and what would fit.
 * Only names of deployments, hosts and settings are printed, never a secret.
 */
import { formatEvery } from '../config/every.js';
import { QUOTA_SETTINGS, QUOTA_TARGET_FIELDS } from '../config/quotaBudgets.js';
import type { ScopeCheck } from '../runner/planBudgets.js';
import { PROBER_MESSAGES_PER_INSTANCE, type PlanCheck } from '../runner/planCheck.js';
import { MAX_ROTATION_ROUNDS, type RoundFitCheck } from '../runner/planRound.js';

const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const sec = (ms: number): string => `${int(ms / 1000)} s`;
/** A span as people read it: seconds, minutes, hours or days. */
function span(ms: number): string {
  const round = (x: number): string => String(Math.round(x * 10) / 10);
  if (ms < 120_000) return sec(ms);
  if (ms < 7_200_000) return `${round(ms / 60_000)} min`;
  if (ms < 172_800_000) return `${round(ms / 3_600_000)} h`;
  return `${round(ms / 86_400_000)} days`;
}

/** Rows of the budget table `validate` prints (the ones over first); `cost` prints every one. */
export const VALIDATE_TABLE_ROWS = 20;

export interface PlanCheckText {
  /** What to print (stdout). */
  lines: string[];
  /** Why the plan is refused, one sentence each (empty: it fits). */
  refusals: string[];
}

export interface PlanTextOptions {
  /** Every deployment and key in the table (`cost`), not only those over or near their budget (`validate`). */
  all?: boolean;
}

export function formatPlanCheck(c: PlanCheck, o: PlanTextOptions = {}): PlanCheckText {
  const lines: string[] = [];
  const refusals: string[] = [];
  const flagged = c.scopes.filter((s) => s.status !== 'fits');
  const shown = o.all ? c.scopes : flagged.slice(0, VALIDATE_TABLE_ROWS);
  const deployments = c.scopes.filter((s) => s.kind === 'deployment').length;
  const keys = c.scopes.length - deployments;
  const where = `${c.regions} region${c.regions === 1 ? '' : 's'}`;
  const total =
    `sessions: ${int(c.total.targets)} target(s), ≈ ${int(c.total.perDay)} session starts a day from ${where} ` +
    `(${int(c.total.worstPerDay)} if every probe were confirmed ${c.confirmRetries} time(s), CANARY_CONFIRM_RETRIES); ` +
    `${int(deployments)} deployment(s), ${int(keys)} key(s)`;
  if (!flagged.length && !o.all) lines.push(`${total}: all within their session budgets`);
  else {
    lines.push(
      `${total}${o.all ? '' : `; ${flagged.length} over or near a budget`}. Planned starts per minute are the busiest ` +
        `60 s (${c.mode === 'round' ? 'a round asks for all its due starts at once' : 'each probe at its jittered start'}; ` +
        `a start over the per-minute budget waits at most ${sec(c.maxWaitMs)}); worst case in brackets: every probe ` +
        `fails and is confirmed at once.`,
      ...table(shown),
    );
    const more = flagged.length - shown.length;
    if (!o.all && shown.length < c.scopes.length)
      lines.push(
        `  and ${more ? `${int(more)} more over or near (\`realtime-canary cost\` lists every one), ` : ''}` +
          `${int(c.scopes.length - flagged.length)} within budget`,
      );
  }
  for (const s of c.scopes.filter((x) => x.status === 'over')) refusals.push(scopeRefusal(s, c));
  if (c.round) {
    const r = roundText(c.round);
    lines.push(r.line);
    if (r.refusal) refusals.push(r.refusal);
  }
  if (c.queue) {
    const q = c.queue;
    lines.push(
      `queue mode: no round capacity applies — each probe is a queue message the prober runs on its own deadline, ` +
        `so the session budgets and the prober's instances bound the plan: at the day's peak ${int(q.peakSessions)} ` +
        `session(s) run at once in each region (${int(q.worstPeakSessions)} with every confirmation), ` +
        `${q.instances} (${q.worstInstances}) instance(s) at ${PROBER_MESSAGES_PER_INSTANCE} messages each (host.json's ` +
        `batchSize + newBatchThreshold); keep the Bicep's maximumInstanceCount at or above that`,
    );
  }
  return { lines, refusals };
}

function table(scopes: readonly ScopeCheck[]): string[] {
  const limit = (n: number | undefined): string => (n === undefined ? 'none' : int(n));
  const head = ['budget of', 'targets', 'starts/min', 'budget/min', 'starts/day', 'budget/day', 'status'];
  const rows = scopes.map((s) => [
    s.label,
    int(s.targets),
    `${int(s.peakPerMinute)} (${int(s.worstPeakPerMinute)})`,
    limit(s.budget.perMinute),
    `${int(s.perDay)} (${int(s.worstPerDay)})`,
    limit(s.budget.perDay),
    statusText(s),
  ]);
  const cells = [head, ...rows];
  const widths = head.map((_, i) => Math.max(...cells.map((r) => r[i]!.length)));
  return cells.map(
    (r) =>
      '  ' +
      r
        .map((v, i) => (i === 0 || i === r.length - 1 ? v.padEnd(widths[i]!) : v.padStart(widths[i]!)))
        .join('  ')
        .trimEnd(),
  );
}

function statusText(s: ScopeCheck): string {
  if (s.status === 'over')
    return s.refusedPerDay > 0 ? `OVER: ${int(s.refusedPerDay)} a day not probed (quota)` : 'OVER: per day';
  if (s.status === 'fits') return 'fits';
  if (s.worstRefusedPerDay > 0) return `near: ${int(s.worstRefusedPerDay)} confirmations a day not sent if all fail`;
  if (s.budget.perDay !== undefined && s.worstPerDay > s.budget.perDay) return 'near: not with every confirmation';
  if (s.budget.perMinute !== undefined && s.peakPerMinute > s.budget.perMinute)
    return 'near: starts wait for the minute';
  return 'near: over 80 % of the budget';
}

function scopeRefusal(s: ScopeCheck, c: PlanCheck): string {
  const setting = QUOTA_SETTINGS[s.kind];
  const field = QUOTA_TARGET_FIELDS[s.kind];
  const regions = c.regions > 1 ? ` from ${c.regions} regions together` : '';
  const why =
    s.refusedPerDay > 0
      ? `${int(s.peakPerMinute)} session starts planned in its busiest minute${regions}, ${int(s.budget.perMinute ?? 0)} a ` +
        `minute allowed and a start can wait at most ${sec(c.maxWaitMs)}: ${int(s.refusedPerDay)} probe(s) a day would ` +
        `be "not probed: quota"`
      : `${int(s.perDay)} session starts a day planned${regions}, ${int(s.budget.perDay ?? 0)} allowed: the rest of ` +
        `each day would be "not probed: quota"`;
  const raise =
    s.refusedPerDay > 0
      ? `${setting.perMinute} / the targets' ${field.perMinute}`
      : `${setting.perDay} / the targets' ${field.perDay}`;
  return (
    `${s.label}: ${why}. Raise ${raise} only if the provider's quota allows it, or give its ${int(s.targets)} target(s) ` +
    `a longer "every", or fewer targets on it`
  );
}

function roundText(r: RoundFitCheck): { line: string; refusal?: string } {
  const plans = `${sec(r.capacityMs)} planned: ${r.concurrency} at a time × ${sec(r.probeWindowMs)} probe window × 80 %`;
  if (r.status === 'fits')
    return {
      line: `round: fits — the busiest round's ${int(r.due)} due target(s) need ≈ ${sec(r.dueSessionMs)} of sessions; ${plans}`,
    };
  const fix = r.fix!;
  const fixes = [
    ...(fix.concurrency !== undefined ? [`CANARY_CONCURRENCY=${fix.concurrency}`] : []),
    ...(fix.every
      ? [`"every": "${formatEvery(fix.every.everyMs)}" on the ${int(fix.every.targets)} target(s) due every round`]
      : []),
    `at most ${int(fix.perApp)} target(s) due per round in one app (the rest in another)`,
    'CANARY_MODE=queue (no round capacity)',
  ];
  const cycle = `each due target is probed once every ${int(r.rounds)} rounds (every ${span(r.rounds * r.intervalMs)} instead of ${span(r.intervalMs)})`;
  const facts = `the busiest round has ${int(r.due)} due target(s) needing ≈ ${sec(r.dueSessionMs)} of sessions and fits ${int(r.fits)} (${plans})`;
  const what = `What would fit every round: ${fixes.join('; or ')}.`;
  if (r.status === 'rotation') return { line: `round full, fits by rotation: ${facts}; in rotation ${cycle}. ${what}` };
  return {
    line: `round: does not fit — ${facts}`,
    refusal: `round: ${facts}; in rotation ${cycle}, more than ${MAX_ROTATION_ROUNDS} — the plan does not fit. ${what}`,
  };
}
