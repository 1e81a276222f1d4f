/**
 * What every Functions handler does first (the round's timer, the planner, the prober): a log that scrubs the
 * settings' secrets — known from the environment before the settings are parsed, then from the parsed settings —
 * and the settings themselves, a configuration error logged as one and thrown scrubbed.
 */
import type { InvocationContext } from '@azure/functions';
import { readHostFunctionTimeout } from '../config/hostTimeout.js';
import { envSecrets, settingSecrets } from '../config/secrets.js';
import { loadSettings, type CanarySettings } from '../config/settings.js';
import type { LineLog } from '../log.js';
import { scrubError, scrubbingLog } from '../realtime/scrubValue.js';

type Env = Record<string, string | undefined>;

export interface HandlerStart {
  log: LineLog;
  /** The secrets every exit is scrubbed of, as known now (the current list: it grows once settings load). */
  secrets(): readonly string[];
  /**
   * The settings, and what `more` makes of them in the same step (a setting it refuses is a configuration error
   * too); a failure is logged as `configuration error: …` and thrown scrubbed.
   */
  load<T = undefined>(more?: (settings: CanarySettings) => T): { settings: CanarySettings; more: T };
  /** `err` with every secret known so far replaced (what a handler throws). */
  scrub(err: unknown): unknown;
}

export function startHandler(env: Env, context: InvocationContext): HandlerStart {
  let secrets = envSecrets(env);
  const log = scrubbingLog(
    { info: (m) => context.log(m), warn: (m) => context.warn(m), error: (m) => context.error(m) },
    () => secrets,
  );
  return {
    log,
    secrets: () => secrets,
    load<T>(more?: (settings: CanarySettings) => T) {
      let settings: CanarySettings;
      let extra: T;
      try {
        settings = loadSettings(env, { functionTimeoutMs: readHostFunctionTimeout() });
        extra = more ? more(settings) : (undefined as T);
      } catch (err) {
        log.error(`configuration error: ${(err as Error).message}`);
        throw scrubError(err, secrets);
      }
      secrets = settingSecrets(settings, env);
      return { settings, more: extra };
    },
    scrub: (err) => scrubError(err, secrets),
  };
}
