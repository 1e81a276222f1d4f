/**
 * One card for a round the operator should hear about once, not target by target (issue 21 §4): the targets it did
 * not probe because it was full ("not probed: round full"), a session budget was used up ("not probed: quota") or,
 * in queue mode, their message came stale or was never enqueued ("not probed: queue"; the planner feeds the
 * minute's lines from the index, since the probers run elsewhere),
 * and — past {@link DIGEST_AFTER} run notifications in one round — the alerts, reminders and recoveries that would
 * each have been a card. The first {@link DIGEST_AFTER} go out as they happen (an incident is not held until the
 * round ends); the rest are folded: their alert state counts them delivered to the chat channel (webhook or the
 * store's alerts/ folder) and the digest lists them at the end of the round. PagerDuty is not folded: it gets every
 * trigger and resolve, one alert per target. Every target keeps its own dashboard cell. Delivery is the channels'
 * (../alerts/channels.ts); a digest that cannot be delivered is logged with what it held.
 */
import type { RunSummary } from '../../runSummary.js';
import type { RunSink } from '../runSink.js';
import type { Notification } from './alertState.js';
import { sendToAll, type Channel } from './channels.js';
import { noticeSummary, type NoticeText } from './notices.js';
import { isTestNotification, shortTime, type Fact } from './notificationText.js';

/** Run notifications posted one by one per round; the rest go into the digest. */
export const DIGEST_AFTER = 5;
/** Names listed per fact of the digest (the rest are counted). */
const MAX_NAMES = 20;

/** Whether a notification is about a target's runs (what the digest folds), not a notice. */
function aboutRuns(n: Notification): boolean {
  const c = n.category;
  return (
    !isTestNotification(n) &&
    c !== 'budget' &&
    c !== 'watchdog' &&
    c !== 'poison' &&
    c !== 'mute' &&
    c !== 'lifecycle' &&
    c !== 'digest'
  );
}

/** The round's digest: channels to give the alert sink (they fold past the limit) and the sink that posts it. */
export interface RoundDigest {
  channels: Channel[];
  sink: RunSink;
}

export function roundDigest(inner: readonly Channel[], limit = DIGEST_AFTER): RoundDigest {
  const posted = new Set<string>();
  const folded = new Map<string, Notification>();
  const fold = (n: Notification): boolean => {
    if (!aboutRuns(n) || posted.has(n.id)) return false;
    if (folded.has(n.id)) return true;
    if (posted.size < limit) {
      posted.add(n.id);
      return false;
    }
    folded.set(n.id, n);
    return true;
  };
  const chat = (c: Channel): boolean => c.name === 'webhook' || c.name === 'store';
  const channels = inner.map((c): Channel =>
    chat(c) ? { ...c, send: async (n, signal) => (fold(n) ? 'delivered' : c.send(n, signal)) } : c,
  );
  const skipped: RunSummary[] = [];
  const sink: RunSink = {
    name: 'digest',
    budgetMs: 30_000,
    stage: 'notify',
    async onNotProbed(summary) {
      const kind = summary.notProbed;
      if (kind === 'round full' || kind === 'quota' || kind === 'queue') skipped.push(summary);
    },
    async onRoundEnd(end, ctx) {
      const first = skipped[0] ?? end.summaries[0];
      const n = digestNotification({
        runId: end.runId,
        at: ctx.roundStartedAt.toISOString(),
        region: first?.region ?? [...folded.values()][0]?.region ?? '',
        notProbed: skipped,
        folded: [...folded.values()],
      });
      if (!n) return;
      const delivered = await sendToAll(inner.filter(chat), n, ctx.signal);
      if (delivered) ctx.log.info(`digest of round ${end.runId} delivered (${n.notice!.title})`);
      else ctx.log.error(`digest of round ${end.runId} not delivered: ${n.notice!.title} — see the dashboard`);
    },
  };
  return { channels, sink };
}

export interface DigestInput {
  runId: string;
  at: string;
  region: string;
  notProbed: readonly RunSummary[];
  folded: readonly Notification[];
}

/** The digest of a round, or undefined when there is nothing to say. */
export function digestNotification(d: DigestInput): Notification | undefined {
  const full = d.notProbed.filter((s) => s.notProbed === 'round full');
  const quota = d.notProbed.filter((s) => s.notProbed === 'quota');
  const queue = d.notProbed.filter((s) => s.notProbed === 'queue');
  if (!full.length && !quota.length && !queue.length && !d.folded.length) return undefined;
  const notice = digestNotice(d, { full, quota, queue });
  const headline = notice.title.replace(/^📋 /, '');
  return {
    id: `digest:${d.region}:${d.runId}`,
    kind: 'alert',
    category: 'digest',
    createdAt: d.at,
    region: d.region,
    target: 'round',
    summary: noticeSummary({ runId: d.runId, at: d.at, region: d.region, target: 'round', verdict: 'error', headline }),
    opening: { openedAt: d.at, runId: d.runId, runStartedAt: d.at, headline, failureClass: 'digest' },
    window: { failing: 0, of: 0 },
    sinceOpen: { runs: 0, failing: 0 },
    notice,
  };
}

/** `a, b, c`, or `4864 in all: a, b, …` (the count first: a card clips a long fact at its end). */
function names(list: readonly string[]): string {
  const shown = list.slice(0, MAX_NAMES).join(', ');
  return list.length > MAX_NAMES ? `${list.length} in all: ${shown}, …` : shown;
}

const plural = (n: number, one: string, many = `${one}s`): string => `${n} ${n === 1 ? one : many}`;

interface Skipped {
  full: readonly RunSummary[];
  quota: readonly RunSummary[];
  queue: readonly RunSummary[];
}

function digestNotice(d: DigestInput, { full, quota, queue }: Skipped): NoticeText {
  const alerts = d.folded.filter((n) => n.kind === 'alert');
  const reminders = d.folded.filter((n) => n.kind === 'reminder');
  const recoveries = d.folded.filter((n) => n.kind === 'recovery');
  const parts = [
    ...(full.length ? [`${plural(full.length, 'target')} not probed (round full)`] : []),
    ...(quota.length ? [`${plural(quota.length, 'probe')} not sent (quota)`] : []),
    ...(queue.length ? [`${plural(queue.length, 'probe')} dropped by the queue`] : []),
    ...(d.folded.length ? [`${plural(d.folded.length, 'notification')} in one card`] : []),
  ];
  const lead: string[] = [];
  if (full.length)
    lead.push(
      `More targets were due than this round could probe: ${plural(full.length, 'target was', 'targets were')} not ` +
        `probed and ${full.length === 1 ? 'comes' : 'come'} first in the next rounds (each has a "not probed: round full" ` +
        `cell on the dashboard). To probe every due target every round, raise CANARY_CONCURRENCY, give targets a ` +
        `longer "every", or run fewer targets per function app.`,
    );
  if (quota.length)
    lead.push(
      `${plural(quota.length, 'probe was', 'probes were')} not sent because a session budget of a deployment or key ` +
        `was used up ("not probed: quota"); raise the budget (maxSessionsPerMinute / maxSessionsPerDay, ` +
        `CANARY_MAX_SESSIONS_PER_…) only if the provider's quota allows, or probe less often.`,
    );
  if (queue.length)
    lead.push(
      `Queue mode: ${plural(queue.length, 'probe was', 'probes were')} not probed because ${
        queue.length === 1 ? 'its message' : 'their messages'
      } reached a prober after the planned start plus CANARY_PROBE_LATE_MS (stale) or could not be enqueued ` +
        `("not probed: queue", each with its reason on the dashboard). Stale messages mean too few prober instances ` +
        `for the plan: raise maximumInstanceCount or probe less often; not enqueued means the queue itself (the ` +
        `planner's log names the setting).`,
    );
  if (d.folded.length)
    lead.push(
      `More than ${DIGEST_AFTER} notifications in one round: ${plural(d.folded.length, 'is', 'are')} listed here instead ` +
        `of one card each; every target's own state is on the dashboard.`,
    );
  const line = (n: Notification): string =>
    `${n.target}${n.kind !== 'recovery' && n.opening.headline ? ` — ${n.opening.headline}` : ''}`;
  const facts: Fact[] = [
    { title: 'Round', value: `${d.runId} · ${shortTime(d.at)}` },
    ...(full.length ? [{ title: 'Not probed: round full', value: names(full.map((s) => s.target)) }] : []),
    ...(quota.length ? [{ title: 'Not probed: quota', value: names(quota.map((s) => s.target)) }] : []),
    ...(queue.length ? [{ title: 'Not probed: queue', value: names(queue.map((s) => s.target)) }] : []),
    ...(alerts.length ? [{ title: 'Alerts', value: names(alerts.map(line)) }] : []),
    ...(reminders.length ? [{ title: 'Still failing', value: names(reminders.map(line)) }] : []),
    ...(recoveries.length ? [{ title: 'Recovered', value: names(recoveries.map(line)) }] : []),
  ];
  return { title: `📋 ${d.region}: ${parts.join(', ')}`, lead: lead.join(' '), facts };
}
