/**
 * Builds a probe target from `probe` flags: endpoint, dialect, and auth taken from the environment. The auth
 * choice is explicit (one of --api-key-env, --bearer-env, --entra, --no-auth), so a forgotten flag never
 * silently connects unauthenticated, and a key pasted where a variable name belongs is refused unechoed.
 */
import { DefaultAzureCredential } from '@azure/identity';
import { authSecrets, type AuthSpec } from '../realtime/auth.js';
import type { SecretSetting } from '../config/secrets.js';
import { checkName } from '../config/settingChecks.js';
import { resolveEndpoint, type Dialect, type Flavour, FLAVOURS } from '../realtime/flavours.js';
import type { ProbeTarget } from '../probe/session.js';
import { looksLikeSecret } from '../realtime/redact.js';
import { checkEntraScope } from '../config/settingChecks.js';
import { oneOf, UsageError } from './args.js';

export interface TargetFlags {
  endpoint?: string;
  resource?: string;
  deployment?: string;
  flavour?: string;
  dialect?: string;
  'api-version'?: string;
  'api-key-env'?: string;
  'bearer-env'?: string;
  entra?: boolean;
  'no-auth'?: boolean;
  scope?: string;
  name?: string;
  region?: string;
}

export function targetFromFlags(f: TargetFlags, env: NodeJS.ProcessEnv = process.env): ProbeTarget {
  if (!f.endpoint && !f.resource && !f.deployment)
    throw new UsageError('--endpoint', 'is required (a ws:// or wss:// URL), or give --resource and --deployment');
  const flavour = f.flavour === undefined ? undefined : oneOf<Flavour>('flavour', f.flavour, FLAVOURS, 'azure-ga');
  const dialect = f.dialect === undefined ? undefined : oneOf<Dialect>('dialect', f.dialect, ['ga', 'beta'], 'ga');
  const endpoint = resolveEndpoint({
    endpoint: f.endpoint,
    resource: f.resource,
    deployment: f.deployment,
    flavour,
    dialect,
    apiVersion: f['api-version'],
  });
  const auth = authFromFlags(f, env);
  // labels end up in the run folder's files and the printed lines: a safe name, not the key sent
  const sent = authSecrets(auth).map((v): SecretSetting => [f['api-key-env'] ?? f['bearer-env'] ?? 'auth', v]);
  return {
    name: f.name === undefined ? (endpoint.deployment ?? endpoint.url.host) : checkName(f.name, '--name', sent),
    endpoint,
    auth,
    region: f.region === undefined ? undefined : checkName(f.region, '--region', sent),
  };
}

const AUTH_FLAGS = ['api-key-env', 'bearer-env', 'entra', 'no-auth'] as const;

function authFromFlags(f: TargetFlags, env: NodeJS.ProcessEnv): AuthSpec {
  const given = AUTH_FLAGS.filter((k) => f[k] !== undefined && f[k] !== false);
  if (given.length === 0) {
    throw new UsageError(
      'auth',
      'no auth flag given: add --api-key-env NAME (key in environment variable NAME), --bearer-env NAME (a token), ' +
        '--entra (Microsoft Entra ID), or --no-auth for an unauthenticated endpoint',
    );
  }
  if (given.length > 1)
    throw new UsageError(`--${given[0]}`, `cannot be combined with --${given[1]}: choose one way to authenticate`);
  if (f.scope !== undefined && !f.entra) throw new UsageError('--scope', 'only applies with --entra');
  if (f.scope !== undefined) checkEntraScope(f.scope, '--scope');
  if (f.entra) return { mode: 'entra', credential: new DefaultAzureCredential(), scope: f.scope };
  if (f['no-auth']) return { mode: 'none' };
  if (f['api-key-env'] !== undefined)
    return { mode: 'api-key', key: secretFromEnv('api-key-env', f['api-key-env'], env) };
  return { mode: 'bearer', token: secretFromEnv('bearer-env', f['bearer-env']!, env) };
}

/** The value of the environment variable a flag names; the flag's own value is never echoed when it is not a name. */
function secretFromEnv(flag: string, name: string, env: NodeJS.ProcessEnv): string {
  if (!isVariableName(name)) {
    throw new UsageError(
      `--${flag}`,
      'expects the NAME of an environment variable holding the secret, but the value given looks like a secret ' +
        'itself (not shown); put it in a variable, e.g. export AZURE_OPENAI_KEY=…, and pass its name',
    );
  }
  const value = env[name];
  if (!value) throw new UsageError(`--${flag}`, `environment variable ${name} is not set or empty`);
  return value;
}

/**
 * An environment variable name, not a key pasted by mistake: letters, digits and `_`, not starting with a digit,
 * and nothing key-shaped (looksLikeSecret: OpenAI keys, 32-hex Azure keys, JWTs, …; or a long run of mixed-case
 * letters and digits without an underscore, which no one names a variable).
 */
export function isVariableName(value: string): boolean {
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,127}$/.test(value) || looksLikeSecret(value)) return false;
  const keyish =
    value.length >= 32 && !value.includes('_') && /[a-z]/.test(value) && /[A-Z]/.test(value) && /\d/.test(value);
  return !keyish;
}
