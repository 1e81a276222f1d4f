/**
 * The generic JSON webhook format, for receivers other than Teams (PagerDuty/Opsgenie bridges, Logic Apps,
 * custom services). Documented shape, versioned by `schema`:
 *
 * ```text
 * {
 *   "schema": "realtime-canary.notification/1",
 *   "id": "alert:swedencentral/aoai-sweden:run-20261102T1000Z",   // stable: de-duplicate redeliveries
 *   "kind": "alert",                                             // alert | reminder | recovery
 *   "createdAt": "2026-11-02T10:01:12.000Z",
 *   "region": "swedencentral", "target": "aoai-sweden",
 *   "category": "incident",                                      // incident | configuration | capacity | budget | watchdog | poison | mute | lifecycle | digest
 *   "title": "🔴 aoai-sweden @ swedencentral: 3.1 s silent gap in 3 of 6 turns",
 *   "text": "…plain-text rendering, several lines…",
 *   "opening": { "openedAt", "runId", "runStartedAt", "headline", "failureClass" },
 *   "window": { "failing": 2, "of": 3 },
 *   "sinceOpen": { "runs": 1, "failing": 1 },
 *   "summary": { …RunSummary… },
 *   "reportUrl": "https://…?sv=…&sig=…" | null,                 // read-only link, if any
 *   "reportPath": "runs/2026/11/02/…/report.html",
 *   "dashboardUrl": "https://…/index.html" | null,               // the fleet dashboard, if it could be linked
 *   "evidenceUrl": "https://…/evidence.zip" | null,              // the run's evidence zip, if it could be linked
 *   "silence": { "region", "lastRoundAt", "intervalMs", "silentForMs", "noticedBy", … },  // watchdog only
 *   "poison": { "region", "queue", "count", "at", "peak" },  // poison only (queue mode's poison queue)
 *   "muteEnd": { "scope", "until", "held", "stillFailing": [{ "target", "region", … }] }  // mute only
 * }
 * ```
 */
import type { Notification } from './alertState.js';
import type { NotificationLinks } from './cardLinks.js';
import {
  notificationCategory,
  notificationPlainText,
  notificationTitle,
  type NotificationCategory,
} from './notificationText.js';

/** The `schema` value of the current payload version. */
export const JSON_PAYLOAD_SCHEMA = 'realtime-canary.notification/1';

/** The generic JSON webhook body (see the module comment). */
export interface JsonNotificationPayload extends Notification {
  schema: typeof JSON_PAYLOAD_SCHEMA;
  /** Always present here (the notification's, else its run's, else `incident`). */
  category: NotificationCategory;
  title: string;
  text: string;
  reportUrl: string | null;
  reportPath: string;
  dashboardUrl: string | null;
  evidenceUrl: string | null;
}

/** The JSON payload for a notification. `reportUrl` is the report link, if the store could make one; `links` the others. */
export function jsonPayload(
  n: Notification,
  reportUrl?: string,
  links: NotificationLinks = {},
): JsonNotificationPayload {
  return {
    schema: JSON_PAYLOAD_SCHEMA,
    ...n,
    category: notificationCategory(n),
    title: notificationTitle(n),
    text: notificationPlainText(n),
    reportUrl: reportUrl ?? null,
    reportPath: n.summary.reportHtmlPath,
    dashboardUrl: links.dashboardUrl ?? null,
    evidenceUrl: links.evidenceUrl ?? null,
  };
}
