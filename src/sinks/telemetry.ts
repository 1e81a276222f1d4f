/**
 * Application Insights telemetry per target and run: one availability result (`name` = target, `runLocation`
 * = region, success = verdict pass, duration, message = headline), so availability views and Azure Monitor
 * alert rules work, plus metrics `timeToFirstAudioMs`, `longestGapMs` and `failingTurns`.
 *
 * Uses the `applicationinsights` 3.x TelemetryClient in isolated mode (`useGlobalProviders: false`: its own
 * OpenTelemetry providers, no global instrumentation of our HTTP or WebSocket traffic), loaded lazily only
 * when a connection string is configured; without one everything is a no-op. Entra-only ingestion: pass a
 * credential, or set `APPLICATIONINSIGHTS_AUTHENTICATION_STRING=Authorization=AAD;ClientId=<id>` — it becomes
 * the client's `config.aadTokenCredential` (→ the Azure Monitor exporter's `credential`). Call `flush()`
 * before the Functions invocation returns.
 */
import type { TokenCredential } from '@azure/identity';
import { credentialFromAuthenticationString } from '../azure/credential.js';
import type { RunSummary } from '../runSummary.js';

/** What the round uses; tests substitute their own. */
export interface Telemetry {
  /** Records one target's run. Never throws. */
  trackRun(summary: RunSummary): void;
  /** Sends everything recorded so far. Never throws. */
  flush(): Promise<void>;
  /** Flushes and releases the exporters (timers, sockets). */
  close(): Promise<void>;
}

/** The TelemetryClient methods used (structurally what `applicationinsights` 3.x provides). */
export interface AvailabilityClient {
  trackAvailability(t: {
    id: string;
    name: string;
    duration: number;
    success: boolean;
    runLocation: string;
    message: string;
    time?: Date;
    properties?: Record<string, string>;
    measurements?: Record<string, number>;
  }): void;
  trackMetric(t: { name: string; value: number; properties?: Record<string, string> }): void;
  flush(): Promise<void>;
  shutdown?(): Promise<void>;
}

/** Inputs of {@link createTelemetry} (the app settings, or an explicit credential). */
export interface TelemetrySettings {
  /** APPLICATIONINSIGHTS_CONNECTION_STRING; without it telemetry is off. */
  connectionString?: string;
  /** APPLICATIONINSIGHTS_AUTHENTICATION_STRING (`Authorization=AAD;ClientId=…`). */
  authenticationString?: string;
  /** An explicit Entra credential for ingestion; wins over `authenticationString`. */
  credential?: TokenCredential;
  /** Keep unsent telemetry on disk and retry later (the SDK's offline storage; default true). */
  diskRetry?: boolean;
  /** Diagnostics for telemetry's own failures (never throws into the round). */
  onError?: (error: unknown) => void;
}

/** Telemetry that records nothing. */
export const noTelemetry: Telemetry = {
  trackRun: () => undefined,
  flush: async () => undefined,
  close: async () => undefined,
};

/** The metrics sent per run, by name. */
export function runMetrics(s: RunSummary): Record<string, number> {
  const m: Record<string, number> = { failingTurns: s.failingTurns, longestGapMs: s.longestGapMs };
  if (s.timeToFirstAudioMs !== undefined) m.timeToFirstAudioMs = s.timeToFirstAudioMs;
  if (s.costUsd !== undefined) m.costUsd = s.costUsd;
  return m;
}

/** Adapts a client to {@link Telemetry}: the mapping from RunSummary to availability and metrics. */
export function telemetryFromClient(
  client: AvailabilityClient,
  onError: (error: unknown) => void = () => undefined,
): Telemetry {
  return {
    trackRun(s) {
      try {
        const dims = {
          target: s.target,
          region: s.region,
          deployment: s.deployment ?? '',
          flavour: s.flavour,
          verdict: s.verdict,
        };
        const measurements: Record<string, number> = { ...runMetrics(s), turns: s.turns };
        if (s.coverage !== undefined) measurements.coverage = s.coverage;
        client.trackAvailability({
          id: `${s.runId}/${s.region}/${s.target}`,
          name: s.target,
          duration: Math.max(0, s.durationMs),
          success: s.verdict === 'pass',
          runLocation: s.region,
          message: (s.headline ?? (s.verdict === 'pass' ? 'pass' : `${s.verdict}: ${s.findingCodes.join(', ')}`)).slice(
            0,
            1000,
          ),
          time: new Date(s.startedAt),
          properties: {
            ...dims,
            runId: s.runId,
            host: s.host,
            group: s.group ?? '',
            findingCodes: s.findingCodes.join(','),
            sessionId: s.sessionId ?? '',
            reportPath: s.reportPath,
          },
          measurements,
        });
        for (const [name, value] of Object.entries(runMetrics(s)))
          client.trackMetric({ name, value, properties: dims });
      } catch (error) {
        onError(error);
      }
    },
    async flush() {
      await client.flush().catch(onError);
    },
    async close() {
      await client.flush().catch(onError);
      await client.shutdown?.().catch(onError);
    },
  };
}

/**
 * Telemetry from settings: a no-op without a connection string, else an isolated App Insights client.
 * Create it once per process (lazily, on the first invocation) and reuse it; `flush()` at the end of each
 * invocation, `close()` only when the process ends (or in tests).
 */
export async function createTelemetry(settings: TelemetrySettings): Promise<Telemetry> {
  if (!settings.connectionString) return noTelemetry;
  const onError = settings.onError ?? (() => undefined);
  const { TelemetryClient } = await import('applicationinsights');
  const client = new TelemetryClient(settings.connectionString, { useGlobalProviders: false });
  const credential = settings.credential ?? credentialFromAuthenticationString(settings.authenticationString);
  if (credential) client.config.aadTokenCredential = credential;
  client.config.enableAutoCollectPerformance = false;
  client.config.enableAutoCollectPreAggregatedMetrics = false;
  if (settings.diskRetry === false) client.config.enableUseDiskRetryCaching = false;
  return telemetryFromClient(client, onError);
}
