/**
 * Queue mode's planner handler (issue 22 §2): the timer, once a minute → settings → ../runner/planner.ts, which
 * enqueues the probes due in the coming minute under the region's blob lease and runs the minute's end-of-round
 * step (with the poison queue's check: ../sinks/alerts/poisonSink.ts). Queue mode needs Blob Storage (the lease, and a store every prober instance shares): a local folder is a
 * configuration error naming CANARY_MODE. No registration side effect here (see ../functions/canaryPlanner.ts).
 */
import type { InvocationContext, Timer } from '@azure/functions';
import type { CanarySettings } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import { openProbeQueue, type ProbeQueue } from '../queue/probeQueue.js';
import { runPlanner, PLANNER_DEADLINE_MS, type PlannerResult } from '../runner/planner.js';
import { createStore } from '../runner/roundDeps.js';
import { endOfRoundSinks } from '../sinks/createSinks.js';
import type { Channel } from '../sinks/alerts/channels.js';
import { blobLease, type BlobLease } from '../store/blobLease.js';
import type { BlobSettings } from '../store/storageSettings.js';
import type { QueueSettings } from '../config/queueSettings.js';
import { plannerLeasePath } from '../store/layout.js';
import { loadCatalog } from '../prompts/catalog.js';
import { configuredTargets } from './canaryRound.js';
import { startHandler } from './handlerStart.js';

type Env = Record<string, string | undefined>;

/** Test hooks: anything given here replaces what the settings would build. */
export interface PlannerOverrides {
  clock?: () => number;
  queue?: ProbeQueue;
  lease?: BlobLease;
  channels?: readonly Channel[];
}

export function makePlannerHandler(env: () => Env = () => process.env, overrides: PlannerOverrides = {}) {
  return async function canaryPlannerHandler(timer: Timer, context: InvocationContext): Promise<PlannerResult> {
    const currentEnv = env();
    const start = startHandler(currentEnv, context);
    const { log } = start;
    if (timer.isPastDue) log.warn('the planner timer is running late (isPastDue); planning from now');
    const { settings, more: parts } = start.load(queueParts);
    const hard = new AbortController();
    const timerId = setTimeout(() => hard.abort(), PLANNER_DEADLINE_MS + 5_000);
    timerId.unref();
    const store = createStore(settings, log, { signal: hard.signal, operationTimeoutMs: settings.storageTimeoutMs });
    const catalog = loadCatalog();
    const queue = overrides.queue ?? openProbeQueue(parts.queue);
    const sinks = endOfRoundSinks(
      settings,
      { store, env: currentEnv, log, channels: overrides.channels, secrets: start.secrets, catalog },
      queue,
    );
    try {
      const targets = await configuredTargets(settings, store, currentEnv);
      return await runPlanner(settings, targets, {
        store,
        queue,
        lease: overrides.lease ?? blobLease(parts.storage, plannerLeasePath(settings.region)),
        log,
        sinks,
        invocationId: context.invocationId,
        clock: overrides.clock,
      });
    } catch (err) {
      throw start.scrub(err);
    } finally {
      clearTimeout(timerId);
    }
  };
}

interface QueueParts {
  queue: QueueSettings;
  storage: BlobSettings;
}

/** The queue and the Blob Storage queue mode needs; a configuration error naming CANARY_MODE without them. */
function queueParts(settings: CanarySettings): QueueParts {
  if (settings.mode !== 'queue' || !settings.queue)
    throw new ConfigError('CANARY_MODE', 'is not "queue": the planner runs only in queue mode');
  if (settings.storage.kind === 'local')
    throw new ConfigError(
      'CANARY_MODE',
      '"queue" needs Blob Storage (CANARY_STORAGE_ACCOUNT_URL, or CANARY_STORAGE_CONNECTION_STRING for Azurite): ' +
        "the planner's lease and the index every prober instance writes live there, not in CANARY_OUTPUT_DIR",
    );
  return { queue: settings.queue, storage: settings.storage };
}

/** The handler the Functions host calls (reads process.env). */
export const canaryPlanner = makePlannerHandler();
