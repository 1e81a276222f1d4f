/**
 * Notifications that are not about one run — a region whose canary went silent (./watchdog.ts), probe messages in
 * queue mode's poison queue (./poison.ts) and the end of a mute (./mute.ts): the run summary they carry (made up, like a budget notice's: no report, the dashboard
 * instead) and their words, made once with the notification and shown by every format as they are
 * (./notificationText.ts reads `notice` first).
 */
import type { Verdict } from '../../analysis/findings.js';
import { noRunFigures, type RunSummary } from '../../runSummary.js';
import { DASHBOARD_PATH } from '../../store/layout.js';
import type { NotificationKind } from './alertState.js';
import type { MuteEnd } from './mute.js';
import { durationInMinutes, shortTime, type Fact } from './notificationText.js';
import type { PoisonCount } from './poison.js';
import type { RegionSilence } from './watchdog.js';

/** Title, main sentence and facts of a notice. Plain text (each format escapes it its own way). */
export interface NoticeText {
  title: string;
  lead: string;
  facts: Fact[];
}

/** The summary a notice carries: who, where and when, the dashboard as its page, no run figures. */
export function noticeSummary(o: {
  runId: string;
  at: string;
  region: string;
  target: string;
  verdict: Verdict;
  headline: string;
}): RunSummary {
  return {
    ...noRunFigures(),
    runId: o.runId,
    startedAt: o.at,
    region: o.region,
    target: o.target,
    flavour: '',
    host: '',
    deployment: undefined,
    group: undefined,
    baseline: false,
    verdict: o.verdict,
    headline: o.headline,
    reportPath: '',
    reportHtmlPath: DASHBOARD_PATH,
  };
}

/** `no round from francecentral since 2026-11-24 09:12 UTC (34 min; it runs every 10 min)` */
export function silenceHeadline(s: RegionSilence): string {
  if (!s.lastRoundAt) return `${s.region} has no heartbeat any more (its canary was removed)`;
  return `no round from ${s.region} since ${shortTime(s.lastRoundAt)} (${durationInMinutes(s.silentForMs)}; it runs every ${durationInMinutes(s.intervalMs)})`;
}

/** The words of a watchdog notification about a region. */
export function silenceNotice(kind: NotificationKind, s: RegionSilence, openedAt?: string): NoticeText {
  const facts: Fact[] = [
    ...(s.lastRoundAt ? [{ title: 'Last round', value: `${shortTime(s.lastRoundAt)} (run ${s.lastRoundId})` }] : []),
    ...(s.intervalMs ? [{ title: 'Runs every', value: durationInMinutes(s.intervalMs) }] : []),
    { title: 'Noticed by', value: `the canary in ${s.noticedBy}` },
    ...(s.targets?.length ? [{ title: 'Targets it probes', value: s.targets.join(', ') }] : []),
  ];
  const opened = openedAt ? ` The alert was opened ${shortTime(openedAt)}.` : '';
  if (kind === 'recovery')
    return {
      title: s.lastRoundAt
        ? `✅ ${s.region}: the canary is running again`
        : `✅ ${s.region}: no longer watched (its heartbeat was removed)`,
      lead: s.lastRoundAt
        ? `The canary in ${s.region} finished a round at ${shortTime(s.lastRoundAt)}` +
          (s.silentSince
            ? ` after ${durationInMinutes(Date.parse(s.lastRoundAt) - Date.parse(s.silentSince))} of silence`
            : '') +
          `.${opened}`
        : `The heartbeat of ${s.region} was removed, so the region is taken as retired and no longer watched.${opened}`,
      facts,
    };
  const still = kind === 'reminder' ? 'still ' : '';
  return {
    title: `💤 ${s.region}: the canary is ${still}silent — no round since ${shortTime(s.lastRoundAt ?? '')}`,
    lead:
      `No round of the canary in ${s.region} has finished since ${shortTime(s.lastRoundAt ?? '')}: ${durationInMinutes(s.silentForMs)}, ` +
      `more than two of its ${durationInMinutes(s.intervalMs)} intervals. Its targets are not probed from ${s.region} meanwhile. ` +
      `Check the function app there: is it running and deployed, can its identity reach storage and Key Vault, ` +
      `is a configuration error logged at the start of its rounds?`,
    facts: [...facts.slice(0, 2), { title: 'Silent for', value: durationInMinutes(s.silentForMs) }, ...facts.slice(2)],
  };
}

/** `3 probe messages in canary-probes-poison` */
export function poisonHeadline(p: PoisonCount): string {
  return `${messages(p.count)} in ${p.queue}`;
}

/**
 * The words of a poison-queue notification: what the messages mean (the canary's own fault, never the service's)
 * and what to do first — the same as docs/deploy.md's runbook row.
 */
export function poisonNotice(kind: NotificationKind, p: PoisonCount, openedAt?: string): NoticeText {
  const facts: Fact[] = [
    { title: 'Poison queue', value: p.queue },
    { title: 'Messages now', value: `${p.count} (approximate), at most ${p.peak} since the alert opened` },
    { title: 'Checked', value: `${shortTime(p.at)} by the planner in ${p.region}` },
  ];
  const opened = openedAt ? ` The alert was opened ${shortTime(openedAt)}.` : '';
  if (kind === 'recovery')
    return {
      title: `✅ ${p.region}: the poison queue ${p.queue} is empty again`,
      lead:
        `The poison queue ${p.queue} of the canary in ${p.region} is empty again (cleared, or its messages expired); ` +
        `it held at most ${messages(p.peak)}.${opened}`,
      facts: [facts[0]!, { title: 'Most messages while open', value: String(p.peak) }, facts[2]!],
    };
  const still = kind === 'reminder' ? 'still ' : '';
  return {
    title: `☠️ ${p.region}: ${still}${messages(p.count)} in the poison queue ${p.queue}`,
    lead:
      (kind === 'reminder' ? `The poison queue has not been cleared.${opened} ` : '') +
      `The prober in ${p.region} threw on both attempts for ${p.count === 1 ? 'this probe' : 'these probes'}, so the ` +
      `Functions host moved ${p.count === 1 ? 'its message' : 'their messages'} to ${p.queue}: the canary's own fault, ` +
      `never the service's (settings it cannot load, a message it cannot read, a run it could write neither to storage ` +
      `nor to its spool). Those probes are recorded nowhere: no index line, no report, no card. First search the app's ` +
      `log for "configuration error:" (then every message fails: fix the setting), then for the prober's errors; ` +
      `check the app's identity can reach the host storage and the reports account; then peek at and clear the ` +
      `poison queue (docs/deploy.md, "The poison queue and its alert"). This alert recovers once it is empty.`,
    facts,
  };
}

function messages(n: number): string {
  return `${n} probe message${n === 1 ? '' : 's'}`;
}

/** The words of the message that ends a mute. */
export function muteEndNotice(m: MuteEnd): NoticeText {
  const failing = m.stillFailing.map(
    (f) => `${f.target} @ ${f.region} since ${shortTime(f.openedAt)}${f.headline ? ` — ${f.headline}` : ''}`,
  );
  const state = failing.length ? `${failing.length} still failing` : 'nothing is failing';
  return {
    title: `🔔 Mute of ${m.scope} ended: ${state}`,
    lead:
      `The mute of ${m.scope} ended at ${shortTime(m.until)}${m.reason ? ` (${m.reason})` : ''}; its notifications are sent again. ` +
      (failing.length ? `Still failing: ${failing.join('; ')}.` : 'All its targets pass.') +
      (m.stillMuted.length ? ` Still muted by another mute: ${m.stillMuted.join(', ')}.` : ''),
    facts: [
      { title: 'Muted until', value: shortTime(m.until) },
      ...(m.reason ? [{ title: 'Reason', value: m.reason }] : []),
      { title: 'Held during the mute', value: `${m.held} notification${m.held === 1 ? '' : 's'}` },
      { title: 'Still failing', value: failing.length ? failing.join('; ') : 'none' },
    ],
  };
}
