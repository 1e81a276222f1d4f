/**
 * The end of a mute, announced once across all regions and overlapping rounds: every round marks each mute that
 * is on as seen (`mutes/<mute>.json`); the first round after a seen mute's end reads every region's alert state of
 * the mute's targets and queues one `mute` notification in the mute's state — what is still failing (with when
 * it opened and why), how many notifications were held — which is then delivered through the round's channels
 * with the usual claims and retries. A mute that ended before any round saw it on is not announced: nothing was
 * held. Each round's group membership comes from its own targets (the regions share the targets setting).
 */
import { muteScope, type Mute } from '../../config/mute.js';
import type { CanarySettings } from '../../config/settings.js';
import type { ArtifactStore } from '../../store/artifactStore.js';
import { ALERT_STATE_PREFIX, muteStatePath } from '../../store/layout.js';
import type { RoundEnd, RunSink, SinkContext } from '../runSink.js';
import type { AlertStats } from './alertSink.js';
import type { AlertState, Notification } from './alertState.js';
import { deliverPending, readStateOrSkip, updateState, type StateRef } from './alertStore.js';
import type { Channel } from './channels.js';
import { activeMute, muteKey, type MuteEnd, type StillFailing } from './mute.js';
import { muteEndNotice, noticeSummary } from './notices.js';

/** A mute's state: an AlertState (for its one notification's delivery) plus when it was seen on and announced. */
export interface MuteState extends AlertState {
  mute: Mute;
  seenOnAt: string;
  endAnnouncedAt?: string;
}

/** At most this many alert states are read for one mute's end. */
const MAX_STATES = 500;

export interface MuteSinkOptions {
  store: ArtifactStore;
  settings: Pick<CanarySettings, 'region' | 'mutes'>;
  channels: readonly Channel[];
  stats: AlertStats;
  budgetMs?: number;
}

export function muteSink(o: MuteSinkOptions): RunSink {
  return {
    name: 'mutes',
    budgetMs: o.budgetMs ?? 30_000,
    stage: 'notify',
    async onRoundEnd(end, ctx) {
      for (const m of o.settings.mutes) await step(o, m, end, ctx);
    },
  };
}

async function step(o: MuteSinkOptions, m: Mute, end: RoundEnd, ctx: SinkContext): Promise<void> {
  const now = ctx.now();
  const ref: StateRef = { region: o.settings.region, target: m.target ?? m.group!, path: muteStatePath(muteKey(m)) };
  const stored = await readStateOrSkip<MuteState>(o.store, ref.path);
  if (Date.parse(m.until) > now.getTime()) {
    if (!stored)
      await updateState<MuteState>(o.store, ref, now, ctx.log, (current) =>
        current?.seenOnAt ? current : { ...emptyMuteState(ref, m, now), ...current },
      );
    return;
  }
  if (!stored?.seenOnAt) return; // never on while a round ran: nothing was held
  if (!stored.endAnnouncedAt) {
    const notification = endNotification(m, await muteEnd(o, m, end, now), o.settings.region, end.runId, now);
    await updateState<MuteState>(o.store, ref, now, ctx.log, (current) => {
      const base = current ?? emptyMuteState(ref, m, now);
      if (base.endAnnouncedAt) return base;
      return { ...base, endAnnouncedAt: now.toISOString(), pending: [...base.pending, notification] };
    });
    ctx.log.info(`mute of ${muteScope(m)} ended: ${notification.notice!.title}`);
  } else if (!stored.pending?.length) return;
  const r = await deliverPending(o.store, ref, o.channels, ctx.now, { signal: ctx.signal, log: ctx.log });
  o.stats.delivered += r.delivered.length;
  o.stats.pending += r.pending.length;
}

/** What the end message says: the mute's targets in every region, still failing or still muted, and what was held. */
async function muteEnd(o: MuteSinkOptions, m: Mute, end: RoundEnd, now: Date): Promise<MuteEnd> {
  const groupOf = new Map(end.summaries.map((s) => [s.target, s.group]));
  const covered = (target: string): boolean =>
    m.target !== undefined ? target === m.target : groupOf.get(target) === m.group;
  const scope = muteScope(m);
  const result: MuteEnd = {
    scope,
    until: m.until,
    ...(m.reason ? { reason: m.reason } : {}),
    held: 0,
    stillFailing: [],
    stillMuted: [],
  };
  const paths = (await o.store.list(ALERT_STATE_PREFIX)).filter((p) => !p.includes('.corrupt-')).slice(0, MAX_STATES);
  for (const path of paths) {
    const state = await readStateOrSkip<AlertState>(o.store, path);
    if (!state || typeof state.target !== 'string' || !covered(state.target)) continue;
    result.held += (state.muted ?? []).filter((x) => x.scope === scope && x.until === m.until).length;
    if (!state.open) continue;
    const other = activeMute(o.settings.mutes, { name: state.target, group: groupOf.get(state.target) }, now);
    if (other) {
      result.stillMuted.push(`${state.target} @ ${state.region} (${muteScope(other)})`);
      continue;
    }
    const heldAlert = (state.muted ?? []).find((x) => x.openingRunId === state.open!.runId);
    const failing: StillFailing = {
      target: state.target,
      region: state.region,
      openedAt: state.open.openedAt,
      ...(state.open.headline ? { headline: state.open.headline } : {}),
      failureClass: state.open.failureClass,
      category: heldAlert?.category ?? 'incident',
    };
    result.stillFailing.push(failing);
  }
  return result;
}

function endNotification(m: Mute, details: MuteEnd, region: string, roundId: string, now: Date): Notification {
  const at = now.toISOString();
  const notice = muteEndNotice(details);
  const target = m.target ?? m.group!;
  return {
    id: `mute:${muteKey(m)}`,
    kind: 'alert',
    category: 'mute',
    createdAt: at,
    region,
    target,
    summary: noticeSummary({
      runId: roundId,
      at,
      region,
      target,
      verdict: details.stillFailing.length ? 'fail' : 'pass',
      headline: notice.title,
    }),
    opening: { openedAt: at, runId: roundId, runStartedAt: at, headline: notice.title, failureClass: 'mute_ended' },
    window: { failing: details.stillFailing.length, of: details.stillFailing.length },
    sinceOpen: { runs: 0, failing: 0 },
    muteEnd: details,
    notice,
  };
}

function emptyMuteState(ref: StateRef, m: Mute, now: Date): MuteState {
  const at = now.toISOString();
  return {
    version: 1,
    region: ref.region,
    target: ref.target,
    recent: [],
    pending: [],
    updatedAt: at,
    mute: m,
    seenOnAt: at,
  };
}
