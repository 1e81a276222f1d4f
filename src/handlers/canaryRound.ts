/**
 * The scheduled canary's handler: settings → the round (composed by ../runner/createRound.ts) → artifacts, alerts,
 * telemetry. No registration side effect here (see ../functions/canaryTimer.ts), so tests call it with
 * `new InvocationContext(...)`.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { secretSettings, type SecretSetting } from '../config/secrets.js';
import type { CanarySettings } from '../config/settings.js';
import { withDeadline } from '../deadline.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { parseConfigJson } from '../json.js';
import { createRound, type RoundOverrides } from '../runner/createRound.js';
import type { RoundResult } from '../runner/round.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { startHandler } from './handlerStart.js';

type Env = Record<string, string | undefined>;

/** Test and local hooks: anything given here replaces what the settings would build. */
export type HandlerOverrides = Omit<RoundOverrides, 'log'>;

export function makeCanaryHandler(env: () => Env = () => process.env, overrides: HandlerOverrides = {}) {
  return async function canaryRoundHandler(timer: Timer, context: InvocationContext): Promise<RoundResult> {
    const currentEnv = env();
    // every line logged and every error thrown is scrubbed of the settings' secrets, known before they are parsed
    const start = startHandler(currentEnv, context);
    const { log } = start;
    if (timer.isPastDue) log.warn('the timer is running late (isPastDue); running the round now');
    const { settings } = start.load();
    const round = createRound(settings, currentEnv, { ...overrides, log });
    try {
      return await round.run(await configuredTargets(settings, round.store, currentEnv));
    } catch (err) {
      throw start.scrub(err);
    } finally {
      round.close();
    }
  };
}

/** The targets: CANARY_TARGETS, or the config blob CANARY_CONFIG_BLOB names (read each invocation, bounded). */
export async function configuredTargets(
  settings: CanarySettings,
  store: ArtifactStore,
  env: Env,
): Promise<TargetConfig[]> {
  return (
    settings.targets ??
    (await withDeadline('reading CANARY_CONFIG_BLOB', 30_000, () =>
      targetsFromBlob(store, settings.configBlob!, secretSettings(env)),
    ))
  );
}

async function targetsFromBlob(
  store: ArtifactStore,
  path: string,
  secrets: readonly SecretSetting[],
): Promise<TargetConfig[]> {
  const body = await store.get(path);
  if (!body) throw new ConfigError('CANARY_CONFIG_BLOB', `no blob at "${path}" in ${store.description}`);
  const parsed = parseConfigJson(body.toString('utf8'), 'CANARY_CONFIG_BLOB', `"${path}" is not valid JSON`);
  const targets = Array.isArray(parsed) ? parsed : (parsed as { targets?: unknown }).targets;
  return parseTargets(JSON.stringify(targets ?? null), `${path} targets`, secrets);
}

/** The handler the Functions host calls (reads process.env). */
export const canaryRound = makeCanaryHandler();
