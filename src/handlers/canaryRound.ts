/**
 * The scheduled canary's handler: settings → round → artifacts, alerts, telemetry. No registration side
 * effect here (see ../functions/canaryTimer.ts), so tests call it with `new InvocationContext(...)`.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { loadSettings, type CanarySettings } from '../config/settings.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { runRound, type RoundDeps, type RoundLog, type RoundResult } from '../runner/round.js';
import { createNotifier, createRoundTelemetry, createStore, entraCredential, reportRendering } from '../runner/roundDeps.js';
import type { ArtifactStore } from '../sinks/artifactStore.js';
import { reportsSiteUrl } from '../sinks/cardLinks.js';

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
      settings = loadSettings(currentEnv);
    } catch (err) {
      context.error(`configuration error: ${(err as Error).message}`);
      throw err;
    }
    const store = overrides.store ?? createStore(settings, log);
    const targets = settings.targets ?? (await targetsFromBlob(store, settings.configBlob!));
    const telemetry = overrides.telemetry ?? (await createRoundTelemetry(settings, currentEnv, log));
    try {
      return await runRound(settings, targets, {
        env: currentEnv,
        log,
        credential: entraCredential(settings),
        ...reportRendering(store, overrides.now),
        ...overrides,
        store,
        telemetry,
        notify: overrides.notify ?? createNotifier(settings, store, log, reportsSiteUrl(currentEnv)),
      });
    } finally {
      await telemetry.close?.();
    }
  };
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
