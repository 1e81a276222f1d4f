/**
 * The channels one notification goes to, each with its own delivery state (./alertDelivery.ts): the chat
 * `webhook` (a Teams card or generic JSON), `pagerduty` (Events API v2, ./pagerDuty.ts), and — when no chat
 * webhook is configured — the `store`, which writes `alerts/<time>-<target>-<kind>.json`. All of them get the
 * round's retries and exactly-once claims, side by side: a Teams failure never holds PagerDuty back, or the
 * other way round. A channel configured with an unusable setting is kept but not usable: nothing is posted to it
 * and its notifications wait for it (up to 48 h) while the others deliver.
 */
import type { CanarySettings } from '../../config/settings.js';
import { scrubValue } from '../../realtime/scrubValue.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { contentTypeFor, notificationFilePath } from '../../store/layout.js';
import type { LineLog } from '../../log.js';
import type { ChannelRoute, SendOutcome } from './alertDelivery.js';
import type { Notification } from './alertState.js';
import { notificationLinks } from './cardLinks.js';
import { outcomeOf, renderPayload, sendNotification } from './notify.js';
import { pagerDutyEvents, pagesFor } from './pagerDuty.js';
import { postJson, type DeliveryResult, type WebhookOptions } from './webhook.js';

/** Webhook timing inside the alert sink's budget: a receiver that never answers costs ≤ 25 s per notification. */
export const ROUND_WEBHOOK: WebhookOptions = {
  attempts: 3,
  attemptTimeoutMs: 10_000,
  totalTimeoutMs: 25_000,
  maxRetryAfterMs: 10_000,
};

export type ChannelName = 'webhook' | 'pagerduty' | 'store';

/** One place notifications go. */
export interface Channel extends ChannelRoute {
  readonly name: ChannelName;
  /** Posts one notification; stops retrying once `signal` is aborted. Never throws for remote failures. */
  send(n: Notification, signal?: AbortSignal): Promise<SendOutcome>;
}

/** Everything a channel needs besides the settings. */
interface ChannelContext {
  settings: CanarySettings;
  store: ArtifactStore;
  log: LineLog;
  secrets: () => readonly string[];
  webhook: WebhookOptions;
}

/** The channels of the settings (see the module comment); never empty. */
export function createChannels(
  settings: CanarySettings,
  store: ArtifactStore,
  log: LineLog,
  secrets: () => readonly string[] = () => [],
  webhook: WebhookOptions = ROUND_WEBHOOK,
): Channel[] {
  const c: ChannelContext = { settings, store, log, secrets, webhook };
  const broken = (field: string): boolean => settings.problems?.some((p) => p.field === field) ?? false;
  const channels: Channel[] = [];
  if (settings.webhook) channels.push(chatChannel(c, settings.webhook));
  else if (broken('CANARY_WEBHOOK_URL')) channels.push(unusable('webhook', () => true));
  else channels.push(storeChannel(c));
  if (settings.pagerDuty) channels.push(pagerDutyChannel(c, settings.pagerDuty.routingKey, settings.pagerDuty.url));
  else if (broken('CANARY_PAGERDUTY_ROUTING_KEY') || broken('CANARY_PAGERDUTY_URL'))
    channels.push(unusable('pagerduty', pagesFor));
  return channels;
}

/** Sends one notification that has no alert state (a budget notice) to every channel taking it; true when all did. */
export async function sendToAll(channels: readonly Channel[], n: Notification, signal?: AbortSignal): Promise<boolean> {
  const taking = channels.filter((c) => c.usable && c.accepts(n));
  const outcomes = await Promise.all(taking.map((c) => c.send(n, signal)));
  return taking.length > 0 && outcomes.every((o) => o === 'delivered');
}

function chatChannel(c: ChannelContext, hook: NonNullable<CanarySettings['webhook']>): Channel {
  return {
    name: 'webhook',
    usable: true,
    accepts: () => true,
    async send(n, signal) {
      const r = await sendNotification(n, c.store, {
        webhookUrl: hook.url,
        format: hook.format,
        linkTtlMinutes: c.settings.linkTtlMinutes,
        storageLabel: c.store.description,
        webhook: { ...c.webhook, signal },
        secrets: c.secrets(),
        siteUrl: c.settings.reportsSiteUrl,
      });
      return logged(c.log, n, 'the webhook', r);
    },
  };
}

function pagerDutyChannel(c: ChannelContext, routingKey: string, url: string): Channel {
  return {
    name: 'pagerduty',
    usable: true,
    accepts: pagesFor,
    async send(n, signal) {
      const links = await notificationLinks(n, c.store, c.settings.linkTtlMinutes, c.settings.reportsSiteUrl);
      // the routing key joins the scrubbed notification only in the body posted to PagerDuty
      const outcomes: SendOutcome[] = [];
      for (const event of pagerDutyEvents(scrubValue(n, c.secrets()), routingKey, links)) {
        const r = await postJson(url, event, { ...c.webhook, signal });
        outcomes.push(logged(c.log, n, `PagerDuty (${event.event_action} ${event.dedup_key})`, r));
      }
      // a retry resends every event of the notification: PagerDuty folds a repeated trigger into the open alert
      return outcomes.includes('retry') ? 'retry' : outcomes.includes('rejected') ? 'rejected' : 'delivered';
    },
  };
}

function storeChannel(c: ChannelContext): Channel {
  return {
    name: 'store',
    usable: true,
    accepts: () => true,
    async send(n) {
      const path = notificationFilePath(n.createdAt, n.summary.target, n.kind);
      await c.store.put(
        path,
        JSON.stringify(scrubValue(renderPayload('teams', n, undefined, c.store.description), c.secrets()), null, 2),
        contentTypeFor(path),
      );
      c.log.info(`${n.kind} for ${n.summary.target} written to ${path} (no CANARY_WEBHOOK_URL set)`);
      return 'delivered';
    },
  };
}

/** A channel whose setting is unusable: it takes what it would take, and posts nothing (it never gets claims). */
function unusable(name: ChannelName, accepts: (n: Notification) => boolean): Channel {
  return { name, usable: false, accepts, send: async () => 'retry' };
}

/** The outcome of a post, logged by where it went (never a URL or key). */
function logged(log: LineLog, n: Notification, where: string, r: DeliveryResult): SendOutcome {
  const outcome = outcomeOf(r);
  if (r.delivered) log.info(`${n.kind} for ${n.summary.target} delivered to ${where} (${r.attempts} attempt(s))`);
  else
    log.warn(
      `${n.kind} for ${n.summary.target} not delivered to ${where} (${r.reason}, ` +
        `status ${r.status ?? 'none'}${r.error ? `, ${r.error}` : ''}, ${r.attempts} attempt(s)); ` +
        (outcome === 'rejected'
          ? 'the receiver refused it: it is retried a bounded number of times, then dropped'
          : 'it stays pending for the next run'),
    );
  return outcome;
}
