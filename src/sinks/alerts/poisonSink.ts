/**
 * Queue mode's poison-queue check (issue 22 §2), one of the planner's end-of-round sinks, so it runs once a minute
 * under the planner's lease: it reads the poison queue's approximate length (at most {@link POISON_CHECK_MS}),
 * applies it to the region's poison state (`poison/<region>.json`, ETag-guarded: ./poison.ts) and delivers what
 * that makes through the same channels as every card, exactly once per channel (claims, ./alertStore.ts). A count
 * that cannot be read is one warning line and changes nothing: the card says only what was counted. A region whose
 * poison queue has never held a message costs one queue read and one blob read a minute; its state is written only
 * while something is to be said.
 */
import type { CanarySettings } from '../../config/settings.js';
import { withDeadline } from '../../deadline.js';
import { poisonQueueName, type ProbeQueue } from '../../queue/probeQueue.js';
import { poisonStatePath } from '../../store/layout.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { errorText } from '../fanOut.js';
import type { RoundEnd, RunSink, SinkContext } from '../runSink.js';
import type { AlertStats } from './alertSink.js';
import { deliverPending, readStateOrSkip, updateState, type StateRef } from './alertStore.js';
import type { Channel } from './channels.js';
import { observePoison, POISON_TARGET, type PoisonState } from './poison.js';

/** Reading the poison queue's length ends within this (the SDK's retries included). */
export const POISON_CHECK_MS = 5_000;

export interface PoisonSinkOptions {
  store: ArtifactStore;
  queue: Pick<ProbeQueue, 'poisonLength'>;
  settings: Pick<CanarySettings, 'region' | 'alertRule'> & { queue: NonNullable<CanarySettings['queue']> };
  channels: readonly Channel[];
  stats: AlertStats;
  budgetMs?: number;
}

export function poisonSink(o: PoisonSinkOptions): RunSink {
  return {
    name: 'poison',
    budgetMs: o.budgetMs ?? 30_000,
    stage: 'notify',
    onRoundEnd: (end, ctx) => checkPoison(o, end, ctx),
  };
}

async function checkPoison(o: PoisonSinkOptions, end: RoundEnd, ctx: SinkContext): Promise<void> {
  const { region } = o.settings;
  const queue = poisonQueueName(o.settings.queue.name);
  const count = await withDeadline(
    `reading the length of ${queue}`,
    POISON_CHECK_MS,
    (signal) => o.queue.poisonLength(signal),
    ctx.signal,
  ).catch((err: unknown) => {
    ctx.log.warn(
      `poison check ${region}: the length of ${queue} could not be read (${errorText(err)}); its alert is ` +
        'unchanged this minute — check CANARY_QUEUE',
    );
    return undefined;
  });
  if (count === undefined) return;
  const ref: StateRef = { region, target: POISON_TARGET, path: poisonStatePath(region) };
  const prev = await readStateOrSkip<PoisonState>(o.store, ref.path);
  // nothing to say: no messages, no alert open, nothing left to deliver
  if (count === 0 && !prev?.open && !prev?.pending?.length) return;
  const now = ctx.now();
  const observer = { region, queue, runId: end.runId };
  const state = await updateState<PoisonState>(
    o.store,
    ref,
    now,
    ctx.log,
    (current) => observePoison(current, count, observer, now, o.settings.alertRule.reminderHours).state,
  );
  if (state.open && !prev?.open) ctx.log.warn(`poison check ${region}: ${state.open.headline ?? queue}`);
  if (!state.pending.length) return;
  const r = await deliverPending(o.store, ref, o.channels, ctx.now, { signal: ctx.signal, log: ctx.log });
  o.stats.delivered += r.delivered.length;
  o.stats.pending += r.pending.length;
}
