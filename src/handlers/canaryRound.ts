/**
 * The scheduled canary's handler: settings → the round (composed by ../runner/createRound.ts) → artifacts, alerts,
 * telemetry. No registration side effect here (see ../functions/canaryTimer.ts), so tests call it with
 * `new InvocationContext(...)`.
 */
import type { InvocationContext, Timer } from '@azure/functions';
import { readHostFunctionTimeout } from '../config/hostTimeout.js';
import { loadSettings, type CanarySettings } from '../config/settings.js';
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
    const log: LineLog = { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) };
    if (timer.isPastDue) context.warn('the timer is running late (isPastDue); running the round now');
    const currentEnv = env();
    let settings: CanarySettings;
    try {
      settings = loadSettings(currentEnv, { functionTimeoutMs: readHostFunctionTimeout() });
    } catch (err) {
      context.error(`configuration error: ${(err as Error).message}`);
      throw err;
    }
    const round = createRound(settings, currentEnv, { ...overrides, log });
    try {
      const targets =
        settings.targets ??
        (await withDeadline('reading CANARY_CONFIG_BLOB', 30_000, () =>
          targetsFromBlob(round.store, settings.configBlob!),
        ));
      return await round.run(targets);
    } finally {
      round.close();
    }
  };
}

async function targetsFromBlob(store: ArtifactStore, path: string): Promise<TargetConfig[]> {
  const body = await store.get(path);
  if (!body) throw new ConfigError('CANARY_CONFIG_BLOB', `no blob at "${path}" in ${store.description}`);
  const parsed = parseConfigJson(body.toString('utf8'), 'CANARY_CONFIG_BLOB', `"${path}" is not valid JSON`);
  const targets = Array.isArray(parsed) ? parsed : (parsed as { targets?: unknown }).targets;
  return parseTargets(JSON.stringify(targets ?? null), `${path} targets`);
}

/** The handler the Functions host calls (reads process.env). */
export const canaryRound = makeCanaryHandler();
