/**
 * The links a notification's buttons open: the run's report.html, the evidence zip next to it (`evidence.zip`)
 * and the fleet dashboard at the container root (`index.html`). With the function app's reports site on (Entra
 * sign-in, `CANARY_REPORTS_HTTP=on`) they are its stable URLs (`https://<app>/reports/<path>`, `/dashboard`),
 * which never expire; otherwise each is made the way the report link always was (the store's read-only link),
 * independently: a link the store cannot make is left out, never a reason to hold the notification back.
 */
import { encodePath } from '../../report/escape.js';
import type { Notification } from './alertState.js';
import { DASHBOARD_PATH, EVIDENCE_ZIP } from '../../store/layout.js';
export { reportsSiteUrl } from '../../config/settings.js';

/** The store capability the links need (ArtifactStore.readLink). */
export interface LinkMaker {
  readLink(path: string, ttlMinutes: number): Promise<string | undefined>;
}

export interface NotificationLinks {
  reportUrl?: string;
  dashboardUrl?: string;
  evidenceUrl?: string;
}

/** Store paths of the report, the evidence zip and the dashboard of a notification. */
export function linkPaths(n: Notification): { report: string; evidence: string; dashboard: string } {
  const report = n.summary.reportHtmlPath;
  const slash = report.lastIndexOf('/');
  return {
    report,
    evidence: slash >= 0 ? `${report.slice(0, slash)}/${EVIDENCE_ZIP}` : EVIDENCE_ZIP,
    dashboard: DASHBOARD_PATH,
  };
}

/** Whether a notification is about one run (a notice — budget, a silent region, a mute's end — has no evidence zip). */
function aboutRun(n: Notification): boolean {
  return n.summary.reportHtmlPath !== DASHBOARD_PATH;
}

/** Stable links through the reports site at `siteUrl` (see {@link reportsSiteUrl}). */
export function siteLinks(n: Notification, siteUrl: string): NotificationLinks {
  const base = siteUrl.replace(/\/+$/, '');
  const paths = linkPaths(n);
  return {
    reportUrl: `${base}/reports/${encodePath(paths.report)}`,
    ...(aboutRun(n) ? { evidenceUrl: `${base}/reports/${encodePath(paths.evidence)}` } : {}),
    dashboardUrl: `${base}/dashboard`,
  };
}

/** The reports site's links when there is one, else the links the store can make, each independently (a failure leaves that one out). */
export async function notificationLinks(
  n: Notification,
  store: LinkMaker,
  ttlMinutes: number,
  siteUrl?: string,
): Promise<NotificationLinks> {
  if (siteUrl) return siteLinks(n, siteUrl);
  const paths = linkPaths(n);
  const link = (path: string): Promise<string | undefined> => store.readLink(path, ttlMinutes).catch(() => undefined);
  const [reportUrl, evidenceUrl, dashboardUrl] = await Promise.all([
    link(paths.report),
    aboutRun(n) ? link(paths.evidence) : undefined,
    link(paths.dashboard),
  ]);
  return {
    ...(reportUrl ? { reportUrl } : {}),
    ...(evidenceUrl ? { evidenceUrl } : {}),
    ...(dashboardUrl ? { dashboardUrl } : {}),
  };
}
