/** The telemetry sink: one availability result and the run's metrics per target (./telemetry.ts), flushed at the end of the round. */
import type { RunSink } from './runSink.js';
import type { Telemetry } from './telemetry.js';
import { scrubValue } from './scrubValue.js';

export function telemetrySink(telemetry: Telemetry, budgetMs = 10_000): RunSink {
  return {
    name: 'telemetry',
    budgetMs,
    stage: 'notify',
    async onSummary(run) {
      telemetry.trackRun(scrubValue(run.summary, run.secrets));
    },
    async onRoundEnd() {
      await telemetry.flush();
    },
  };
}
