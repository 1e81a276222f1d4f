/**
 * Endpoint flavours: where a Realtime deployment lives, which dialect it speaks, how its URL names the model, what it
 * can do and whether it still works. The table below is the only place that knows flavours — their names, paths and
 * query parameters; the probe, the simulator, the reports, the CLI and the benchmarks ask it (a new flavour is one row,
 * plus the docs and the report schema's enum, which test/realtime/flavours.test.ts holds to the table).
 *
 * - `azure-ga`      wss://<resource>.openai.azure.com/openai/v1/realtime?model=<deployment>   (GA event names, no api-version)
 * - `azure-preview` wss://<resource>.openai.azure.com/openai/realtime?api-version=<v>&deployment=<d> (beta event names;
 *                   deprecated by Azure on 2026-04-30, still served)
 * - `openai-ga`     wss://api.openai.com/v1/realtime?model=<model>
 * - `openai-beta`   same URL, header `OpenAI-Beta: realtime=v1` — retired by OpenAI in May 2026 (the service answers
 *                   101, `error` `beta_api_shape_disabled`, close 4000), so it is refused before connecting.
 */
import { ConfigError } from '../errors.js';

export type Dialect = 'ga' | 'beta';
export type Service = 'azure' | 'openai';
export type FlavourStatus = 'ga' | 'deprecated' | 'retired';

export interface FlavourInfo {
  /** Azure: the `api-key` auth header, an `x-ms-client-request-id` on the upgrade, Azure's id headers and refusals. */
  service: Service;
  dialect: Dialect;
  /** How help text and messages name the endpoint (`Azure GA`). */
  label: string;
  /** The URL path of the WebSocket endpoint. */
  path: string;
  /** The query parameter that names the model (or the Azure deployment). */
  modelParam: 'model' | 'deployment';
  /** The flavour needs `api-version`: this one is added when the URL has none. */
  defaultApiVersion?: string;
  /** The service answers 401 to a URL that carries `api-version`. */
  refusesApiVersion?: true;
  /** WebRTC: `<path>/client_secrets`, `<path>/calls` and the sideband WebSocket `<path>?call_id=`. */
  webrtc: boolean;
  /** Azure's data-channel filter: `webrtcfilter=on` on the calls URL. */
  webrtcFilter: boolean;
  status: FlavourStatus;
  /** What to tell the user about a deprecated or retired flavour. */
  message?: string;
  /** Correlation headers a response of this service is expected to carry (lower case), for the ids for support. */
  idHeaders: readonly string[];
}

const AZURE_ID_HEADERS = ['apim-request-id', 'x-request-id', 'x-ms-region', 'x-ms-client-request-id'] as const;
const OPENAI_ID_HEADERS = ['cf-ray'] as const;
const AZURE = { service: 'azure', idHeaders: AZURE_ID_HEADERS } as const;
const OPENAI = { service: 'openai', idHeaders: OPENAI_ID_HEADERS, webrtcFilter: false } as const;

export const OPENAI_BETA_RETIRED = 'OpenAI turned off the beta Realtime interface in May 2026; use openai-ga';
export const AZURE_PREVIEW_DEPRECATED =
  'Azure deprecated the preview Realtime API on 2026-04-30; move to /openai/v1/realtime';

const ROWS = {
  'azure-ga': {
    ...AZURE,
    dialect: 'ga',
    label: 'Azure GA',
    path: '/openai/v1/realtime',
    modelParam: 'model',
    refusesApiVersion: true,
    webrtc: true,
    webrtcFilter: true,
    status: 'ga',
  },
  'azure-preview': {
    ...AZURE,
    dialect: 'beta',
    label: 'Azure preview',
    path: '/openai/realtime',
    modelParam: 'deployment',
    defaultApiVersion: '2025-04-01-preview',
    webrtc: false,
    webrtcFilter: false,
    status: 'deprecated',
    message: AZURE_PREVIEW_DEPRECATED,
  },
  'openai-ga': {
    ...OPENAI,
    dialect: 'ga',
    label: 'OpenAI',
    path: '/v1/realtime',
    modelParam: 'model',
    webrtc: true,
    status: 'ga',
  },
  'openai-beta': {
    ...OPENAI,
    dialect: 'beta',
    label: "OpenAI's beta interface",
    path: '/v1/realtime',
    modelParam: 'model',
    webrtc: false,
    status: 'retired',
    message: OPENAI_BETA_RETIRED,
  },
} satisfies Record<string, FlavourInfo>;

export type Flavour = keyof typeof ROWS;
export const FLAVOUR_TABLE: Readonly<Record<Flavour, FlavourInfo>> = ROWS;
/** Every flavour, in the table's order. */
export const FLAVOURS = Object.keys(FLAVOUR_TABLE) as readonly Flavour[];
/** The flavour a target gets when it names a resource (Azure) or only a model (OpenAI) and no flavour. */
const DEFAULT_FLAVOUR: Readonly<Record<Service, Flavour>> = { azure: 'azure-ga', openai: 'openai-ga' };
const OPENAI_HOST = 'api.openai.com';

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

/** Whether a flavour is Azure's; a name read back from stored data (a report, the fleet index) that the table does not know is not. */
export function isAzure(flavour: string): boolean {
  return isFlavour(flavour) && serviceOf(flavour) === 'azure';
}

/** The flavours a probe can still use (not retired). */
export function usableFlavours(): Flavour[] {
  return FLAVOURS.filter((f) => FLAVOUR_TABLE[f].status !== 'retired');
}

/** The flavours a probe can reach over WebRTC. */
export function webrtcFlavours(): Flavour[] {
  return FLAVOURS.filter((f) => FLAVOUR_TABLE[f].webrtc);
}

/** The deprecation notice to show for a flavour, if it is deprecated (undefined for GA flavours). */
export function flavourNotice(flavour: Flavour): string | undefined {
  return FLAVOUR_TABLE[flavour].status === 'deprecated' ? FLAVOUR_TABLE[flavour].message : undefined;
}

/** The correlation headers a flavour's responses are expected to carry. */
export function idHeadersOf(flavour: Flavour): readonly string[] {
  return FLAVOUR_TABLE[flavour].idHeaders;
}

/** The paths the usable flavours are served at (each once, in the table's order). */
export function servedPaths(): string[] {
  return [...new Set(usableFlavours().map((f) => FLAVOUR_TABLE[f].path))];
}

/** The usable flavour served at exactly `path` (no prefix, no trailing slash), if any. */
export function flavourAtPath(path: string): Flavour | undefined {
  return usableFlavours().find((f) => FLAVOUR_TABLE[f].path === path);
}

/**
 * The flavour a request to `flavour`'s endpoint is when it asks for the beta dialect (`--dialect beta`, or the
 * `OpenAI-Beta: realtime=v1` header): OpenAI serves both dialects at one path, so it is the same path's beta flavour
 * (`openai-beta`, retired); an Azure path fixes its dialect, so an Azure flavour stays itself.
 */
export function betaFlavourOf(flavour: Flavour): Flavour {
  const row = FLAVOUR_TABLE[flavour];
  if (row.service === 'azure') return flavour;
  const beta = (f: Flavour): boolean =>
    FLAVOUR_TABLE[f].service === row.service &&
    FLAVOUR_TABLE[f].path === row.path &&
    FLAVOUR_TABLE[f].dialect === 'beta';
  return FLAVOURS.find(beta) ?? flavour;
}

/**
 * The WebSocket URL of `flavour` at `origin` (`wss://host[:port]`) naming `model` in the flavour's parameter, after the
 * `api-version` (`apiVersion`, else the flavour's default) when the flavour needs one. The simulator and the benches
 * build their URLs here too.
 */
export function flavourUrl(flavour: Flavour, origin: string, model: string, apiVersion?: string): URL {
  const row = FLAVOUR_TABLE[flavour];
  const url = new URL(`${origin}${row.path}`);
  if (row.defaultApiVersion) url.searchParams.set('api-version', apiVersion ?? row.defaultApiVersion);
  url.searchParams.set(row.modelParam, model);
  return url;
}

/** The `Location` of an answered WebRTC call, as OpenAI writes it (the simulator: for every flavour; the probe reads the call id). */
export function callLocation(callId: string): string {
  return `${FLAVOUR_TABLE['openai-ga'].path}/calls/${callId}`;
}

/**
 * The model or deployment a URL names: its `deployment` parameter (Azure preview), else its `model` parameter; null
 * when it names neither or is not a URL. The one reader for the endpoint, the run's model and the cost projection.
 */
export function modelOf(url: string | URL | undefined): string | null {
  if (url === undefined) return null;
  let u: URL;
  try {
    u = typeof url === 'string' ? new URL(url) : url;
  } catch {
    return null;
  }
  return u.searchParams.get('deployment') ?? u.searchParams.get('model');
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
  const paths = servedPaths();
  throw new ConfigError(
    'endpoint',
    `cannot infer the flavour from path "${url.pathname}": expected ${paths.slice(0, -1).join(', ')} or ${paths.at(-1)} (or pass a flavour)`,
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
    const row = FLAVOUR_TABLE[flavour];
    if (spec.deployment && !url.searchParams.has(row.modelParam)) url.searchParams.set(row.modelParam, spec.deployment);
    if (row.defaultApiVersion && !url.searchParams.has('api-version'))
      url.searchParams.set('api-version', spec.apiVersion ?? row.defaultApiVersion);
  } else {
    flavour = spec.flavour ?? DEFAULT_FLAVOUR[spec.resource ? 'azure' : 'openai'];
    if (!spec.deployment) throw new ConfigError('deployment', 'is required when no endpoint URL is given');
    if (isAzure(flavour) && !spec.resource) throw new ConfigError('resource', `is required for flavour ${flavour}`);
    const host = isAzure(flavour) ? azureHost(spec.resource!) : OPENAI_HOST;
    url = flavourUrl(flavour, `wss://${host}`, spec.deployment, spec.apiVersion);
  }
  const asked = FLAVOUR_TABLE[flavour];
  if (asked.refusesApiVersion && url.searchParams.has('api-version')) {
    throw new ConfigError(
      'endpoint',
      `${asked.label} (${asked.path}) URLs must not carry api-version: the service answers 401`,
    );
  }
  const dialect = spec.dialect ?? dialectOf(flavour);
  // OpenAI + beta dialect is the retired beta interface, however it was asked for (flavour or --dialect beta).
  if (dialect === 'beta') flavour = betaFlavourOf(flavour);
  const info = FLAVOUR_TABLE[flavour];
  if (info.status === 'retired') {
    throw new ConfigError(
      spec.dialect === 'beta' && spec.flavour !== flavour ? 'dialect' : 'flavour',
      info.message ?? `${flavour} is retired`,
    );
  }
  const headers: Record<string, string> = {};
  const deployment = modelOf(url) ?? spec.deployment;
  const notice = flavourNotice(flavour);
  return { url, flavour, dialect, deployment: deployment ?? undefined, headers, ...(notice ? { notice } : {}) };
}
