/**
 * The projection of loaded settings: the one place that turns the canary's configuration (targets, schedule, turns,
 * prompts, prices) and a list of regions into the input of {@link projectCost} — what `realtime-canary cost` and
 * `validate` print and what the fleet dashboard shows as the month's projection, so the three never disagree.
 * Pure: the prompt catalogue is given (the callers load it); the schedule's runs per day are config's.
 */
import type { CanarySettings } from '../config/settings.js';
import { parseEvery } from '../config/every.js';
import { runsPerDay } from '../config/runsPerDay.js';
import {
  projectCost,
  promptLengths,
  type CataloguePrompt,
  type CostTarget,
  type Projection,
  type ProjectionInput,
} from './projection.js';
import type { TokenCounts } from './runCost.js';

/** What the projection reads of the settings. */
export type ProjectedSettings = Pick<CanarySettings, 'region' | 'schedule' | 'turns' | 'prompts' | 'prices'> &
  Partial<Pick<CanarySettings, 'mode'>>;

/** A target as the projection reads it: its own interval (`every`, ../config/every.ts) changes how often it runs. */
export type ProjectedTarget = CostTarget & { every?: string };

const DAY_MS = 86_400_000;

/**
 * A target's runs per region per day. Without `every`: the schedule's. With it: one per interval — in round mode
 * never more often than the rounds run (a round cannot probe a target twice), in queue mode at its own pace (the
 * planner runs every minute).
 */
export function targetRunsPerDay(
  t: ProjectedTarget,
  schedulePerDay: number,
  mode: 'round' | 'queue' = 'round',
): number {
  if (t.every === undefined) return schedulePerDay;
  const own = DAY_MS / parseEvery(t.every, `${t.name}.every`);
  return mode === 'queue' ? own : Math.min(schedulePerDay, own);
}

export interface SettingsProjectionOptions {
  /** Regions that each probe every target (default: the settings' own region). */
  regions?: readonly string[];
  catalog: readonly CataloguePrompt[];
  /** Per target name: token totals of its last runs (newest last). */
  history?: ReadonlyMap<string, readonly TokenCounts[]>;
}

/** The input of {@link projectCost} for `targets` under `settings`. */
export function settingsProjectionInput(
  settings: ProjectedSettings,
  targets: readonly ProjectedTarget[],
  o: SettingsProjectionOptions,
): ProjectionInput {
  const { schedule, turns, prompts, prices } = settings;
  const perDay = runsPerDay(schedule);
  return {
    targets: targets.map((t) =>
      t.every === undefined ? t : { ...t, runsPerDayPerRegion: targetRunsPerDay(t, perDay, settings.mode) },
    ),
    regions: o.regions ?? [settings.region],
    schedule,
    runsPerDayPerRegion: perDay,
    turns,
    prompts,
    catalog: promptLengths(o.catalog),
    prices,
    history: o.history,
  };
}

/** The projection `realtime-canary cost` prints for these settings, targets and regions. */
export function projectSettings(
  settings: ProjectedSettings,
  targets: readonly ProjectedTarget[],
  o: SettingsProjectionOptions,
): Projection {
  return projectCost(settingsProjectionInput(settings, targets, o));
}
