/**
 * `realtime-canary cost`: what a configuration costs per run, per day and per month, per target and in total,
 * plus storage growth — from the settings the Function reads, the shipped bicepparam, or a targets file, and
 * the last runs' real usage when a folder of reports is given — and beside it each deployment's and key's planned
 * session starts against its budget (../runner/planCheck.ts), refusing (exit 2) a plan that cannot fit.
 */
import { resolve } from 'node:path';
import { costConfiguration, projectionInputOf } from './costConfig.js';
import { projectCost, promptLengths } from '../cost/projection.js';
import { loadCatalog } from '../prompts/catalog.js';
import { checkPlan } from '../runner/planCheck.js';
import { formatPlanCheck } from './planCheckText.js';
import { formatProjection } from '../cost/projectionText.js';
import { intFlag, parse } from './args.js';

const HELP = `realtime-canary cost [--bicepparam FILE] [--settings local.settings.json] [--targets FILE] [options]

Prints tokens and dollars per run, per day and per month for every target and in total, and the storage the
runs add per month. Settings come from the environment (CANARY_TARGETS, CANARY_SCHEDULE, CANARY_TURNS,
CANARY_PROMPTS, CANARY_PRICES), a Functions settings file, or the bicepparam (regions, targets, schedule,
extraAppSettings).

  --bicepparam FILE   e.g. infra/main.bicepparam
  --settings FILE     local.settings.json: its "Values" where the environment sets none (as func start does)
  --targets FILE      a CANARY_TARGETS JSON file
  --regions a,b,…     regions that each probe every target (default: the bicepparam's, else CANARY_REGION)
  --history DIR       a folder with report.json files (an output folder, a downloaded container): the last runs'
                      real usage replaces the catalogue estimate of each target of the same name; the targets
                      still come from one of the sources above
  --last N            runs per target to average from the history (default 20)
  --json              print the projection as JSON (the session plan under "sessions")
Beside the money: each deployment's and key's planned session starts per minute and per day, from every region,
against its budget, and whether the round fits its due targets (as validate checks them).
Exit codes: 0 printed, 2 usage or configuration error, or a plan that does not fit (printed, then the reasons).`;

export async function costCommand(argv: string[]): Promise<number> {
  const { values: f } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    bicepparam: { type: 'string' },
    settings: { type: 'string' },
    targets: { type: 'string' },
    regions: { type: 'string' },
    history: { type: 'string' },
    last: { type: 'string' },
    json: { type: 'boolean' },
  });
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const config = await costConfiguration({
    env: process.env,
    bicepparamFile: f.bicepparam && resolve(f.bicepparam),
    settingsFile: f.settings && resolve(f.settings),
    targetsFile: f.targets && resolve(f.targets),
    regions: f.regions
      ?.split(',')
      .map((r) => r.trim())
      .filter(Boolean),
    historyDir: f.history && resolve(f.history),
    lastRuns: intFlag('last', f.last, 20, 1),
  });
  const p = projectCost(projectionInputOf(config));
  // the session starts each deployment and key gets from every region, against its budget
  const check = checkPlan({
    targets: config.targets,
    settings: config.settings,
    lengths: promptLengths(loadCatalog()),
    regions: config.regions.length,
    at: new Date(),
  });
  const text = formatPlanCheck(check, { all: true });
  console.log(
    f.json ? JSON.stringify({ ...p, sessions: check }, null, 2) : `${formatProjection(p)}\n\n${text.lines.join('\n')}`,
  );
  if (!text.refusals.length) return 0;
  console.error(`\nthe plan does not fit (${text.refusals.length} problem(s)):`);
  for (const r of text.refusals) console.error(`  ${r}`);
  return 2;
}
