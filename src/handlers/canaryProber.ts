/**
 * Queue mode's prober handler (issue 22 §2): one message of the probe queue → settings → the composition a round
 * uses (../runner/createRound.ts) → ../runner/prober.ts, which probes and publishes through the round's own path.
 * It returns normally for every outcome the canary can record — a failing service, a stale message (dropped, with
 * a log line), a target held back by the budget or a quota — so the message completes; it throws only for the
 * canary's own faults (a message it cannot read, settings it cannot load, a run it could not record anywhere), so
 * the host retries (`maxDequeueCount` in host.json) and then moves the message to the poison queue, which alerts.
 * No registration side effect here (see ../functions/canaryProber.ts).
 */
import type { InvocationContext } from '@azure/functions';
import { readProbeMessage } from '../queue/probeMessage.js';
import { composeRound } from '../runner/createRound.js';
import { runProbeMessage, type ProberDeps, type ProberOutcome } from '../runner/prober.js';
import { configuredTargets, type HandlerOverrides } from './canaryRound.js';
import { startHandler } from './handlerStart.js';

type Env = Record<string, string | undefined>;

/** Test hooks: anything given here replaces what the settings would build (quota, clock, baseline wait too). */
export type ProberOverrides = HandlerOverrides & Pick<ProberDeps, 'quota' | 'clock' | 'baselineWaitMs'>;

export function makeProberHandler(env: () => Env = () => process.env, overrides: ProberOverrides = {}) {
  return async function canaryProberHandler(entry: unknown, context: InvocationContext): Promise<ProberOutcome> {
    const currentEnv = env();
    const start = startHandler(currentEnv, context);
    const { log } = start;
    let message;
    try {
      message = readProbeMessage(entry);
    } catch (err) {
      log.error(`unreadable probe message: ${(err as Error).message}`);
      throw err;
    }
    const dequeueCount = Number(context.triggerMetadata?.dequeueCount ?? 1);
    if (dequeueCount > 1) log.warn(`${message.target}: attempt ${dequeueCount} of this message (an earlier one ended)`);
    const { settings } = start.load();
    const { deps, close } = composeRound(settings, currentEnv, { ...overrides, log });
    try {
      const targets = await configuredTargets(settings, deps.store, currentEnv);
      return await runProbeMessage(settings, targets, message, { ...deps, ...pick(overrides) });
    } catch (err) {
      throw start.scrub(err);
    } finally {
      close();
    }
  };
}

function pick(o: ProberOverrides): Pick<ProberDeps, 'quota' | 'clock' | 'baselineWaitMs'> {
  return { quota: o.quota, clock: o.clock, baselineWaitMs: o.baselineWaitMs };
}

/** The handler the Functions host calls (reads process.env). */
export const canaryProber = makeProberHandler();
