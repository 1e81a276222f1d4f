/**
 * The one factory from settings to the sinks a round publishes to (cloudprober's surfacer registry): artifacts,
 * index, verdicts (the alert state, a durable write), alerts (the targets', the round's digest — ./alerts/digest.ts —,
 * the watchdog's over the other regions, the mutes' end messages, in queue mode the poison queue's, all through the
 * same channels:
 * ./alerts/channels.ts), telemetry, dashboard. Adding a sink = one file plus one line here (and its
 * setting); a sink that owns a client makes it here too and releases it in its `close`, which the round calls.
 */
import type { CanarySettings } from '../config/settings.js';
import type { CataloguePrompt } from '../cost/projection.js';
import { verdictSpool } from '../store/verdictSpool.js';
import { alertSink, type AlertStats } from './alerts/alertSink.js';
import { createChannels, type Channel } from './alerts/channels.js';
import { roundDigest } from './alerts/digest.js';
import { muteSink } from './alerts/muteSink.js';
import { poisonSink } from './alerts/poisonSink.js';
import { verdictSink } from './alerts/verdictSink.js';
import { watchdogSink } from './alerts/watchdogSink.js';
import { artifactsSink, type DivertableStore } from './artifactsSink.js';
import { dashboardSink } from './dashboardSink.js';
import { indexSink } from './indexSink.js';
import type { LineLog } from '../log.js';
import type { ProbeQueue } from '../queue/probeQueue.js';
import type { RunSink } from './runSink.js';
import { settingsTelemetry, telemetrySink } from './telemetrySink.js';
import type { Telemetry } from './telemetry.js';

/** Everything {@link createSinks} needs besides the settings. */
export interface SinkInputs {
  store: DivertableStore;
  /** The app settings the sinks read besides CanarySettings (APPLICATIONINSIGHTS_AUTHENTICATION_STRING). */
  env?: Record<string, string | undefined>;
  /** Replaces the telemetry client the settings would make (tests). */
  telemetry?: Telemetry;
  log: LineLog;
  /** Replace the channels the settings would build (tests). */
  channels?: readonly Channel[];
  /** Secrets known to the round (scrubbed from payloads). */
  secrets?: () => readonly string[];
  /** The prompt catalogue (the dashboard's month projection). */
  catalog?: readonly CataloguePrompt[];
}

/** The round's sinks, in publishing order, and the alert counters the round reports. */
export function createSinks(settings: CanarySettings, inputs: SinkInputs): { sinks: RunSink[]; stats: AlertStats } {
  const stats: AlertStats = { delivered: 0, pending: 0 };
  const channels = inputs.channels ?? createChannels(settings, inputs.store, inputs.log, inputs.secrets);
  const digest = roundDigest(channels);
  const sinks: RunSink[] = [
    artifactsSink(inputs.store),
    indexSink(inputs.store),
    verdictSink({ store: inputs.store, rules: settings.alertRule, verdicts: verdictSpool(settings.spoolDir) }),
    alertSink({ store: inputs.store, channels: digest.channels, stats }),
    digest.sink,
    watchdogSink({ store: inputs.store, settings, channels, stats }),
    muteSink({ store: inputs.store, settings, channels, stats }),
    telemetrySink(inputs.telemetry ?? settingsTelemetry(settings, inputs.env ?? {}, inputs.log)),
    dashboardSink(inputs.store, { settings, catalog: inputs.catalog }),
  ];
  return { sinks, stats };
}

/**
 * Queue mode's planner, once a minute: the sinks whose end-of-round step the probers skip — the heartbeat and the
 * watchdog over the other regions, the mutes' end messages, the dashboard regenerated from the index — and the
 * check of `queue`'s poison queue, whose card only the planner sends.
 */
export function endOfRoundSinks(settings: CanarySettings, inputs: SinkInputs, queue?: ProbeQueue): RunSink[] {
  const stats: AlertStats = { delivered: 0, pending: 0 };
  const channels = inputs.channels ?? createChannels(settings, inputs.store, inputs.log, inputs.secrets);
  const q = settings.queue;
  return [
    roundDigest(channels).sink, // the planner feeds it the not-probed lines of a settled minute
    watchdogSink({ store: inputs.store, settings, channels, stats }),
    muteSink({ store: inputs.store, settings, channels, stats }),
    ...(queue && q
      ? [poisonSink({ store: inputs.store, queue, settings: { ...settings, queue: q }, channels, stats })]
      : []),
    dashboardSink(inputs.store, { settings, catalog: inputs.catalog }),
  ];
}
