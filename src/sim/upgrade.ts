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
  modelOf,
  type Dialect,
  type Flavour,
} from '../realtime/flavours.js';
import {
  AZURE_401_MESSAGE,
  azureRefusal,
  defaultRefusalBody,
  openaiRefusal,
  refusalHeaders,
  type AfterUpgradeRefusal,
} from './refusals.js';
import type { Scenario } from './scenario.js';

export type { AfterUpgradeRefusal } from './refusals.js';

/** An accepted upgrade (possibly one OpenAI refuses right after the 101). */
export interface UpgradeTarget {
  flavour: Flavour;
  dialect: Dialect;
  /** Model or deployment named in the URL (`modelOf`); it picks the model profile (profiles.ts). */
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

function refuse(status: number, body: unknown, headers: Record<string, string> = {}, azure = false): UpgradeVerdict {
  return {
    ok: false,
    azure,
    refusal: { status, body, headers: { ...refusalHeaders(status, azure), ...headers } },
  };
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
          message: `${AZURE_401_MESSAGE} (The api-version query parameter is not supported on /openai/v1 endpoints.)`,
        },
      },
      {},
      true,
    );
  }
  const keys = presentedKeys(req, url, azure);
  const model = modelOf(url) ?? '';
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
    if (!url.searchParams.get(row.modelParam)) return missingParam(row.modelParam);
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
    const http = azureRefusal(scenario.refusal, model);
    if (http) return refuse(http.status, http.body, {}, true);
  }
  if (scenario.upgrade) {
    const { status, body, headers, reason } = scenario.upgrade;
    return refuse(status, body ?? defaultRefusalBody(status, azure, reason, model), headers, azure);
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
