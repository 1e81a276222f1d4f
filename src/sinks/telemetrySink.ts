/**
 * The telemetry sink: one availability result and the run's metrics per target (./telemetry.ts), flushed at the
 * end of the round. It owns its client — made from the settings unless one is given — and closes it with the round.
 */
import type { CanarySettings } from '../config/settings.js';
import type { LineLog } from '../log.js';
import type { RunSink } from './runSink.js';
import { createTelemetry, noTelemetry, type Telemetry } from './telemetry.js';
import { scrubValue } from '../realtime/scrubValue.js';

type Env = Record<string, string | undefined>;

export function telemetrySink(telemetry: Telemetry | Promise<Telemetry>, budgetMs = 10_000): RunSink {
  return {
    name: 'telemetry',
    budgetMs,
    stage: 'notify',
    async onSummary(run) {
      (await telemetry).trackRun(scrubValue(run.summary, run.secrets));
    },
    async onRoundEnd() {
      await (await telemetry).flush();
    },
    async close() {
      await (await telemetry).close();
    },
  };
}

/**
 * The round's Application Insights client from the settings (a no-op without a connection string); its failures,
 * and a client that cannot be made, only warn.
 */
export function settingsTelemetry(
  settings: Pick<CanarySettings, 'appInsightsConnectionString'>,
  env: Env,
  log: LineLog,
): Promise<Telemetry> {
  const warn = (err: unknown): void => log.warn(`telemetry: ${err instanceof Error ? err.message : String(err)}`);
  const made = createTelemetry({
    connectionString: settings.appInsightsConnectionString,
    authenticationString: env.APPLICATIONINSIGHTS_AUTHENTICATION_STRING,
    onError: warn,
  });
  return made.catch((err: unknown): Telemetry => (warn(err), noTelemetry));
}
