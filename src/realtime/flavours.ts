/**
 * Endpoint flavours: where a Realtime deployment lives, which dialect it speaks, and whether it still works.
 * The table below is the only place that knows flavours; the simulator, the reports and the benchmarks ask it.
 *
 * - `azure-ga`      wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>   (GA event names, no api-version)
 * - `azure-preview` wss://<resource>.openai.azure.com/openai/realtime?api-version=<v>&deployment=<d> (beta event names;
 *                   deprecated by Azure on 2026-04-30, still served)
 * - `openai-ga`     wss://api.openai.com/v1/realtime?model=<model>
 * - `openai-beta`   same URL, header `OpenAI-Beta: realtime=v1` — retired by OpenAI in May 2026 (the service answers
 *                   101, `error` `beta_api_shape_disabled`, close 4000), so it is refused before connecting.
 */
import { ConfigError } from '../errors.js';

export type Flavour = 'azure-ga' | 'azure-preview' | 'openai-ga' | 'openai-beta';
export type Dialect = 'ga' | 'beta';
export type Service = 'azure' | 'openai';
export type FlavourStatus = 'ga' | 'deprecated' | 'retired';

export interface FlavourInfo {
  service: Service;
  dialect: Dialect;
  /** The URL path of the WebSocket endpoint. */
  path: string;
  status: FlavourStatus;
  /** What to tell the user about a deprecated or retired flavour. */
  message?: string;
  /** Correlation headers a response of this service is expected to carry (lower case), for the ids for support. */
  idHeaders: readonly string[];
}

const AZURE_ID_HEADERS = ['apim-request-id', 'x-request-id', 'x-ms-region', 'x-ms-client-request-id'] as const;
const OPENAI_ID_HEADERS = ['cf-ray'] as const;

export const OPENAI_BETA_RETIRED = 'OpenAI turned off the beta Realtime interface in May 2026; use openai-ga';
export const AZURE_PREVIEW_DEPRECATED = 'Azure deprecated the preview Realtime API on 2026-04-30; move to /openai/v1/realtime';

export const FLAVOUR_TABLE: Readonly<Record<Flavour, FlavourInfo>> = {
  'azure-ga': { service: 'azure', dialect: 'ga', path: '/openai/v1/realtime', status: 'ga', idHeaders: AZURE_ID_HEADERS },
  'azure-preview': { service: 'azure', dialect: 'beta', path: '/openai/realtime', status: 'deprecated', message: AZURE_PREVIEW_DEPRECATED, idHeaders: AZURE_ID_HEADERS },
  'openai-ga': { service: 'openai', dialect: 'ga', path: '/v1/realtime', status: 'ga', idHeaders: OPENAI_ID_HEADERS },
  'openai-beta': { service: 'openai', dialect: 'beta', path: '/v1/realtime', status: 'retired', message: OPENAI_BETA_RETIRED, idHeaders: OPENAI_ID_HEADERS },
};

export const FLAVOURS: readonly Flavour[] = ['azure-ga', 'azure-preview', 'openai-ga', 'openai-beta'];
export const DEFAULT_AZURE_PREVIEW_API_VERSION = '2025-04-01-preview';

export function flavourInfo(flavour: Flavour): FlavourInfo {
  return FLAVOUR_TABLE[flavour];
}

export function isFlavour(value: string): value is Flavour {
  return (FLAVOURS as readonly string[]).includes(value);
}

export function dialectOf(flavour: Flavour): Dialect {
  return FLAVOUR_TABLE[flavour].dialect;
}

export function serviceOf(flavour: Flavour): Service {
  return FLAVOUR_TABLE[flavour].service;
}

export function isAzure(flavour: Flavour): boolean {
  return serviceOf(flavour) === 'azure';
}

/** The flavours a probe can still use (not retired). */
export function usableFlavours(): Flavour[] {
  return FLAVOURS.filter((f) => FLAVOUR_TABLE[f].status !== 'retired');
}

/** The deprecation notice to show for a flavour, if it is deprecated (undefined for GA flavours). */
export function flavourNotice(flavour: Flavour): string | undefined {
  return FLAVOUR_TABLE[flavour].status === 'deprecated' ? FLAVOUR_TABLE[flavour].message : undefined;
}

/** The correlation headers a flavour's responses are expected to carry. */
export function idHeadersOf(flavour: Flavour): readonly string[] {
  return FLAVOUR_TABLE[flavour].idHeaders;
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
  /** A deprecation notice to show the user (e.g. Azure preview), absent for GA flavours. */
  notice?: string;
}

/** Infers the flavour of a full URL from its path (longest table path first); `/v1/realtime` on a non-Azure host is OpenAI. */
export function inferFlavour(url: URL): Flavour {
  const path = url.pathname.replace(/\/+$/, '');
  const byPath = usableFlavours().sort((a, b) => FLAVOUR_TABLE[b].path.length - FLAVOUR_TABLE[a].path.length);
  const found = byPath.find((f) => path.endsWith(FLAVOUR_TABLE[f].path));
  if (found) return found;
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
    if (isAzure(flavour)) {
      if (!spec.resource) throw new ConfigError('resource', `is required for flavour ${flavour}`);
      const host = azureHost(spec.resource);
      if (flavour === 'azure-ga') {
        url = new URL(`wss://${host}${FLAVOUR_TABLE[flavour].path}`);
        url.searchParams.set('model', spec.deployment);
      } else {
        url = new URL(`wss://${host}${FLAVOUR_TABLE[flavour].path}`);
        url.searchParams.set('api-version', spec.apiVersion ?? DEFAULT_AZURE_PREVIEW_API_VERSION);
        url.searchParams.set('deployment', spec.deployment);
      }
    } else {
      url = new URL(`wss://api.openai.com${FLAVOUR_TABLE[flavour].path}`);
      url.searchParams.set('model', spec.deployment);
    }
  }
  if (flavour === 'azure-ga' && url.searchParams.has('api-version')) {
    throw new ConfigError('endpoint', 'Azure GA (/openai/v1/realtime) URLs must not carry api-version: the service answers 401');
  }
  const dialect = spec.dialect ?? dialectOf(flavour);
  // OpenAI + beta dialect is the retired beta interface, however it was asked for (flavour or --dialect beta).
  if (!isAzure(flavour) && dialect === 'beta') flavour = 'openai-beta';
  const info = FLAVOUR_TABLE[flavour];
  if (info.status === 'retired') throw new ConfigError(spec.dialect === 'beta' && spec.flavour !== 'openai-beta' ? 'dialect' : 'flavour', info.message ?? `${flavour} is retired`);
  const headers: Record<string, string> = {};
  const deployment = url.searchParams.get('deployment') ?? url.searchParams.get('model') ?? spec.deployment;
  const notice = flavourNotice(flavour);
  return { url, flavour, dialect, deployment: deployment ?? undefined, headers, ...(notice ? { notice } : {}) };
}
