/** Builds a probe target from `probe` flags: endpoint, dialect, and auth taken from the environment. */
import { DefaultAzureCredential } from '@azure/identity';
import type { AuthSpec } from '../realtime/auth.js';
import { resolveEndpoint, type Dialect, type Flavour, FLAVOURS } from '../realtime/flavours.js';
import type { ProbeTarget } from '../probe/session.js';
import { oneOf, UsageError } from './args.js';

export interface TargetFlags {
  endpoint?: string;
  resource?: string;
  deployment?: string;
  flavour?: string;
  dialect?: string;
  'api-version'?: string;
  'api-key-env'?: string;
  entra?: boolean;
  scope?: string;
  name?: string;
  region?: string;
}

export function targetFromFlags(f: TargetFlags, env: NodeJS.ProcessEnv = process.env): ProbeTarget {
  if (!f.endpoint && !f.resource && !f.deployment) throw new UsageError('--endpoint', 'is required (a ws:// or wss:// URL), or give --resource and --deployment');
  const flavour = f.flavour === undefined ? undefined : oneOf<Flavour>('flavour', f.flavour, FLAVOURS, 'azure-ga');
  const dialect = f.dialect === undefined ? undefined : oneOf<Dialect>('dialect', f.dialect, ['ga', 'beta'], 'ga');
  const endpoint = resolveEndpoint({ endpoint: f.endpoint, resource: f.resource, deployment: f.deployment, flavour, dialect, apiVersion: f['api-version'] });
  return { name: f.name ?? endpoint.deployment ?? endpoint.url.host, endpoint, auth: authFromFlags(f, env), region: f.region };
}

function authFromFlags(f: TargetFlags, env: NodeJS.ProcessEnv): AuthSpec {
  if (f.entra && f['api-key-env']) throw new UsageError('--entra', 'cannot be combined with --api-key-env');
  if (f.entra) return { mode: 'entra', credential: new DefaultAzureCredential(), scope: f.scope };
  const name = f['api-key-env'];
  if (!name) return { mode: 'none' };
  const key = env[name];
  if (!key) throw new UsageError('--api-key-env', `environment variable ${name} is not set or empty`);
  return { mode: 'api-key', key };
}
