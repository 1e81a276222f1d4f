/**
 * The watchdog sink: at the end of every round it writes this region's heartbeat (`heartbeats/<region>.json`:
 * when the round ended, its schedule and the deadline after which the region counts as silent, the targets it
 * probed), then observes every other region's heartbeat and applies it to that region's watchdog state
 * (./watchdog.ts), delivering what that makes through the round's channels — so a dead region is noticed, once,
 * by a live one, and its recovery is announced once. A region nobody has ever found silent costs one read per
 * round; its state is written only while something is to be said.
 */
import type { CanarySettings } from '../../config/settings.js';
import { silenceDeadline } from '../../config/scheduleTimes.js';
import { SAFE_NAME } from '../../config/settingChecks.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { HEARTBEATS_PREFIX, heartbeatPath, WATCHDOG_PREFIX, watchdogStatePath } from '../../store/layout.js';
import type { RoundEnd, RunSink, SinkContext } from '../runSink.js';
import type { AlertStats } from './alertSink.js';
import { deliverPending, readStateOrSkip, updateState, type StateRef } from './alertStore.js';
import type { Channel } from './channels.js';
import { isSilent, observeRegion, WATCHDOG_TARGET, type Heartbeat, type WatchdogState } from './watchdog.js';

/** At most this many other regions are watched (heartbeats beyond it are ignored, with a warning). */
export const MAX_WATCHED_REGIONS = 50;

export interface WatchdogSinkOptions {
  store: ArtifactStore;
  settings: Pick<CanarySettings, 'region' | 'schedule' | 'alertRule'>;
  channels: readonly Channel[];
  stats: AlertStats;
  budgetMs?: number;
}

export function watchdogSink(o: WatchdogSinkOptions): RunSink {
  return {
    name: 'watchdog',
    budgetMs: o.budgetMs ?? 45_000,
    stage: 'notify',
    async onRoundEnd(end, ctx) {
      await writeHeartbeat(o, end, ctx);
      await watchOtherRegions(o, end, ctx);
    },
  };
}

/** This region's heartbeat; an older round that ends after a newer one never replaces the newer heartbeat. */
async function writeHeartbeat(o: WatchdogSinkOptions, end: RoundEnd, ctx: SinkContext): Promise<void> {
  const at = ctx.now();
  const deadline = silenceDeadline(o.settings.schedule, ctx.roundStartedAt, at);
  if (!deadline) {
    ctx.log.warn(`watchdog: CANARY_SCHEDULE "${o.settings.schedule}" never fires again; no heartbeat written`);
    return;
  }
  const hb: Heartbeat = {
    version: 1,
    region: o.settings.region,
    at: at.toISOString(),
    roundId: end.runId,
    roundStartedAt: ctx.roundStartedAt.toISOString(),
    schedule: o.settings.schedule,
    ...deadline,
    targets: [...new Set(end.summaries.map((s) => s.target))],
  };
  await o.store.updateJson<Heartbeat>(heartbeatPath(hb.region), (current) =>
    current && Date.parse(current.at) > Date.parse(hb.at) ? current : hb,
  );
}

/** The other regions to observe: each one's heartbeat, and regions with an alert state but no heartbeat (retired). */
async function otherRegions(o: WatchdogSinkOptions, ctx: SinkContext): Promise<Map<string, Heartbeat | undefined>> {
  const own = heartbeatPath(o.settings.region).slice(HEARTBEATS_PREFIX.length);
  const beats = (await o.store.list(HEARTBEATS_PREFIX)).filter((p) => p.slice(HEARTBEATS_PREFIX.length) !== own);
  if (beats.length > MAX_WATCHED_REGIONS)
    ctx.log.warn(
      `watchdog: ${beats.length} other regions have a heartbeat; only the first ${MAX_WATCHED_REGIONS} are watched`,
    );
  const regions = new Map<string, Heartbeat | undefined>();
  for (const path of beats.slice(0, MAX_WATCHED_REGIONS)) {
    const hb = await readStateOrSkip<Heartbeat>(o.store, path);
    if (
      hb &&
      typeof hb.region === 'string' &&
      SAFE_NAME.test(hb.region) && // a region name, never a line break into a card title
      !Number.isNaN(Date.parse(hb.at)) &&
      !Number.isNaN(Date.parse(hb.silentAfter))
    )
      regions.set(hb.region, hb);
    else if (hb) ctx.log.warn(`watchdog: ${path} is not a heartbeat; skipped`);
  }
  const beating = new Set(beats.map((p) => p.slice(HEARTBEATS_PREFIX.length)));
  for (const path of await o.store.list(WATCHDOG_PREFIX)) {
    if (beating.has(path.slice(WATCHDOG_PREFIX.length)) || path.includes('.corrupt-') || path.endsWith(`/${own}`))
      continue;
    const state = await readStateOrSkip<WatchdogState>(o.store, path);
    if (state?.open && state.region !== o.settings.region && SAFE_NAME.test(state.region))
      regions.set(state.region, undefined);
  }
  return regions;
}

async function watchOtherRegions(o: WatchdogSinkOptions, end: RoundEnd, ctx: SinkContext): Promise<void> {
  const now = ctx.now();
  const observer = { region: o.settings.region, roundId: end.runId };
  for (const [region, hb] of await otherRegions(o, ctx)) {
    const ref: StateRef = { region, target: WATCHDOG_TARGET, path: watchdogStatePath(region) };
    const prev = await readStateOrSkip<WatchdogState>(o.store, ref.path);
    const silent = hb !== undefined && isSilent(hb, now);
    // nothing to say: no alert about it, none to deliver, and it is alive
    if (!silent && hb !== undefined && !prev?.open && !prev?.pending?.length) continue;
    const state = await updateState<WatchdogState>(o.store, ref, now, ctx.log, (current) => {
      const step = observeRegion(current, region, hb, observer, now, o.settings.alertRule.reminderHours);
      return step.state;
    });
    if (state.open && !prev?.open) ctx.log.warn(`watchdog: ${state.open.headline ?? `${region} is silent`}`);
    if (!state.pending.length) continue;
    const r = await deliverPending(o.store, ref, o.channels, ctx.now, { signal: ctx.signal, log: ctx.log });
    o.stats.delivered += r.delivered.length;
    o.stats.pending += r.pending.length;
  }
}
