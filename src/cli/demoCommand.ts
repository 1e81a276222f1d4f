/**
 * `realtime-canary demo` (what `npm start` runs): the built-in simulator, then two scheduled rounds over
 * healthy and faulty simulator targets, composed as the Azure Function composes them (../runner/createRound.ts:
 * confirmation probes, the spend ledger and drift fingerprints included), written to a local folder — reports,
 * audio, the daily index, alert state, the ledger, the fingerprints and the alerts it would send.
 */
import { resolve } from 'node:path';
import { startSimulator } from '../sim/index.js';
import { loadSettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { resolveEndpoint, type Flavour } from '../realtime/flavours.js';
import { createRound } from '../runner/createRound.js';
import type { LineLog } from '../log.js';
import type { RoundResult, RoundStore } from '../runner/round.js';
import { intFlag, noPositionals, parse } from './args.js';
import { hookLines } from './demoHooks.js';
import { printRoundTable } from './roundTable.js';
import { parseHistory, writeDemoHistory } from './demoHistory.js';
import { writeDashboard } from '../sinks/dashboardSink.js';
import { loadCatalog } from '../prompts/catalog.js';
import { writeStaleRegion } from './demoStale.js';

const HELP = `realtime-canary demo [--out DIR] [--rounds N] [--history 7d] [--quiet]

Starts the simulator on a free loopback port and runs N rounds (default 2: alerts open after 2 failing
runs of the last 3) over simulator targets with injected faults, as the Azure Function runs them: a failing
target is probed once more to confirm it, the spend goes to the day's ledger, each target's model fingerprint
is kept. Everything lands in DIR (default ./canary-output).
--history 7d also fills the dashboard with a week of synthetic rounds (run ids hist-…), so it looks like production.`;

/** The key the demo's simulator expects (the targets' DEMO_SIM_KEY). */
export const DEMO_SIM_KEY = 'demo-sim-key';

/** The deployment the reasoning targets name: the simulator gives it the reasoning profile (src/sim/profiles.ts). */
const REASONING_DEPLOYMENT = 'gpt-realtime-2.1';

/**
 * The demo's targets: one group, OpenAI direct as the baseline, each Azure flavour with a fault, and two
 * gpt-realtime-2.1 deployments (a healthy reasoning one: preamble, 2.8 s of reasoning, answer; a preamble-only one).
 */
export function demoTargets(url: (flavour: Flavour, scenario: string, deployment?: string) => string): TargetConfig[] {
  const t = (
    name: string,
    flavour: Parameters<typeof url>[0],
    scenario: string,
    extra: Partial<TargetConfig> = {},
    deployment?: string,
  ): TargetConfig => ({
    name,
    endpoint: url(flavour, scenario, deployment),
    auth: 'api-key',
    secretSetting: 'DEMO_SIM_KEY',
    group: 'demo',
    ...extra,
  });
  return [
    t('openai-baseline', 'openai-ga', 'healthy', { baseline: true }),
    t('azure-ga-healthy', 'azure-ga', 'healthy-bursty'),
    t('azure-ga-silent-gap', 'azure-ga', 'silent-gap'),
    t('azure-preview-truncated', 'azure-preview', 'truncated'),
    t('azure-ga-stall', 'azure-ga', 'stall'),
    t('azure-ga-no-response-done', 'azure-ga', 'no-response-done'),
    t('azure-ga-drop', 'azure-ga', 'drop'),
    // OpenAI retired the beta interface; a wrong key is what can still go wrong there
    t('openai-wrong-key', 'openai-ga', 'healthy', { secretSetting: 'DEMO_WRONG_KEY' }),
    t('azure-ga-wrong-key', 'azure-ga', 'healthy', { secretSetting: 'DEMO_WRONG_KEY' }),
    // a deployment over WebRTC (Opus RTP + the oai-events data channel), compared with the same one over WebSocket
    t('azure-ga-webrtc', 'azure-ga', 'healthy', { transport: 'webrtc', turns: 3 }),
    // the reasoning generation: phase on every item, a spoken preamble, the model thinking in silence, the answer
    t('azure-ga-reasoning', 'azure-ga', 'reasoning-healthy', {}, REASONING_DEPLOYMENT),
    t('azure-ga-preamble-only', 'azure-ga', 'preamble-only', {}, REASONING_DEPLOYMENT),
  ];
}

/**
 * The app settings the demo's rounds run with: the Function's own defaults (confirmation, the spend ledger, drift)
 * except for shorter sessions, written to `out`.
 */
export function demoEnv(out: string, targets: readonly TargetConfig[]): Record<string, string> {
  return {
    DEMO_SIM_KEY,
    DEMO_WRONG_KEY: 'not-the-key',
    CANARY_REGION: 'local',
    CANARY_OUTPUT_DIR: out,
    CANARY_TARGETS: JSON.stringify(targets),
    CANARY_TURNS: '2',
    CANARY_PROMPTS: 'count-to-twenty,nato-alphabet',
    // a reasoning turn takes ~10.5 s (preamble, 2.8 s of reasoning, a 20 s answer at 4x): leave it room under load
    CANARY_TURN_TIMEOUT_MS: '15000',
    CANARY_CONCURRENCY: '10',
    CANARY_SPOOL_DIR: resolve(out, '.spool'),
  };
}

export async function demoCommand(argv: string[]): Promise<number> {
  const { values: f, positionals } = parse(argv, {
    help: { type: 'boolean', short: 'h' },
    out: { type: 'string' },
    rounds: { type: 'string' },
    quiet: { type: 'boolean' },
    history: { type: 'string' },
  });
  noPositionals(positionals);
  if (f.help) {
    console.log(HELP);
    return 0;
  }
  const out = resolve(f.out ?? 'canary-output');
  const rounds = intFlag('rounds', f.rounds, 2, 1);
  const historyMs = f.history === undefined ? undefined : parseHistory(f.history);
  const sim = await startSimulator({ port: 0, apiKey: DEMO_SIM_KEY });
  console.log(`simulator listening on ${sim.baseUrl}`);
  try {
    const targets = demoTargets((flavour, scenario, deployment) => sim.url(flavour, { scenario, deployment }));
    const env = demoEnv(out, targets);
    const settings = loadSettings(env);
    const log: LineLog = f.quiet
      ? { info: () => undefined, warn: () => undefined, error: (m) => console.error(m) }
      : {
          info: (m) => console.log(`  ${m}`),
          warn: (m) => console.warn(`  warning: ${m}`),
          error: (m) => console.error(`  error: ${m}`),
        };
    let last: { result: RoundResult; store: RoundStore } | undefined;
    for (let r = 1; r <= rounds; r++) {
      console.log(`\nround ${r} of ${rounds}: ${targets.length} targets`);
      // the round the Function runs, hooks included: budget ledger, confirmation of failures, drift
      const round = createRound(settings, env, { log, onProgress: (line) => console.log(`  ${line}`) });
      try {
        last = { result: await round.run(settings.targets!), store: round.store };
      } finally {
        round.close();
      }
    }
    const historyTargets = targets.map((t) => ({
      name: t.name,
      flavour: resolveEndpoint(t).flavour,
      group: t.group,
      baseline: t.baseline,
    }));
    if (historyMs !== undefined && last) {
      const n = await writeDemoHistory(last.store, historyTargets, new Date(), historyMs, [
        settings.region,
        'swedencentral',
        'francecentral',
      ]);
      console.log(`\nhistory: ${n} synthetic run(s) over ${f.history} added to the daily index`);
    }
    if (last) {
      // a fixture, labelled as one: a second region whose canary stopped, so the dashboard shows what STALE looks like
      const stale = await writeStaleRegion(last.store, historyTargets, new Date());
      await writeDashboard(last.store, new Date(), { settings, catalog: loadCatalog() });
      console.log(
        `\nfixture: region ${stale.region} is made up — ${stale.runs} passing run(s), the last at ${stale.lastRunAt}, and ` +
          `its heartbeat — so the dashboard shows a region whose canary stopped: its cells are STALE, listed under "Stale". ` +
          `The page judges by your browser's clock: nothing runs the demo on its schedule, so its own region turns ` +
          `STALE too once 20 minutes have passed`,
      );
    }
    if (last) {
      printRoundTable(last.result);
      console.log(`\nthe Function's steps around the probes, in the last round:`);
      for (const line of await hookLines(last.result, last.store, settings.region, settings.dailyBudgetUsd))
        console.log(`  ${line}`);
    }
    console.log(`\nfleet dashboard: ${out}/index.html`);
    console.log(`reports (report.html), audio and event logs: ${out}/runs/`);
    console.log(`alerts it would send (Teams cards): ${out}/alerts/`);
    console.log(`daily index: ${out}/index/   alert state: ${out}/state/`);
    return 0;
  } finally {
    await sim.close();
  }
}
