/**
 * Endpoint flavours: where a Realtime deployment lives and which dialect it speaks.
 *
 * - `azure-ga`      wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>   (GA event names, no api-version)
 * - `azure-preview` wss://<resource>.openai.azure.com/openai/realtime?api-version=<v>&deployment=<d> (beta event names)
 * - `openai-ga`     wss://api.openai.com/v1/realtime?model=<model>
 * - `openai-beta`   same URL, header `OpenAI-Beta: realtime=v1`
 */
import { ConfigError } from '../errors.js';

export type Flavour = 'azure-ga' | 'azure-preview' | 'openai-ga' | 'openai-beta';
export type Dialect = 'ga' | 'beta';

export const FLAVOURS: readonly Flavour[] = ['azure-ga', 'azure-preview', 'openai-ga', 'openai-beta'];
export const DEFAULT_AZURE_PREVIEW_API_VERSION = '2025-04-01-preview';

export function dialectOf(flavour: Flavour): Dialect {
  return flavour === 'azure-ga' || flavour === 'openai-ga' ? 'ga' : 'beta';
}

export function isAzure(flavour: Flavour): boolean {
  return flavour === 'azure-ga' || flavour === 'azure-preview';
}

/** How a target names its endpoint: a full URL, or an Azure resource / OpenAI model plus a flavour. */
export interface EndpointSpec {
  /** Full ws:// or wss:// URL (private endpoints, gateways, the simulator). */
  endpoint?: string;
  /** Azure resource name (`<resource>.openai.azure.com`) or a full https host. */
  resource?: string;
  /** Azure deployment name, or the OpenAI model. */
  deployment?: string;
  flavour?: Flavour;
  /** Overrides the dialect inferred from the flavour (`--dialect`). */
  dialect?: Dialect;
  apiVersion?: string;
}

export interface ResolvedEndpoint {
  url: URL;
  flavour: Flavour;
  dialect: Dialect;
  /** Deployment or model named in the URL, if any. */
  deployment: string | undefined;
  /** Extra headers the flavour needs (never auth). */
  headers: Record<string, string>;
}

/** Infers the flavour of a full URL from its path; `/v1/realtime` on a non-Azure host is OpenAI. */
export function inferFlavour(url: URL): Flavour {
  const path = url.pathname.replace(/\/+$/, '');
  if (path.endsWith('/openai/v1/realtime')) return 'azure-ga';
  if (path.endsWith('/openai/realtime')) return 'azure-preview';
  if (path.endsWith('/v1/realtime')) return 'openai-ga';
  throw new ConfigError(
    'endpoint',
    `cannot infer the flavour from path "${url.pathname}": expected /openai/v1/realtime, /openai/realtime or /v1/realtime (or pass a flavour)`,
  );
}

function parseWsUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('endpoint', 'is not a valid URL');
  }
  if (url.protocol === 'https:') url.protocol = 'wss:';
  if (url.protocol === 'http:') url.protocol = 'ws:';
  if (url.protocol !== 'ws:' && url.protocol !== 'wss:') {
    throw new ConfigError('endpoint', `must be a ws:// or wss:// URL, got ${url.protocol}`);
  }
  return url;
}

function azureHost(resource: string): string {
  if (resource.includes('.')) return resource.replace(/^[a-z]+:\/\//, '').replace(/\/.*$/, '');
  return `${resource}.openai.azure.com`;
}

/** Builds the WebSocket URL and the flavour headers for a target. Throws ConfigError naming the field. */
export function resolveEndpoint(spec: EndpointSpec): ResolvedEndpoint {
  let url: URL;
  let flavour: Flavour;
  if (spec.endpoint) {
    url = parseWsUrl(spec.endpoint);
    flavour = spec.flavour ?? inferFlavour(url);
    if (spec.deployment) {
      if (flavour === 'azure-preview' && !url.searchParams.has('deployment')) url.searchParams.set('deployment', spec.deployment);
      if (flavour !== 'azure-preview' && !url.searchParams.has('model')) url.searchParams.set('model', spec.deployment);
    }
    if (flavour === 'azure-preview' && !url.searchParams.has('api-version')) {
      url.searchParams.set('api-version', spec.apiVersion ?? DEFAULT_AZURE_PREVIEW_API_VERSION);
    }
  } else {
    flavour = spec.flavour ?? (spec.resource ? 'azure-ga' : 'openai-ga');
    if (!spec.deployment) throw new ConfigError('deployment', 'is required when no endpoint URL is given');
    if (flavour === 'azure-ga' || flavour === 'azure-preview') {
      if (!spec.resource) throw new ConfigError('resource', `is required for flavour ${flavour}`);
      const host = azureHost(spec.resource);
      if (flavour === 'azure-ga') {
        url = new URL(`wss://${host}/openai/v1/realtime`);
        url.searchParams.set('model', spec.deployment);
      } else {
        url = new URL(`wss://${host}/openai/realtime`);
        url.searchParams.set('api-version', spec.apiVersion ?? DEFAULT_AZURE_PREVIEW_API_VERSION);
        url.searchParams.set('deployment', spec.deployment);
      }
    } else {
      url = new URL('wss://api.openai.com/v1/realtime');
      url.searchParams.set('model', spec.deployment);
    }
  }
  if (flavour === 'azure-ga' && url.searchParams.has('api-version')) {
    throw new ConfigError('endpoint', 'Azure GA (/openai/v1/realtime) URLs must not carry api-version: the service answers 401');
  }
  const dialect = spec.dialect ?? dialectOf(flavour);
  const headers: Record<string, string> = {};
  if (dialect === 'beta' && !isAzure(flavour)) headers['OpenAI-Beta'] = 'realtime=v1';
  if (flavour === 'openai-ga' && dialect === 'beta') flavour = 'openai-beta';
  if (flavour === 'openai-beta' && dialect === 'beta') headers['OpenAI-Beta'] = 'realtime=v1';
  const deployment = url.searchParams.get('deployment') ?? url.searchParams.get('model') ?? spec.deployment;
  return { url, flavour, dialect, deployment: deployment ?? undefined, headers };
}
