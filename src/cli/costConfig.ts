/**
 * The inputs of a cost projection, gathered the way the Function reads its configuration: app settings from the
 * environment plus a `local.settings.json`'s `Values` where the environment sets none (the one reader,
 * ./settingsSource.ts, as `validate` reads them), the shipped `infra/main.bicepparam` (regions, targets, schedule,
 * extraAppSettings), or a targets JSON file; history from report.json files under a folder.
 * The CLI side of the projection (../cost/projection.ts is pure): exported for `realtime-canary cost` and `validate`.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Report } from '../analysis/report.js';
import { DEFAULT_SCHEDULE, loadSettings, type CanarySettings } from '../config/settings.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import type { ProjectionInput } from '../cost/projection.js';
import { settingsProjectionInput } from '../cost/settingsProjection.js';
import type { TokenCounts } from '../cost/runCost.js';
import { ConfigError, InputError } from '../errors.js';
import { isRecord } from '../json.js';
import { loadCatalog } from '../prompts/catalog.js';
import { REPORT_JSON } from '../store/layout.js';
import { bicepParams } from './bicepparam.js';
import { operatorEnv, type Env } from './settingsSource.js';

export interface CostSources {
  /** The environment: it wins over the settings file, as under `func start`. */
  env?: Env;
  /** A local.settings.json: its `Values` fill in what `env` does not set. */
  settingsFile?: string;
  bicepparamFile?: string;
  targetsFile?: string;
  /** Overrides the regions (a count of regions matters, not their names). */
  regions?: string[];
  /** A folder with report.json files (a local output folder or a downloaded container). */
  historyDir?: string;
  /** Last runs per target averaged (default 20). */
  lastRuns?: number;
}

/** Why `--history` alone is not enough: it replaces the estimate of configured targets, it does not name them. */
export const HISTORY_NEEDS_TARGETS =
  " (--history only replaces the estimate of the targets these name with their last runs' usage, matched by target name)";

async function readText(path: string, what: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch (err) {
    throw new InputError(
      path,
      `(${what}) cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
}

/** The configuration a projection is made of: the settings as the Function validates them, the targets, regions, history. */
export interface CostConfiguration {
  settings: CanarySettings;
  targets: TargetConfig[];
  regions: string[];
  history: Map<string, TokenCounts[]> | undefined;
}

/** Everything {@link projectCost} needs, from the sources. */
export async function costInput(src: CostSources): Promise<ProjectionInput> {
  return projectionInputOf(await costConfiguration(src));
}

/** The projection's input of a configuration. */
export function projectionInputOf(c: CostConfiguration): ProjectionInput {
  return settingsProjectionInput(c.settings, c.targets, {
    regions: c.regions,
    catalog: loadCatalog(),
    history: c.history,
  });
}

/** The settings, targets, regions and history the sources give. */
export async function costConfiguration(src: CostSources): Promise<CostConfiguration> {
  const env = operatorEnv(src.settingsFile, src.env ?? {});
  let regions: string[] = [];
  let targets: TargetConfig[] | undefined;
  if (src.bicepparamFile) {
    const p = bicepParams(await readText(src.bicepparamFile, 'bicepparam'), src.bicepparamFile);
    if (Array.isArray(p.regions)) regions = p.regions.map(String);
    if (Array.isArray(p.targets)) targets = parseTargets(JSON.stringify(p.targets), `${src.bicepparamFile} targets`);
    if (typeof p.schedule === 'string') env.CANARY_SCHEDULE = p.schedule;
    const extra = p.extraAppSettings;
    if (isRecord(extra)) for (const [k, v] of Object.entries(extra)) if (typeof v === 'string') env[k] = v;
  }
  if (src.targetsFile) targets = parseTargets(await readText(src.targetsFile, 'targets'), src.targetsFile);
  if (!targets && !env.CANARY_TARGETS?.trim())
    throw new ConfigError(
      'targets',
      `none given: pass --bicepparam, --targets FILE, --settings local.settings.json or set CANARY_TARGETS${src.historyDir ? HISTORY_NEEDS_TARGETS : ''}`,
    );
  // storage does not matter for a projection; the rest is validated exactly as the Function validates it
  const settings = loadSettings({
    CANARY_OUTPUT_DIR: '.',
    ...env,
    ...(targets ? { CANARY_TARGETS: JSON.stringify(targets) } : {}),
  });
  if (!regions.length) regions = src.regions ?? [settings.region];
  if (src.regions) regions = src.regions;
  const history = src.historyDir ? await readHistory(src.historyDir, src.lastRuns ?? 20) : undefined;
  return {
    settings: { ...settings, schedule: settings.schedule || DEFAULT_SCHEDULE },
    targets: settings.targets ?? [],
    regions,
    history,
  };
}

/** Token totals of the last `n` runs per target name, from every report.json under `dir` (newest last). */
export async function readHistory(dir: string, n: number): Promise<Map<string, TokenCounts[]>> {
  let files: string[];
  try {
    files = (await readdir(dir, { recursive: true })).filter((f) => f === REPORT_JSON || f.endsWith(`/${REPORT_JSON}`));
  } catch (err) {
    throw new InputError(
      dir,
      `(history) cannot be read: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  const runs: { target: string; at: string; tokens: TokenCounts }[] = [];
  for (const f of files) {
    try {
      const r = JSON.parse(await readFile(join(dir, f), 'utf8')) as Partial<Report>;
      if (r.cost?.tokens && r.target?.name && r.times?.startedAt && r.cost.perTurn.length > 0)
        runs.push({ target: r.target.name, at: r.times.startedAt, tokens: r.cost.tokens });
    } catch {
      // not a report of this tool: skipped
    }
  }
  const out = new Map<string, TokenCounts[]>();
  for (const r of runs.sort((a, b) => a.at.localeCompare(b.at)))
    out.set(r.target, [...(out.get(r.target) ?? []), r.tokens].slice(-n));
  return out;
}
