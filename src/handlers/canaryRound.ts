/**
 * The scheduled canary's handler: settings → the round (composed by ../runner/createRound.ts) → artifacts, alerts,
 * telemetry. No registration side effect here (see ../functions/canaryTimer.ts), so tests call it with
 * `new InvocationContext(...)`.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { readHostFunctionTimeout } from '../config/hostTimeout.js';
import { envSecrets, secretSettings, settingSecrets, type SecretSetting } from '../config/secrets.js';
import { loadSettings, type CanarySettings } from '../config/settings.js';
import { scrubError, scrubbingLog } from '../realtime/scrubValue.js';
import { withDeadline } from '../deadline.js';
import { parseTargets, type TargetConfig } from '../config/targets.js';
import { ConfigError } from '../errors.js';
import { parseConfigJson } from '../json.js';
import { createRound, type RoundOverrides } from '../runner/createRound.js';
import type { LineLog } from '../log.js';
import type { RoundResult } from '../runner/round.js';
import type { ArtifactStore } from '../store/artifactStore.js';

type Env = Record<string, string | undefined>;

/** Test and local hooks: anything given here replaces what the settings would build. */
export type HandlerOverrides = Omit<RoundOverrides, 'log'>;

export function makeCanaryHandler(env: () => Env = () => process.env, overrides: HandlerOverrides = {}) {
  return async function canaryRoundHandler(timer: Timer, context: InvocationContext): Promise<RoundResult> {
    const currentEnv = env();
    // every line logged and every error thrown is scrubbed of the settings' secrets, known before they are parsed
    let secrets = envSecrets(currentEnv);
    const log: LineLog = scrubbingLog(
      { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
      () => secrets,
    );
    if (timer.isPastDue) log.warn('the timer is running late (isPastDue); running the round now');
    let settings: CanarySettings;
    try {
      settings = loadSettings(currentEnv, { functionTimeoutMs: readHostFunctionTimeout() });
    } catch (err) {
      log.error(`configuration error: ${(err as Error).message}`);
      throw scrubError(err, secrets);
    }
    secrets = settingSecrets(settings, currentEnv);
    const round = createRound(settings, currentEnv, { ...overrides, log });
    try {
      return await round.run(await configuredTargets(settings, round.store, currentEnv));
    } catch (err) {
      throw scrubError(err, secrets);
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
