/**
 * The one factory from settings to the sinks a round publishes to (cloudprober's surfacer registry): artifacts,
 * index, alerts, telemetry, dashboard. Adding a sink = one file plus one line here (and its setting); a sink that
 * owns a client makes it here too and releases it in its `close`, which the round calls.
 */
import type { CanarySettings } from '../config/settings.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { contentTypeFor, notificationFilePath } from '../store/layout.js';
import { verdictSpool } from '../store/verdictSpool.js';
import type { SendOutcome } from './alerts/alertDelivery.js';
import type { Notification } from './alerts/alertState.js';
import { alertSink, type AlertStats } from './alerts/alertSink.js';
import { artifactsSink, type DivertableStore } from './artifactsSink.js';
import { dashboardSink } from './dashboardSink.js';
import { indexSink } from './indexSink.js';
import { outcomeOf, renderPayload, sendNotification } from './alerts/notify.js';
import type { LineLog } from '../log.js';
import type { RunSink } from './runSink.js';
import { scrubValue } from '../realtime/scrubValue.js';
import { settingsTelemetry, telemetrySink } from './telemetrySink.js';
import type { Telemetry } from './telemetry.js';
import type { WebhookOptions } from './alerts/webhook.js';

/** Webhook timing inside the alert sink's budget: a receiver that never answers costs ≤ 25 s per notification. */
export const ROUND_WEBHOOK: WebhookOptions = {
  attempts: 3,
  attemptTimeoutMs: 10_000,
  totalTimeoutMs: 25_000,
  maxRetryAfterMs: 10_000,
};

/** Delivers one notification; stops retrying once `signal` is aborted (the alert budget is spent). */
export type Notifier = (n: Notification, signal?: AbortSignal) => Promise<SendOutcome | boolean>;

/**
 * Where notifications go: the webhook, or (no webhook configured) `alerts/<time>-<target>-<kind>.json` in the
 * store. `undefined` when a webhook is configured but its setting is invalid: delivery is disabled (loudly, at
 * the start of each round) and notifications stay pending.
 */
export function createNotifier(
  settings: CanarySettings,
  store: ArtifactStore,
  log: LineLog,
  secrets: () => readonly string[] = () => [],
  webhook: WebhookOptions = ROUND_WEBHOOK,
): Notifier | undefined {
  const hook = settings.webhook;
  if (!hook) {
    if (settings.problems?.some((p) => p.field === 'CANARY_WEBHOOK_URL')) return undefined;
    return async (n) => {
      const path = notificationFilePath(n.createdAt, n.summary.target, n.kind);
      await store.put(
        path,
        JSON.stringify(scrubValue(renderPayload('teams', n, undefined, store.description), secrets()), null, 2),
        contentTypeFor(path),
      );
      log.info(`${n.kind} for ${n.summary.target} written to ${path} (no CANARY_WEBHOOK_URL set)`);
      return 'delivered';
    };
  }
  return async (n, signal) => {
    const r = await sendNotification(n, store, {
      webhookUrl: hook.url,
      format: hook.format,
      linkTtlMinutes: settings.linkTtlMinutes,
      storageLabel: store.description,
      webhook: { ...webhook, signal },
      secrets: secrets(),
      siteUrl: settings.reportsSiteUrl,
    });
    const outcome = outcomeOf(r);
    if (r.delivered) log.info(`${n.kind} for ${n.summary.target} delivered to the webhook (${r.attempts} attempt(s))`);
    else
      log.warn(
        `${n.kind} for ${n.summary.target} not delivered (${r.reason}, ` +
          `status ${r.status ?? 'none'}${r.error ? `, ${r.error}` : ''}, ${r.attempts} attempt(s)); ` +
          (outcome === 'rejected'
            ? 'the receiver refused it: it is retried a bounded number of times, then dropped'
            : 'it stays pending for the next run'),
      );
    return outcome;
  };
}

/** Everything {@link createSinks} needs besides the settings. */
export interface SinkInputs {
  store: DivertableStore;
  /** The app settings the sinks read besides CanarySettings (APPLICATIONINSIGHTS_AUTHENTICATION_STRING). */
  env?: Record<string, string | undefined>;
  /** Replaces the telemetry client the settings would make (tests). */
  telemetry?: Telemetry;
  log: LineLog;
  /** Replaces the notifier the settings would build (tests, the demo). */
  notify?: Notifier;
  /** Secrets known to the round (scrubbed from payloads). */
  secrets?: () => readonly string[];
}

/** The round's sinks, in publishing order, and the alert counters the round reports. */
export function createSinks(settings: CanarySettings, inputs: SinkInputs): { sinks: RunSink[]; stats: AlertStats } {
  const stats: AlertStats = { delivered: 0, pending: 0 };
  const send = inputs.notify ?? createNotifier(settings, inputs.store, inputs.log, inputs.secrets);
  const sinks: RunSink[] = [
    artifactsSink(inputs.store),
    indexSink(inputs.store),
    alertSink({
      store: inputs.store,
      rules: settings.alertRule,
      verdicts: verdictSpool(settings.spoolDir),
      send,
      stats,
    }),
    telemetrySink(inputs.telemetry ?? settingsTelemetry(settings, inputs.env ?? {}, inputs.log)),
    dashboardSink(inputs.store),
  ];
  return { sinks, stats };
}
