/**
 * Sending one notification: make the report link (a short-lived read-only URL from the store, when it can
 * make one), render the payload in the configured format and post it. A link that cannot be made (no
 * delegation rights, Azurite) is not a reason to hold the alert back: the card then names the report path.
 */
import type { SendOutcome } from './alertDelivery.js';
import type { Notification } from './alertState.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { notificationLinks, type NotificationLinks } from './cardLinks.js';
import { scrubValue } from '../../realtime/scrubValue.js';
import { jsonPayload } from './jsonPayload.js';
import { teamsCard } from './teamsCard.js';
import { postJson, type DeliveryResult, type WebhookOptions } from './webhook.js';

/** `teams`: Adaptive Card envelope for a Workflows webhook; `json`: {@link ./jsonPayload.ts}. */
export type WebhookFormat = 'teams' | 'json';

/** Report links in notifications live this long by default. */
export const DEFAULT_LINK_TTL_MINUTES = 24 * 60;

/** Where and how {@link sendNotification} delivers. */
export interface NotifyOptions {
  /** The webhook URL (a secret; never logged). */
  webhookUrl: string;
  format: WebhookFormat;
  linkTtlMinutes?: number;
  /** Shown instead of a link when there is none, e.g. `storage account x, container canary`. */
  storageLabel?: string;
  webhook?: WebhookOptions;
  /** Scrubbed from the payload before it is posted (keys the service echoed into a headline, …). */
  secrets?: readonly string[];
  /** The function app's reports site (cardLinks.reportsSiteUrl): stable links instead of the store's expiring ones. */
  siteUrl?: string;
}

/** The payload for a notification in a format. */
export function renderPayload(
  format: WebhookFormat,
  n: Notification,
  reportUrl: string | undefined,
  storageLabel?: string,
  links: NotificationLinks = {},
  minimal = false,
): unknown {
  if (format === 'json') return jsonPayload(n, reportUrl, links);
  const reportLocation = storageLabel ? `${storageLabel}: ${n.summary.reportHtmlPath}` : undefined;
  return teamsCard(n, { ...links, reportUrl, reportLocation, minimal });
}

/** Links, renders and posts one notification. Never throws for remote failures. */
export async function sendNotification(
  n: Notification,
  store: ArtifactStore,
  options: NotifyOptions,
): Promise<DeliveryResult> {
  const links = await notificationLinks(n, store, options.linkTtlMinutes ?? DEFAULT_LINK_TTL_MINUTES, options.siteUrl);
  // the notification's text is scrubbed, not the links: they are the read-only links made for this card on purpose
  const payload = (minimal: boolean): unknown =>
    renderPayload(
      options.format,
      scrubValue(n, options.secrets ?? []),
      links.reportUrl,
      options.storageLabel,
      links,
      minimal,
    );
  const r = await postJson(options.webhookUrl, payload(false), options.webhook);
  if (options.format !== 'teams' || r.delivered || r.status !== 413) return r;
  // the receiver's limit is below ours: once more as the minimal card (title and report pointer), which always fits
  const again = await postJson(options.webhookUrl, payload(true), options.webhook);
  return { ...again, attempts: r.attempts + again.attempts };
}

/**
 * What a delivery result means for the notification: a final refusal (4xx other than 408/429, a redirect, an
 * unusable URL) is `rejected` — retried a bounded number of times, then dropped; everything else that did not
 * deliver (timeouts, 408, 429, 5xx, network errors) is `retry`.
 */
export function outcomeOf(r: DeliveryResult): SendOutcome {
  if (r.delivered) return 'delivered';
  return r.reason === 'rejected' || r.reason === 'invalid-url' ? 'rejected' : 'retry';
}
