/**
 * PagerDuty Events API v2 (`POST https://events.pagerduty.com/v2/enqueue`): the events a notification becomes. An
 * alert `trigger`s with `dedup_key` = `<target>@<region>` (so PagerDuty folds every trigger of one target in one
 * region into one alert; a silent region's is `_watchdog@<region>`, a poison queue's `_poison@<region>`), its recovery `resolve`s that key; reminders and budget notices page no one (PagerDuty
 * keeps the alert open by itself). The end of a mute triggers each target still failing, whose alert the mute
 * held. Severity follows the category: a service `incident` is critical, `capacity` (quota, rate limits), a
 * silent canary (`watchdog`) and probes in queue mode's poison queue (`poison`: probes the canary lost, so their
 * targets went unwatched — like a silent region) are errors, the canary's own `configuration` a warning; a
 * category this code does not know reads as an error, so it still pages. Links: the report, the evidence zip and the dashboard.
 *
 * The routing key is a secret: it is only ever in the body posted to PagerDuty, never in a log line, a state
 * blob or an error (see ./channels.ts).
 */
import { DASHBOARD_PATH } from '../../store/layout.js';
import { TOOL_NAME } from '../../version.js';
import type { Notification } from './alertState.js';
import type { NotificationLinks } from './cardLinks.js';
import {
  clipAtWord,
  isTestNotification,
  notificationCategory,
  notificationPlainText,
  notificationTitle,
} from './notificationText.js';

export type PagerDutySeverity = 'critical' | 'error' | 'warning' | 'info';

/** One Events API v2 event (a resolve carries only the key, the action and the dedup key). */
export type PagerDutyEvent =
  | {
      routing_key: string;
      event_action: 'trigger';
      dedup_key: string;
      payload: {
        summary: string;
        source: string;
        severity: PagerDutySeverity;
        timestamp: string;
        component: string;
        group?: string;
        class: string;
        custom_details: Record<string, unknown>;
      };
      links: { href: string; text: string }[];
      client: string;
      client_url?: string;
    }
  | { routing_key: string; event_action: 'resolve'; dedup_key: string };

/** PagerDuty's limits on the fields this code fills. */
const MAX_SUMMARY = 1024;
const MAX_DEDUP_KEY = 255;

const SEVERITY: Readonly<Record<string, PagerDutySeverity>> = {
  incident: 'critical',
  capacity: 'error',
  watchdog: 'error',
  poison: 'error',
  configuration: 'warning',
};

/** The severity of a category (unknown categories page as errors). */
export function pagerDutySeverity(category: string): PagerDutySeverity {
  return SEVERITY[category] ?? 'error';
}

/** `<target>@<region>`: one PagerDuty alert per target and region, cut to PagerDuty's 255 characters. */
export function dedupKey(target: string, region: string): string {
  return `${target}@${region}`.slice(0, MAX_DEDUP_KEY);
}

/**
 * Whether PagerDuty takes a notification: alerts and recoveries (not reminders, not budget, model-retirement
 * or round-digest notices: nothing resolves those, and a retirement's trigger would share the target's dedup key with its incidents).
 */
export function pagesFor(n: Notification): boolean {
  const category = notificationCategory(n);
  if (isTestNotification(n)) return true;
  if (category === 'budget' || category === 'lifecycle' || category === 'digest') return false;
  if (category === 'mute') return (n.muteEnd?.stillFailing.length ?? 0) > 0;
  return n.kind === 'alert' || n.kind === 'recovery';
}

/** The events of a notification ([] when PagerDuty does not take it). `n` is already scrubbed. */
export function pagerDutyEvents(n: Notification, routingKey: string, links: NotificationLinks = {}): PagerDutyEvent[] {
  if (!pagesFor(n)) return [];
  if (n.kind === 'recovery')
    return [{ routing_key: routingKey, event_action: 'resolve', dedup_key: dedupKey(n.target, n.region) }];
  if (notificationCategory(n) === 'mute')
    return (n.muteEnd?.stillFailing ?? []).map((f) => ({
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey(f.target, f.region),
      payload: {
        summary: clipAtWord(
          `${f.target} @ ${f.region}: still failing after the mute ended — ${f.headline ?? f.failureClass}`,
          MAX_SUMMARY,
        ),
        source: f.region,
        severity: pagerDutySeverity(f.category),
        timestamp: n.createdAt,
        component: f.target,
        class: f.failureClass,
        custom_details: { ...f, mute: n.muteEnd!.scope, mutedUntil: n.muteEnd!.until, text: notificationPlainText(n) },
      },
      links: linkList({ dashboardUrl: links.dashboardUrl }),
      client: TOOL_NAME,
      ...(links.dashboardUrl ? { client_url: links.dashboardUrl } : {}),
    }));
  const s = n.summary;
  // a notice about no single run (a silent region) has the dashboard as its page
  const noRun = s.reportHtmlPath === DASHBOARD_PATH;
  return [
    {
      routing_key: routingKey,
      event_action: 'trigger',
      dedup_key: dedupKey(n.target, n.region),
      payload: {
        summary: clipAtWord(notificationTitle(n), MAX_SUMMARY),
        source: s.host || n.region,
        severity: isTestNotification(n) ? 'info' : pagerDutySeverity(notificationCategory(n)),
        timestamp: n.createdAt,
        component: n.target,
        ...(s.group ? { group: s.group } : {}),
        class: n.opening.failureClass,
        custom_details: {
          region: n.region,
          target: n.target,
          category: notificationCategory(n),
          verdict: s.verdict,
          findings: s.findingCodes,
          failingRuns: `${n.window.failing} of the last ${n.window.of}`,
          run: s.runId,
          sessionId: s.sessionId ?? null,
          // the id a WebRTC support case asks for first (the card, report and evidence.zip carry it too)
          ...(s.callId ? { webrtcCallId: s.callId } : {}),
          requestIds: s.requestIds,
          report: noRun ? null : s.reportHtmlPath,
          ...(n.silence ? { silence: n.silence } : {}),
          ...(n.poison ? { poison: n.poison } : {}),
          text: notificationPlainText(n),
        },
      },
      links: linkList(noRun ? { dashboardUrl: links.dashboardUrl } : links),
      client: TOOL_NAME,
      ...(links.dashboardUrl ? { client_url: links.dashboardUrl } : {}),
    },
  ];
}

function linkList(links: NotificationLinks): { href: string; text: string }[] {
  return [
    ...(links.reportUrl ? [{ href: links.reportUrl, text: 'Report' }] : []),
    ...(links.evidenceUrl ? [{ href: links.evidenceUrl, text: 'Evidence (zip)' }] : []),
    ...(links.dashboardUrl ? [{ href: links.dashboardUrl, text: 'Dashboard' }] : []),
  ];
}
