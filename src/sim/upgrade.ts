/**
 * The upgrade request, judged as the services judge it: path → flavour and dialect, required query
 * parameters, the key, then the scenario (a `scenario=<name>` query parameter, simulator-only) and its
 * possible refusal. Refusals carry the HTTP status, headers and JSON body the real service would send.
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import type { Dialect, Flavour } from '../realtime/flavours.js';
import type { Scenario } from './scenario.js';

/** An accepted upgrade. */
export interface UpgradeTarget {
  flavour: Flavour;
  dialect: Dialect;
  /** Model or deployment named in the URL. */
  model: string;
  scenario: Scenario;
}

/** A refused upgrade: what goes back on the wire. */
export interface Refusal {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type UpgradeVerdict = { ok: true; target: UpgradeTarget } | { ok: false; refusal: Refusal };

export interface UpgradeRules {
  apiKey: string;
  scenarios: ReadonlyMap<string, Scenario>;
  defaultScenario: Scenario;
}

const AZURE_401 =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an active subscription and use a correct regional API endpoint for your resource.';

/** The service's usual error body for a status, in the style of each provider. */
export function defaultRefusalBody(status: number, azure: boolean): unknown {
  if (azure) {
    const message: Record<number, string> = {
      401: AZURE_401,
      403: 'Access denied due to Virtual Network/Firewall rules.',
      404: 'Resource not found',
      429: 'Requests to the Realtime API have exceeded the rate limit of your current pricing tier. Please retry after 10 seconds.',
      503: 'The service is temporarily unable to process your request. Please try again later.',
    };
    return { error: { code: String(status), message: message[status] ?? STATUS_CODES[status] ?? 'Error' } };
  }
  const errors: Record<number, { message: string; type: string; code: string | null }> = {
    401: { message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.', type: 'invalid_request_error', code: 'invalid_api_key' },
    403: { message: 'You are not allowed to access this resource.', type: 'invalid_request_error', code: 'forbidden' },
    404: { message: 'Not found.', type: 'invalid_request_error', code: null },
    429: { message: 'Rate limit reached for requests. Please try again in 10s.', type: 'requests', code: 'rate_limit_exceeded' },
    503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
  };
  const e = errors[status] ?? { message: STATUS_CODES[status] ?? 'Error', type: 'invalid_request_error', code: null };
  return { error: { ...e, param: null } };
}

function refuse(status: number, body: unknown, headers: Record<string, string> = {}): UpgradeVerdict {
  return { ok: false, refusal: { status, body, headers: { ...(status === 429 ? { 'retry-after': '10' } : {}), ...headers } } };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Subprotocols the client offered (`Sec-WebSocket-Protocol`). */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (header(req, 'sec-websocket-protocol') ?? '').split(',').map((p) => p.trim()).filter(Boolean);
}

/** Every credential the request carries, by where the flavour allows it. */
function presentedKeys(req: IncomingMessage, url: URL, azure: boolean): string[] {
  const keys: string[] = [];
  const auth = header(req, 'authorization');
  if (auth && /^bearer\s+/i.test(auth)) keys.push(auth.replace(/^bearer\s+/i, '').trim());
  for (const p of offeredProtocols(req)) if (p.startsWith('openai-insecure-api-key.')) keys.push(p.slice('openai-insecure-api-key.'.length));
  if (azure) {
    const h = header(req, 'api-key');
    if (h !== undefined) keys.push(h);
    const q = url.searchParams.get('api-key');
    if (q !== null) keys.push(q);
  }
  return keys;
}

function missingParam(name: string, azure: boolean): UpgradeVerdict {
  if (azure) return refuse(400, { error: { code: 'BadRequest', message: `Missing required query parameter: '${name}'.` } });
  return refuse(400, { error: { message: `Missing required parameter: '${name}'.`, type: 'invalid_request_error', param: name, code: 'missing_required_parameter' } });
}

/** Decides what to do with an upgrade request. Never throws. */
export function judgeUpgrade(req: IncomingMessage, rules: UpgradeRules): UpgradeVerdict {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://simulator');
  } catch {
    return refuse(400, { error: { code: 'BadRequest', message: 'Malformed request URL.' } });
  }
  const path = url.pathname.replace(/\/+$/, '');
  let flavour: Flavour;
  if (path === '/openai/v1/realtime') flavour = 'azure-ga';
  else if (path === '/openai/realtime') flavour = 'azure-preview';
  else if (path === '/v1/realtime') {
    const beta = /realtime=v1/i.test(header(req, 'openai-beta') ?? '') || offeredProtocols(req).includes('openai-beta.realtime-v1');
    flavour = beta ? 'openai-beta' : 'openai-ga';
  } else {
    return refuse(404, { error: { code: '404', message: 'Resource not found' } });
  }
  const azure = flavour === 'azure-ga' || flavour === 'azure-preview';
  if (flavour === 'azure-ga' && url.searchParams.has('api-version')) {
    return refuse(401, { error: { code: '401', message: `${AZURE_401} (The api-version query parameter is not supported on /openai/v1 endpoints.)` } });
  }
  const keys = presentedKeys(req, url, azure);
  if (!keys.includes(rules.apiKey)) {
    if (keys.length === 0 && !azure) {
      return refuse(401, {
        error: {
          message: "You didn't provide an API key. You need to provide your API key in an Authorization header using Bearer auth (i.e. Authorization: Bearer YOUR_KEY).",
          type: 'invalid_request_error',
          param: null,
          code: null,
        },
      });
    }
    return refuse(401, defaultRefusalBody(401, azure));
  }
  let model: string | null;
  if (flavour === 'azure-preview') {
    if (!url.searchParams.get('api-version')) return refuse(404, defaultRefusalBody(404, true));
    model = url.searchParams.get('deployment');
    if (!model) return missingParam('deployment', true);
  } else {
    model = url.searchParams.get('model');
    if (!model) return missingParam('model', azure);
  }
  const name = url.searchParams.get('scenario');
  const scenario = name === null ? rules.defaultScenario : rules.scenarios.get(name);
  if (!scenario) {
    return refuse(400, {
      error: { message: `Unknown simulator scenario '${name}'. Known: ${[...rules.scenarios.keys()].join(', ')}.`, type: 'invalid_request_error', param: 'scenario', code: 'unknown_scenario' },
    });
  }
  if (scenario.upgrade) {
    const { status, body, headers } = scenario.upgrade;
    return refuse(status, body ?? defaultRefusalBody(status, azure), headers);
  }
  return { ok: true, target: { flavour, dialect: flavour === 'azure-ga' || flavour === 'openai-ga' ? 'ga' : 'beta', model, scenario } };
}

/** Writes a refusal as a plain HTTP response on the raw upgrade socket and closes it. */
export function writeRefusal(socket: Duplex, refusal: Refusal, extraHeaders: Record<string, string>): void {
  const body = typeof refusal.body === 'string' ? refusal.body : JSON.stringify(refusal.body);
  const headers: Record<string, string> = {
    'content-type': 'application/json',
    ...extraHeaders,
    ...refusal.headers,
    'content-length': String(Buffer.byteLength(body)),
    connection: 'close',
  };
  const head = [`HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
