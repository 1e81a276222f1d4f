/**
 * The projection of loaded settings: the one place that turns the canary's configuration (targets, schedule, turns,
 * prompts, prices) and a list of regions into the input of {@link projectCost} — what `realtime-canary cost` and
 * `validate` print and what the fleet dashboard shows as the month's projection, so the three never disagree.
 * Pure: the prompt catalogue is given (the callers load it); the schedule's runs per day are config's.
 */
import type { CanarySettings } from '../config/settings.js';
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
export type ProjectedSettings = Pick<CanarySettings, 'region' | 'schedule' | 'turns' | 'prompts' | 'prices'>;

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
  targets: readonly CostTarget[],
  o: SettingsProjectionOptions,
): ProjectionInput {
  const { schedule, turns, prompts, prices } = settings;
  return {
    targets,
    regions: o.regions ?? [settings.region],
    schedule,
    runsPerDayPerRegion: runsPerDay(schedule),
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
  targets: readonly CostTarget[],
  o: SettingsProjectionOptions,
): Projection {
  return projectCost(settingsProjectionInput(settings, targets, o));
}
