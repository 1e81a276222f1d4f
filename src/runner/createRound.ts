/**
 * The one composition of a scheduled round, used by the Azure Function's handler, `realtime-canary demo` and
 * bench:round: the store behind its spool (aborted at the round's hard deadline), the prompt catalogue (loaded
 * once, for the probes and the budget), report rendering, the credential for Entra targets, the secrets every exit
 * scrubs, and the hooks — budget, confirmation, drift (./costHooks.ts). The sinks, telemetry among them, come
 * from ../sinks/createSinks.ts inside the round. Anything given in `overrides` replaces what the settings build.
 */
import type { CanarySettings } from '../config/settings.js';
import type { TargetConfig } from '../config/targets.js';
import { loadCatalog, type PromptSpec } from '../prompts/catalog.js';
import { renderRunHtml } from '../report/runHtml.js';
import { costHooks } from './costHooks.js';
import type { RoundHooks } from './hooks.js';
import type { LineLog } from '../log.js';
import { runRound, type RoundDeps, type RoundResult, type RoundStore } from './round.js';
import { settingSecrets } from '../config/secrets.js';
import { createChannels, createStore, entraCredential } from './roundDeps.js';
import { sendToAll } from '../sinks/alerts/channels.js';

/**
 * The caller's log, and what it replaces (tests). bench:round leaves parts out: `renderReportHtml: undefined` (no
 * report.html) and `hooks: {}` (no budget, confirmation or drift).
 */
export type RoundOverrides = Partial<Omit<RoundDeps, 'env' | 'log'>> & { log: LineLog };

/** One round, composed: read the targets through its store if need be, `run` it once, then `close` it. */
export interface Round {
  store: RoundStore;
  run(targets: readonly TargetConfig[]): Promise<RoundResult>;
  /** Stops the hard-deadline timer (after `run`, or when the round never ran). */
  close(): void;
}

export function createRound(
  settings: CanarySettings,
  env: Record<string, string | undefined>,
  overrides: RoundOverrides,
): Round {
  const { deps, close } = composeRound(settings, env, overrides);
  return { store: deps.store, run: (targets) => runRound(settings, targets, deps), close };
}

/**
 * The composition itself, for a round or for one queued probe (./prober.ts): the deps with their hooks, and
 * `close`, which stops the hard-deadline timer (`settings.roundDeadlineMs` after the call).
 */
export function composeRound(
  settings: CanarySettings,
  env: Record<string, string | undefined>,
  overrides: RoundOverrides,
): { deps: RoundDeps & { store: RoundStore }; close(): void } {
  const { log } = overrides;
  const catalog = overrides.catalog ?? loadCatalog();
  // the round's hard deadline: storage calls still in flight then are aborted (their writes spooled)
  const hard = new AbortController();
  const hardTimer = setTimeout(() => hard.abort(), settings.roundDeadlineMs);
  hardTimer.unref();
  const store =
    overrides.store ??
    createStore(settings, log, { signal: hard.signal, operationTimeoutMs: settings.storageTimeoutMs });
  const deps: RoundDeps = {
    env,
    credential: entraCredential(settings),
    renderReportHtml: (report, trace, options) => renderRunHtml(report, trace, options),
    secrets: settingSecrets(settings, env),
    signal: hard.signal,
    ...overrides,
    catalog,
    store,
  };
  return {
    deps: { ...deps, store, hooks: overrides.hooks ?? roundHooks(settings, catalog, deps) },
    close: () => clearTimeout(hardTimer),
  };
}

/** Budget, confirmation and drift (./costHooks.ts); budget notices go where the round's alerts go. */
function roundHooks(settings: CanarySettings, catalog: readonly PromptSpec[], deps: RoundDeps): RoundHooks {
  const { store } = deps;
  const channels = deps.channels ?? createChannels(settings, store, deps.log);
  return costHooks(settings, {
    store,
    catalog,
    warn: (m) => deps.log.warn(m),
    now: deps.now,
    renderReportHtml: deps.renderReportHtml,
    notify: (n) => sendToAll(channels, n),
  });
}
