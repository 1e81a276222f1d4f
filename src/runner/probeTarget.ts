/** Turns a configured target into something the probe can connect to: URL, dialect, and auth from its secret reference. */
import type { TokenCredential } from '@azure/identity';
import type { TargetConfig } from '../config/targets.js';
import { resolveSecret } from '../config/settings.js';
import { ConfigError } from '../errors.js';
import type { AuthSpec } from '../realtime/auth.js';
import { resolveEndpoint } from '../realtime/flavours.js';
import type { ProbeTarget } from '../probe/session.js';

export function probeTarget(
  t: TargetConfig,
  index: number,
  env: Record<string, string | undefined>,
  region: string,
  credential: () => TokenCredential,
): ProbeTarget {
  const at = `CANARY_TARGETS[${index}]`;
  let endpoint;
  try {
    endpoint = resolveEndpoint(t);
  } catch (err) {
    if (err instanceof ConfigError)
      throw new ConfigError(`${at}.${err.field}`, err.message.slice(err.field.length + 2));
    throw err;
  }
  let auth: AuthSpec;
  switch (t.auth) {
    case 'none':
      auth = { mode: 'none' };
      break;
    case 'entra':
      auth = { mode: 'entra', credential: credential(), scope: t.scope };
      break;
    case 'api-key':
      auth = { mode: 'api-key', key: resolveSecret(t.secretSetting!, env, at) };
      break;
    case 'bearer':
      auth = { mode: 'bearer', token: resolveSecret(t.secretSetting!, env, at) };
      break;
  }
  return { name: t.name, endpoint, auth, region };
}
