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
 *   "title": "🔴 swedencentral · gpt-realtime · silent_gap",
 *   "text": "…plain-text rendering, several lines…",
 *   "opening": { "openedAt", "runId", "runStartedAt", "headline", "failureClass" },
 *   "window": { "failing": 2, "of": 3 },
 *   "sinceOpen": { "runs": 1, "failing": 1 },
 *   "summary": { …RunSummary… },
 *   "reportUrl": "https://…?sv=…&sig=…" | null,                 // short-lived read-only link, if any
 *   "reportPath": "runs/2026/11/02/…/report.html"
 * }
 * ```
 */
import type { Notification } from './alertState.js';
import { notificationPlainText, notificationTitle } from './notificationText.js';

/** The `schema` value of the current payload version. */
export const JSON_PAYLOAD_SCHEMA = 'realtime-canary.notification/1';

/** The generic JSON webhook body (see the module comment). */
export interface JsonNotificationPayload extends Notification {
  schema: typeof JSON_PAYLOAD_SCHEMA;
  title: string;
  text: string;
  reportUrl: string | null;
  reportPath: string;
}

/** The JSON payload for a notification. `reportUrl` is the short-lived report link, if the store could make one. */
export function jsonPayload(n: Notification, reportUrl?: string): JsonNotificationPayload {
  return {
    schema: JSON_PAYLOAD_SCHEMA,
    ...n,
    title: notificationTitle(n),
    text: notificationPlainText(n),
    reportUrl: reportUrl ?? null,
    reportPath: n.summary.reportHtmlPath,
  };
}
