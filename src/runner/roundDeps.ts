/**
 * Builds a round's dependencies from the settings: the artifact store (Blob Storage with managed identity,
 * Azurite by connection string, or a local folder) behind a spool, the notifier (webhook, or files next to
 * the reports when no webhook is configured), telemetry and the credential for Entra targets.
 */
import type { TokenCredential } from '@azure/identity';
import type { CanarySettings } from '../config/settings.js';
import type { Notification } from '../sinks/alertState.js';
import { azureCredential } from '../sinks/azureCredential.js';
import { openStore, type StoreSettings } from '../sinks/openStore.js';
import { renderPayload, sendNotification } from '../sinks/notify.js';
import type { SpoolingStore } from '../sinks/spool.js';
import { createTelemetry, type Telemetry } from '../sinks/telemetry.js';
import type { ArtifactStore } from '../sinks/artifactStore.js';
import type { RoundDeps, RoundLog } from './round.js';
import { renderRunHtml } from '../report/runHtml.js';
import { writeDashboard } from '../report/fleetData.js';

export function createStore(settings: CanarySettings, log: RoundLog): SpoolingStore {
  const s = settings.storage;
  const spoolDir = settings.spoolDir;
  const stored: StoreSettings =
    s.kind === 'local' ? { kind: 'local', dir: s.dir, spoolDir }
    : s.kind === 'connection-string' ? { kind: 'blob-connection-string', connectionString: s.connectionString, container: s.container, spoolDir }
    : { kind: 'blob-entra', accountUrl: s.accountUrl, credential: azureCredential(s.clientId), container: s.container, spoolDir };
  return openStore(stored, {
    linkScope: settings.linkScope,
    log: (e) => (e.event === 'uploaded' ? log.info(`spool: uploaded ${e.path}`) : log.warn(`spool: ${e.event} ${e.path}${'reason' in e ? ` (${e.reason})` : ''}`)),
  });
}

/** Where notifications go: the webhook, or (no webhook configured) `alerts/<time>-<target>-<kind>.json` in the store. */
/** `siteUrl`: the function app's reports site (src/sinks/cardLinks.ts reportsSiteUrl), for links that do not expire. */
export function createNotifier(settings: CanarySettings, store: ArtifactStore, log: RoundLog, siteUrl?: string): (n: Notification) => Promise<boolean> {
  const hook = settings.webhook;
  if (!hook) {
    return async (n) => {
      const path = `alerts/${n.createdAt.replace(/[:.]/g, '-')}-${n.summary.target}-${n.kind}.json`;
      await store.put(path, JSON.stringify(renderPayload('teams', n, undefined, store.description), null, 2), 'application/json');
      log.info(`${n.kind} for ${n.summary.target} written to ${path} (no CANARY_WEBHOOK_URL set)`);
      return true;
    };
  }
  return async (n) => {
    const r = await sendNotification(n, store, { webhookUrl: hook.url, format: hook.format, linkTtlMinutes: settings.linkTtlMinutes, storageLabel: store.description, siteUrl });
    if (r.delivered) log.info(`${n.kind} for ${n.summary.target} delivered to the webhook (${r.attempts} attempt(s))`);
    else log.warn(`${n.kind} for ${n.summary.target} not delivered (${r.reason}, status ${r.status ?? 'none'}${r.error ? `, ${r.error}` : ''}, ${r.attempts} attempt(s)); it stays pending for the next run`);
    return r.delivered;
  };
}

/** The report page and the fleet dashboard: report.html for each run, index.html regenerated after each round. */
export function reportRendering(store: ArtifactStore, now: () => Date = () => new Date()): Pick<RoundDeps, 'renderReportHtml' | 'afterRound'> {
  return {
    renderReportHtml: (report, trace) => renderRunHtml(report, trace),
    afterRound: async () => {
      await writeDashboard(store, now());
    },
  };
}

export async function createRoundTelemetry(settings: CanarySettings, env: Record<string, string | undefined>, log: RoundLog): Promise<Telemetry> {
  return createTelemetry({
    connectionString: settings.appInsightsConnectionString,
    authenticationString: env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
    onError: (err: unknown) => log.warn(`telemetry: ${err instanceof Error ? err.message : String(err)}`),
  });
}

export function entraCredential(settings: CanarySettings): () => TokenCredential {
  let cached: TokenCredential | undefined;
  return () => (cached ??= azureCredential(settings.storage.kind === 'account-url' ? settings.storage.clientId : undefined));
}
