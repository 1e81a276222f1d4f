/**
 * The scheduled canary's handler: settings → round → artifacts, alerts, telemetry. No registration side
 * effect here (see ../functions/canaryTimer.ts), so tests call it with `new InvocationContext(...)`.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { readHostFunctionTimeout } from '../config/hostTimeout.js';
import { loadSettings, type CanarySettings } from '../config/settings.js';
import { withDeadline } from '../deadline.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { runRound, type RoundDeps, type RoundLog, type RoundResult } from '../runner/round.js';
import { costHooks } from '../runner/costHooks.js';
import type { RoundHooks } from '../runner/hooks.js';
import { createNotifier, createStore, entraCredential, reportRendering, settingSecrets } from '../runner/roundDeps.js';
import { loadCatalog } from '../prompts/catalog.js';
import type { ArtifactStore } from '../store/artifactStore.js';

type Env = Record<string, string | undefined>;

/** Test and local hooks: anything given here replaces what the settings would build. */
export type HandlerOverrides = Partial<Omit<RoundDeps, 'env' | 'log'>>;

export function makeCanaryHandler(env: () => Env = () => process.env, overrides: HandlerOverrides = {}) {
  return async function canaryRoundHandler(timer: Timer, context: InvocationContext): Promise<RoundResult> {
    const log: RoundLog = { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) };
    if (timer.isPastDue) context.warn('the timer is running late (isPastDue); running the round now');
    const currentEnv = env();
    let settings: CanarySettings;
    try {
      settings = loadSettings(currentEnv, { functionTimeoutMs: readHostFunctionTimeout() });
    } catch (err) {
      context.error(`configuration error: ${(err as Error).message}`);
      throw err;
    }
    // the round's hard deadline: storage calls still in flight then are aborted (their writes spooled)
    const hard = new AbortController();
    const hardTimer = setTimeout(() => hard.abort(), settings.roundDeadlineMs);
    hardTimer.unref();
    const store = overrides.store ?? createStore(settings, log, { signal: hard.signal, operationTimeoutMs: settings.storageTimeoutMs });
    try {
      const targets = settings.targets ?? (await withDeadline('reading CANARY_CONFIG_BLOB', 30_000, () => targetsFromBlob(store, settings.configBlob!)));
      const rendering = { ...reportRendering(), ...(overrides.renderReportHtml ? { renderReportHtml: overrides.renderReportHtml } : {}) };
      const hooks = overrides.hooks ?? roundCostHooks(settings, store, log, overrides, rendering.renderReportHtml);
      return await runRound(settings, targets, {
        env: currentEnv,
        log,
        credential: entraCredential(settings),
        ...rendering,
        secrets: settingSecrets(settings, currentEnv),
        signal: hard.signal,
        ...overrides,
        store,
        hooks,
      });
    } finally {
      clearTimeout(hardTimer);
    }
  };
}

/** Budget, confirmation and drift (../runner/costHooks.ts); budget notices go where the round's alerts go. */
function roundCostHooks(settings: CanarySettings, store: ArtifactStore, log: RoundLog, o: HandlerOverrides, render: RoundDeps['renderReportHtml']): RoundHooks {
  const send = o.notify ?? createNotifier(settings, store, log);
  return costHooks(settings, {
    store, catalog: o.catalog ?? loadCatalog(), warn: (m) => log.warn(m), now: o.now, renderReportHtml: render,
    notify: async (n) => (send ? [true, 'delivered'].includes(await send(n)) : false),
  });
}

async function targetsFromBlob(store: ArtifactStore, path: string): Promise<TargetConfig[]> {
  const body = await store.get(path);
  if (!body) throw new ConfigError('CANARY_CONFIG_BLOB', `no blob at "${path}" in ${store.description}`);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body.toString('utf8'));
  } catch (err) {
    throw new ConfigError('CANARY_CONFIG_BLOB', `"${path}" is not valid JSON (${(err as Error).message})`);
  }
  const targets = Array.isArray(parsed) ? parsed : (parsed as { targets?: unknown }).targets;
  return parseTargets(JSON.stringify(targets ?? null), `${path} targets`);
}

/** The handler the Functions host calls (reads process.env). */
export const canaryRound = makeCanaryHandler();
