/**
 * The words of a notification, shared by the Teams card and the JSON payload: the title, the facts (label and
 * value) and a plain-text summary. Plain text only: no markdown, no HTML, no escaping (the payloads are built
 * with JSON.stringify).
 */
import type { Notification } from './alertState.js';
import type { RunSummary } from './runSummary.js';

/** One label/value row of a card FactSet (and of the plain text). */
export interface Fact {
  title: string;
  value: string;
}

const ICONS = { alert: '🔴', reminder: '🟠', recovery: '✅' } as const;

/** What a run probed, for titles: the deployment if known, else the target name. */
export function probedName(s: RunSummary): string {
  return s.deployment ?? s.target;
}

/** E.g. `🔴 swedencentral · gpt-realtime · silent_gap`, `🟠 Still failing: …`, `✅ Recovered: swedencentral · gpt-realtime`. */
export function notificationTitle(n: Notification): string {
  const where = `${n.region} · ${probedName(n.summary)}`;
  switch (n.kind) {
    case 'alert':
      return `${ICONS.alert} ${where} · ${n.opening.failureClass}`;
    case 'reminder':
      return `${ICONS.reminder} Still failing: ${where} · ${n.opening.failureClass}`;
    case 'recovery':
      return `${ICONS.recovery} Recovered: ${where}`;
  }
}

/** One line under the title: which target, flavour and host. */
export function targetLine(s: RunSummary): string {
  return [`target ${s.target}`, s.flavour, s.host, s.group ? `group ${s.group}` : undefined].filter(Boolean).join(' · ');
}

/** The main sentence: the headline for alerts and reminders, a reference to the opening alert for recoveries. */
export function leadText(n: Notification): string {
  const o = n.opening;
  const opened = `opened ${shortTime(o.openedAt)} by run ${o.runId}${o.headline ? `: ${o.headline}` : ''}`;
  switch (n.kind) {
    case 'alert':
      return n.summary.headline ?? `Verdict ${n.summary.verdict} (${n.summary.findingCodes.join(', ') || 'no finding codes'}).`;
    case 'reminder':
      return `Still failing: ${n.sinceOpen.failing} of ${n.sinceOpen.runs} runs since the alert ${opened}. Latest: ${n.summary.headline ?? n.summary.verdict}`;
    case 'recovery':
      return `Recovered after ${duration(Date.parse(n.createdAt) - Date.parse(o.openedAt))} (${n.window.of} passing runs in a row). The alert was ${opened}`;
  }
}

/** Core facts, in display order; the ones after {@link CORE_FACTS} are dropped first when space is short. */
export function notificationFacts(n: Notification): Fact[] {
  const s = n.summary;
  const facts: Fact[] = [
    { title: 'Verdict', value: s.findingCodes.length ? `${s.verdict} (${s.findingCodes.join(', ')})` : s.verdict },
    { title: 'Failing turns', value: `${s.failingTurns} of ${s.turns}` },
    { title: 'Longest gap', value: s.longestGapMs > 0 ? seconds(s.longestGapMs) : 'none' },
    { title: 'Coverage', value: s.coverage === undefined ? 'n/a' : `${Math.round(s.coverage * 100)} %` },
    { title: 'Time to first audio', value: s.timeToFirstAudioMs === undefined ? 'n/a' : `${Math.round(s.timeToFirstAudioMs)} ms` },
    { title: 'Failing runs', value: `${n.window.failing} of the last ${n.window.of}` },
    { title: 'Session id', value: s.sessionId ?? 'n/a' },
    { title: 'Request ids', value: requestIds(s.requestIds) },
    { title: 'Run', value: `${s.runId} · ${shortTime(s.startedAt)}` },
  ];
  if (n.kind !== 'alert') facts.push({ title: 'Open since', value: `${shortTime(n.opening.openedAt)} (run ${n.opening.runId})` });
  return facts;
}

/** Facts that survive any shrinking. */
export const CORE_FACTS = new Set(['Verdict', 'Failing turns', 'Longest gap', 'Coverage', 'Time to first audio']);

/** A plain-text rendering of the whole notification (for receivers that show text only). */
export function notificationPlainText(n: Notification): string {
  const lines = [notificationTitle(n), targetLine(n.summary), leadText(n)];
  if (n.summary.comparison) lines.push(`Comparison: ${n.summary.comparison}`);
  for (const f of notificationFacts(n)) lines.push(`${f.title}: ${f.value}`);
  return lines.join('\n');
}

/** Removes control characters (keeps newlines) and cuts at `max` code points, marking the cut with `…`. */
export function clip(text: string, max: number): string {
  const clean = text.replace(/[\u0000-\u0009\u000b-\u001f\u007f]/g, ' ');
  const chars = Array.from(clean);
  return chars.length <= max ? clean : chars.slice(0, Math.max(0, max - 1)).join('') + '…';
}

function requestIds(ids: Record<string, string>): string {
  const entries = Object.entries(ids);
  return entries.length ? entries.map(([k, v]) => `${k}: ${v}`).join(', ') : 'n/a';
}

function seconds(ms: number): string {
  return `${(ms / 1000).toFixed(1)} s`;
}

/** `2026-11-02 10:00 UTC` from an ISO time (the input unchanged if it is not one). */
export function shortTime(iso: string): string {
  const t = Date.parse(iso);
  return Number.isNaN(t) ? iso : new Date(t).toISOString().slice(0, 16).replace('T', ' ') + ' UTC';
}

function duration(ms: number): string {
  if (!(ms > 0)) return '0 min';
  const minutes = Math.round(ms / 60_000);
  const h = Math.floor(minutes / 60);
  return h > 0 ? `${h} h ${minutes % 60} min` : `${minutes} min`;
}
