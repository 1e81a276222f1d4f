/**
 * The words of a notification, shared by the Teams card and the JSON payload: the title, the facts (label and
 * value) and a plain-text summary. Plain text only: no markdown, no HTML, no escaping here (the card escapes what
 * Teams would read as markdown, see ./cardText.ts; the payloads are built with JSON.stringify).
 *
 * Four kinds of problem read differently: a service `incident` (what went wrong, in how many turns), a
 * `configuration` problem of the canary itself (what to fix and the setting to fix it in — never a support case,
 * never "the hosting layer"), `capacity` (rate limited or no capacity: retry, raise the quota or move region, with the
 * wait the service asked for — never a support case either), and the spend `budget`. Configuration and capacity
 * words come from the run's classification (RunSummary.problem, from report.json's `problem`), never re-derived.
 */
import { FINDING_WORDS, type FindingCode, type FindingWords } from '../../analysis/findings.js';
import { span } from '../../analysis/format.js';
import { CAPACITY_ADVICE } from '../../analysis/problems.js';
import { retirementPhrase } from '../../analysis/lifecycle.js';
import type { Notification } from './alertState.js';
import type { RunSummary } from '../../runSummary.js';
import { seconds } from '../../report/format.js';

/** One label/value row of a card FactSet (and of the plain text). */
export interface Fact {
  title: string;
  value: string;
}

/** What a notification is about; older state without a category reads as an incident. */
export type NotificationCategory = NonNullable<Notification['category']>;

export function notificationCategory(n: Notification): NotificationCategory {
  return n.category ?? n.summary.category ?? 'incident';
}

/** Notifications whose id starts with this are samples sent by `realtime-canary test-alert`. */
export const TEST_ID_PREFIX = 'test:';
export const TEST_TITLE = 'TEST — realtime-canary test alert, no action needed';

export function isTestNotification(n: Notification): boolean {
  return n.id.startsWith(TEST_ID_PREFIX);
}

const ICONS = {
  alert: '🔴',
  reminder: '🟠',
  recovery: '✅',
  configuration: '⚙️',
  capacity: '⏳',
  budget: '💰',
  lifecycle: '📅',
} as const;

/** What a run probed, for the line under the title: the deployment if known, else the target name. */
export function probedName(s: RunSummary): string {
  return s.deployment ?? s.target;
}

/**
 * `<state> <target> @ <region>: <what>`, e.g. `🔴 azure-francecentral @ swedencentral: 2.6 s silent gap in 2 of 3
 * turns`, `🟠 … still failing — …`, `✅ … recovered`, `⚙️ … the canary could not authenticate to host`.
 */
export function notificationTitle(n: Notification): string {
  const where = `${n.target} @ ${n.region}`;
  const category = notificationCategory(n);
  if (isTestNotification(n)) return `🧪 ${TEST_TITLE} (${n.region})`;
  if (n.notice) return n.notice.title;
  if (category === 'budget')
    return `${ICONS.budget} Budget @ ${n.region}: ${firstClause(n.summary.headline ?? n.opening.headline ?? 'spend budget reached')}`;
  if (category === 'lifecycle') return `${ICONS.lifecycle} ${where}: ${retirementTitle(n.summary)}`;
  if (n.kind === 'recovery') return `${ICONS.recovery} ${where}: recovered`;
  const still = n.kind === 'reminder' ? 'still ' : '';
  if (category === 'configuration')
    return `${ICONS.configuration} ${where}: ${still}${configurationProblem(n.summary)}`;
  if (category === 'capacity')
    return `${ICONS.capacity} ${where}: ${still}capacity/quota — ${capacityProblem(n.summary)}`;
  const what = whatWentWrong(n.summary);
  return n.kind === 'reminder'
    ? `${ICONS.reminder} ${where}: still failing — ${what}`
    : `${ICONS.alert} ${where}: ${what}`;
}

/** One line under the title: which deployment, flavour and host. */
export function targetLine(s: RunSummary): string {
  return [
    probedName(s) !== s.target ? s.deployment : undefined,
    s.flavour,
    s.host,
    s.group ? `group ${s.group}` : undefined,
  ]
    .filter(Boolean)
    .join(' · ');
}

/**
 * The main sentence: the headline for alerts and reminders (for configuration and capacity problems, what to do), a
 * reference to the opening alert for recoveries.
 */
export function leadText(n: Notification): string {
  const o = n.opening;
  const category = notificationCategory(n);
  const opened = `opened ${shortTime(o.openedAt)} by run ${o.runId}${o.headline ? `: ${o.headline}` : ''}`;
  if (isTestNotification(n))
    return 'A sample card sent by "realtime-canary test-alert" to check that alerts reach this channel. Nothing is wrong; the figures below are made up.';
  if (n.notice) return n.notice.lead;
  if (category === 'budget') return n.summary.headline ?? o.headline ?? 'The spend budget was reached.';
  if (category === 'lifecycle') return o.headline ?? retirementTitle(n.summary);
  if (n.kind === 'recovery') {
    const openFor = durationInMinutes(Date.parse(n.createdAt) - Date.parse(o.openedAt));
    return `Recovered after ${openFor} (${n.window.of} passing runs in a row). The alert was ${opened}`;
  }
  const latest =
    category === 'configuration'
      ? configurationAdvice(n.summary)
      : category === 'capacity'
        ? (n.summary.problem?.advice ?? CAPACITY_ADVICE)
        : (n.summary.headline ??
          `Verdict ${n.summary.verdict} (${n.summary.findingCodes.join(', ') || 'no finding codes'}).`);
  return n.kind === 'reminder'
    ? `Still failing: ${n.sinceOpen.failing} of ${n.sinceOpen.runs} runs since the alert ${opened}. Latest: ${latest}`
    : latest;
}

/** Core facts, in display order; the ones not in {@link CORE_FACTS} are dropped first when space is short. */
export function notificationFacts(n: Notification): Fact[] {
  const s = n.summary;
  const category = notificationCategory(n);
  if (n.notice) return n.notice.facts;
  if (category === 'budget') return [{ title: 'Run', value: `${s.runId} · ${shortTime(s.startedAt)}` }];
  if (category === 'lifecycle')
    return [
      { title: 'Model', value: s.retirement?.model ?? s.model ?? 'n/a' },
      { title: 'Retires on', value: s.retirement?.retiresOn ?? 'n/a' },
      { title: 'Replacement', value: s.retirement?.replacement ?? 'none named by the source' },
      { title: 'Run', value: `${s.runId} · ${shortTime(s.startedAt)}` },
    ];
  const said = s.headline && n.kind !== 'recovery' ? [{ title: 'Service said', value: s.headline }] : [];
  const facts: Fact[] =
    category === 'configuration'
      ? [
          { title: 'Verdict', value: `${s.verdict} (configuration)` },
          { title: 'Host', value: s.host || 'n/a' },
          ...(s.problem?.settingValue ? [{ title: 'Setting to fix', value: s.problem.settingValue }] : []),
          ...said,
        ]
      : category === 'capacity'
        ? [
            { title: 'Verdict', value: `${s.verdict} (capacity: ${s.findingCodes.join(', ') || 'throttled'})` },
            { title: 'Host', value: s.host || 'n/a' },
            ...(s.problem?.retryAfterMs !== undefined
              ? [{ title: 'Retry after', value: span(s.problem.retryAfterMs) }]
              : []),
            ...said,
          ]
        : [
            {
              title: 'Verdict',
              value: s.findingCodes.length ? `${s.verdict} (${s.findingCodes.join(', ')})` : s.verdict,
            },
            { title: 'Failing turns', value: `${s.failingTurns} of ${s.turns}` },
            { title: 'Longest gap', value: s.longestGapMs > 0 ? seconds(s.longestGapMs) : 'none' },
            {
              title: 'Coverage',
              value: s.coverage === undefined ? 'n/a' : `${Math.round(Math.min(1, Math.max(0, s.coverage)) * 100)} %`,
            },
            {
              title: 'Time to first audio',
              value: s.timeToFirstAudioMs === undefined ? 'n/a' : `${Math.round(s.timeToFirstAudioMs)} ms`,
            },
          ];
  facts.push(
    { title: 'Failing runs', value: `${n.window.failing} of the last ${n.window.of}` },
    { title: 'Session id', value: s.sessionId ?? 'n/a' },
    ...(s.callId ? [{ title: 'WebRTC call id', value: s.callId }] : []),
    { title: 'Request ids', value: requestIds(s.requestIds) },
    { title: 'Run', value: `${s.runId} · ${shortTime(s.startedAt)}` },
  );
  if (n.kind !== 'alert')
    facts.push({ title: 'Open since', value: `${shortTime(n.opening.openedAt)} (run ${n.opening.runId})` });
  return facts;
}

/** Facts that survive any shrinking. */
export const CORE_FACTS = new Set([
  'Verdict',
  'Setting to fix',
  'Retry after',
  'Failing turns',
  'Longest gap',
  'Coverage',
  'Time to first audio',
  'Host',
]);

/** The comparison with the baseline, for incidents only (a configuration or capacity problem is not the hosting layer's). */
export function comparisonText(n: Notification): string | undefined {
  return notificationCategory(n) === 'incident' && n.summary.comparison
    ? `Comparison: ${n.summary.comparison}`
    : undefined;
}

/** A plain-text rendering of the whole notification (for receivers that show text only). */
export function notificationPlainText(n: Notification): string {
  const lines = [notificationTitle(n), targetLine(n.summary), leadText(n)];
  const comparison = comparisonText(n);
  if (comparison) lines.push(comparison);
  for (const f of notificationFacts(n)) lines.push(`${f.title}: ${f.value}`);
  return lines.filter(Boolean).join('\n');
}

/** The HTTP status a rejected upgrade's headline quotes, if any. */
function rejectedStatus(s: RunSummary): number | undefined {
  const m = /\bHTTP (\d{3})\b/.exec(s.headline ?? '');
  return m ? Number(m[1]) : undefined;
}

/** `<model> retires on <day>` (or was due to), from the run's retirement. */
function retirementTitle(s: RunSummary): string {
  const r = s.retirement;
  return r ? `model ${retirementPhrase(r.model, r.retiresOn, s.startedAt)}` : 'the model retires soon';
}

/** The short "what" of a configuration problem, for the title (the run's classification; older summaries: generic). */
export function configurationProblem(s: RunSummary): string {
  return s.problem?.what ?? `the canary's configuration for ${s.host || s.target} needs fixing`;
}

/** What to do about a configuration problem (no support case: this is ours to fix), and the setting to fix it in. */
export function configurationAdvice(s: RunSummary): string {
  const advice = s.problem?.advice ?? `Fix the target's configuration: ${s.headline ?? 'the probe could not start'}`;
  return s.problem?.settingValue ? `${advice} Setting to fix: ${s.problem.settingValue}.` : advice;
}

/** The short "what" of a capacity problem, for the title: the limit and the wait, when known. */
export function capacityProblem(s: RunSummary): string {
  return s.problem?.what ?? `throttled by ${s.host || 'the service'}`;
}

/** The short "what went wrong" of an incident, from the most severe finding, e.g. `2.6 s silent gap in 2 of 3 turns`. */
export function whatWentWrong(s: RunSummary): string {
  const code = s.findingCodes[0];
  if (code && code in FINDING_WORDS) return withDetail(FINDING_WORDS[code as FindingCode], s);
  if (code) return `${code}${inTurns(s)}`;
  if (s.verdict === 'error') return 'the probe could not run';
  return s.headline ?? s.verdict;
}

/** A finding's alert words with the run's numbers its row asks for. */
function withDetail(words: FindingWords, s: RunSummary): string {
  switch (words.alertDetail) {
    case 'turns':
      return `${words.alert}${inTurns(s)}`;
    case 'http-status':
      return `${words.alert}${rejectedStatus(s) ? ` (HTTP ${rejectedStatus(s)})` : ''}`;
    case 'gap-length':
      return `${s.longestGapMs > 0 ? `${seconds(s.longestGapMs)} ` : ''}${words.alert}${inTurns(s)}`;
    case 'first-audio':
      return `${words.alert}${s.timeToFirstAudioMs !== undefined ? ` (${Math.round(s.timeToFirstAudioMs)} ms)` : ''}`;
    case 'model':
      return `${words.alert}${s.model ? ` (${s.model})` : ''}`;
    case 'none':
      return words.alert;
  }
}

function inTurns(s: RunSummary): string {
  return s.failingTurns > 0 && s.turns > 0 ? ` in ${s.failingTurns} of ${s.turns} turn${s.turns === 1 ? '' : 's'}` : '';
}

/** The text up to the first `: ` or `; ` (e.g. a budget headline's "80 % of the daily budget reached"). */
function firstClause(text: string): string {
  return text.split(/[:;] /)[0]!.replace(/\.$/, '');
}

/**
 * Removes control characters (keeps newlines) and cuts at `max` code points, marking the cut with `…`. The cut
 * falls on a word boundary when one is in the second half of the allowed length, so words are never split.
 */
export function clipAtWord(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
  const chars = Array.from(clean);
  if (chars.length <= max) return clean;
  const room = Math.max(0, max - 1);
  let cut = room;
  for (let i = room; i > Math.floor(room / 2); i--) {
    if (/\s/.test(chars[i]!)) {
      cut = i;
      break;
    }
  }
  return chars.slice(0, cut).join('').trimEnd() + '…';
}

function requestIds(ids: Record<string, string>): string {
  const entries = Object.entries(ids);
  return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join(', ') : 'n/a';
}

/** `2026-11-02 10:00 UTC` from an ISO time (the input unchanged if it is not one). */
export function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

/** "2 h 5 min": a length to the minute (how long an alert was open, a region was silent). */
export function durationInMinutes(ms: number): string {
  if (!(ms > 0)) return '0 min';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}
