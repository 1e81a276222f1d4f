/**
 * The upgrade request, judged as the services judge it: path → flavour and dialect, required query
 * parameters (the flavour table's model parameter and api-version rules), the key, then the scenario (a
 * `scenario=<name>` query parameter, simulator-only) and its possible refusal. Azure refuses at HTTP level
 * (status, headers, JSON body). OpenAI accepts the upgrade and then refuses with an `error` event and a close
 * 3000 (auth) / 4000 (request shape) in the same millisecond (LLMGW capture 2026-09-18); since May 2026 that
 * includes every beta request (`beta_api_shape_disabled`).
 */
import type { IncomingMessage } from 'node:http';
import { STATUS_CODES } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  betaFlavourOf,
  dialectOf,
  flavourAtPath,
  flavourInfo,
  isAzure,
  type Dialect,
  type Flavour,
} from '../realtime/flavours.js';
import type { OpenAIRefusal, Scenario } from './scenario.js';

/** OpenAI's refusal after the 101: the `error` body, then a close frame. */
export interface AfterUpgradeRefusal {
  error: { type: 'invalid_request_error'; code: string | null; message: string; param: null; event_id: null };
  closeCode: 3000 | 4000;
  closeReason: string;
}

/** An accepted upgrade (possibly one OpenAI refuses right after the 101). */
export interface UpgradeTarget {
  flavour: Flavour;
  dialect: Dialect;
  /** Model or deployment named in the URL. */
  model: string;
  scenario: Scenario;
  refusal?: AfterUpgradeRefusal;
}

/** A refused upgrade: what goes back on the wire. */
export interface Refusal {
  status: number;
  body: unknown;
  headers: Record<string, string>;
}

export type UpgradeVerdict = { ok: true; target: UpgradeTarget } | { ok: false; refusal: Refusal; azure: boolean };

export interface UpgradeRules {
  apiKey: string;
  scenarios: ReadonlyMap<string, Scenario>;
  defaultScenario: Scenario;
}

const AZURE_401 =
  'Access denied due to invalid subscription key or wrong API endpoint. Make sure to provide a valid key for an ' +
  'active subscription and use a correct regional API endpoint for your resource.';

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
    401: {
      message: 'Incorrect API key provided. You can find your API key at https://platform.openai.com/account/api-keys.',
      type: 'invalid_request_error',
      code: 'invalid_api_key',
    },
    403: { message: 'You are not allowed to access this resource.', type: 'invalid_request_error', code: 'forbidden' },
    404: { message: 'Not found.', type: 'invalid_request_error', code: null },
    429: {
      message: 'Rate limit reached for requests. Please try again in 10s.',
      type: 'requests',
      code: 'rate_limit_exceeded',
    },
    503: { message: 'The engine is currently overloaded, please try again later.', type: 'server_error', code: null },
  };
  const e = errors[status] ?? { message: STATUS_CODES[status] ?? 'Error', type: 'invalid_request_error', code: null };
  return { error: { ...e, param: null } };
}

function refuse(status: number, body: unknown, headers: Record<string, string> = {}, azure = false): UpgradeVerdict {
  return {
    ok: false,
    azure,
    refusal: { status, body, headers: { ...(status === 429 ? { 'retry-after': '10' } : {}), ...headers } },
  };
}

const AZURE_DEPLOYMENT_NOT_FOUND =
  'The API deployment for this resource does not exist. If you created the deployment within the last 5 minutes, please wait a moment and try again.';

/** OpenAI's `error` + close for a problem found after the 101, worded as captured (LLMGW probes 7c, 8b, 10–11b). */
export function openaiRefusal(kind: OpenAIRefusal, model: string): AfterUpgradeRefusal {
  const make = (code: string | null, message: string, closeCode: 3000 | 4000): AfterUpgradeRefusal => ({
    error: { type: 'invalid_request_error', code, message, param: null, event_id: null },
    closeCode,
    closeReason: code ? `invalid_request_error.${code}` : 'invalid_request_error',
  });
  switch (kind) {
    case 'invalid_api_key':
      // The service quotes a masked key; the simulator quotes none of it (keys never reach a trace).
      return make(
        'invalid_api_key',
        'Incorrect API key provided: sk-***…***. You can find your API key at https://platform.openai.com/account/api-keys.',
        3000,
      );
    case 'missing_key':
      return make(null, 'Missing bearer or basic authentication in header', 3000);
    case 'invalid_model':
      return make('invalid_model', `Model "${model.slice(0, 100)}" is not supported in realtime mode.`, 4000);
    case 'missing_model':
      return make(
        'missing_model',
        'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime-1.5',
        4000,
      );
    case 'beta_api_shape_disabled':
      return make(
        'beta_api_shape_disabled',
        'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
        4000,
      );
  }
}

/** Azure's HTTP refusal for the same problem (beta is not an Azure problem: undefined). */
function azureRefusal(kind: OpenAIRefusal): UpgradeVerdict | undefined {
  if (kind === 'invalid_api_key' || kind === 'missing_key') return refuse(401, defaultRefusalBody(401, true), {}, true);
  if (kind === 'invalid_model' || kind === 'missing_model')
    return refuse(404, { error: { code: 'DeploymentNotFound', message: AZURE_DEPLOYMENT_NOT_FOUND } }, {}, true);
  return undefined;
}

function header(req: IncomingMessage, name: string): string | undefined {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
}

/** Subprotocols the client offered (`Sec-WebSocket-Protocol`). */
export function offeredProtocols(req: IncomingMessage): string[] {
  return (header(req, 'sec-websocket-protocol') ?? '')
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
}

/** Every credential the request carries, by where the flavour allows it. */
function presentedKeys(req: IncomingMessage, url: URL, azure: boolean): string[] {
  const keys: string[] = [];
  const auth = header(req, 'authorization');
  if (auth && /^bearer\s+/i.test(auth)) keys.push(auth.replace(/^bearer\s+/i, '').trim());
  for (const p of offeredProtocols(req))
    if (p.startsWith('openai-insecure-api-key.')) keys.push(p.slice('openai-insecure-api-key.'.length));
  if (azure) {
    const h = header(req, 'api-key');
    if (h !== undefined) keys.push(h);
    const q = url.searchParams.get('api-key');
    if (q !== null) keys.push(q);
  }
  return keys;
}

function missingParam(name: string): UpgradeVerdict {
  return refuse(
    400,
    { error: { code: 'BadRequest', message: `Missing required query parameter: '${name}'.` } },
    {},
    true,
  );
}

/** Decides what to do with an upgrade request. Never throws. */
export function judgeUpgrade(req: IncomingMessage, rules: UpgradeRules): UpgradeVerdict {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://simulator');
  } catch {
    return refuse(400, { error: { code: 'BadRequest', message: 'Malformed request URL.' } });
  }
  const served = flavourAtPath(url.pathname.replace(/\/+$/, ''));
  if (!served) return refuse(404, { error: { code: '404', message: 'Resource not found' } });
  const azure = isAzure(served);
  const betaAsked =
    /realtime=v1/i.test(header(req, 'openai-beta') ?? '') || offeredProtocols(req).includes('openai-beta.realtime-v1');
  const flavour: Flavour = betaAsked ? betaFlavourOf(served) : served;
  const row = flavourInfo(flavour);
  const dialect = dialectOf(flavour);
  const scenarioName = url.searchParams.get('scenario');
  const scenario = scenarioName === null ? rules.defaultScenario : rules.scenarios.get(scenarioName);
  if (row.refusesApiVersion && url.searchParams.has('api-version')) {
    return refuse(
      401,
      {
        error: {
          code: '401',
          message: `${AZURE_401} (The api-version query parameter is not supported on /openai/v1 endpoints.)`,
        },
      },
      {},
      true,
    );
  }
  const keys = presentedKeys(req, url, azure);
  const model = url.searchParams.get(row.modelParam) ?? '';
  // OpenAI: every problem of the request is an error + close after the 101, auth first (close 3000).
  const accept = (refusal?: AfterUpgradeRefusal): UpgradeVerdict => ({
    ok: true,
    target: { flavour, dialect, model, scenario: scenario ?? rules.defaultScenario, ...(refusal ? { refusal } : {}) },
  });
  if (!keys.includes(rules.apiKey)) {
    if (!azure) return accept(openaiRefusal(keys.length === 0 ? 'missing_key' : 'invalid_api_key', model));
    return refuse(401, defaultRefusalBody(401, true), {}, true);
  }
  if (!azure) {
    if (betaAsked) return accept(openaiRefusal('beta_api_shape_disabled', model));
    if (!model) return accept(openaiRefusal('missing_model', model));
    if (!/realtime/i.test(model)) return accept(openaiRefusal('invalid_model', model));
  } else {
    if (row.defaultApiVersion && !url.searchParams.get('api-version'))
      return refuse(404, defaultRefusalBody(404, true), {}, true);
    if (!model) return missingParam(row.modelParam);
  }
  if (!scenario) {
    return refuse(
      400,
      {
        error: {
          message: `Unknown simulator scenario '${scenarioName}'. Known: ${[...rules.scenarios.keys()].join(', ')}.`,
          type: 'invalid_request_error',
          param: 'scenario',
          code: 'unknown_scenario',
        },
      },
      {},
      azure,
    );
  }
  if (scenario.refusal) {
    if (!azure) return accept(openaiRefusal(scenario.refusal, model));
    const http = azureRefusal(scenario.refusal);
    if (http) return http;
  }
  if (scenario.upgrade) {
    const { status, body, headers } = scenario.upgrade;
    return refuse(status, body ?? defaultRefusalBody(status, azure), headers, azure);
  }
  return accept();
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
  const head = [
    `HTTP/1.1 ${refusal.status} ${STATUS_CODES[refusal.status] ?? ''}`,
    ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`),
  ];
  if (!socket.writable) {
    socket.destroy();
    return;
  }
  socket.once('finish', () => socket.destroy());
  socket.end(`${head.join('\r\n')}\r\n\r\n${body}`);
}
