/**
 * The simulator's server: an HTTP(S) listener whose upgrade handler judges each request (upgrade.ts) and
 * hands accepted sockets to a SimConnection, or, for OpenAI's refusals after the 101, sends the `error` and
 * the close frame together. Every flavour is served at its real path, with its provider's upgrade headers.
 */
import { createServer as createHttpServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type WebSocket } from 'ws';
import { ConfigError } from '../errors.js';
import { flavourUrl, isAzure, type Flavour } from '../realtime/flavours.js';
import { loadCatalog, type PromptSpec } from '../prompts/catalog.js';
import { createAnswerBook } from './answers.js';
import { BUILTIN_SCENARIOS } from './builtin-scenarios.js';
import { SimConnection, type ServerSendObserver } from './connection.js';
import { createIdMinter, createRng, mixSeed } from './random.js';
import type { Scenario } from './scenario.js';
import { speak, type SpokenAnswer } from './speech.js';
import { createSelfSignedCert } from './tls.js';
import { upgradeHeaders } from './upgrade-headers.js';
import {
  judgeUpgrade,
  offeredProtocols,
  writeRefusal,
  type AfterUpgradeRefusal,
  type UpgradeTarget,
} from './upgrade.js';
import { createWebRtcHandler, type WebRtcSimOptions } from './webrtc/handler.js';

export interface SimulatorOptions {
  /** 0 = any free port (default 0). */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** The key the simulator accepts (default 'sim-key'). */
  apiKey?: string;
  /** Scenario for connections that do not pick one with `?scenario=` (default 'healthy'). */
  scenario?: string | Scenario;
  /** Extra named scenarios (they may override built-ins of the same name). */
  scenarios?: Record<string, Scenario>;
  /** Serve wss:// with a self-signed certificate for localhost / 127.0.0.1 (needs the openssl CLI). */
  tls?: boolean;
  /** Seed for everything random (default 1). */
  seed?: number;
  /** Called right before each server event is sent; `epochMs = performance.timeOrigin + performance.now()`. */
  onServerSend?: ServerSendObserver;
  log?: (line: string) => void;
  /** Prompt catalogue to match committed audio against (default: loadCatalog()). */
  catalog?: readonly PromptSpec[];
  /** Answer for input that matches no prompt (default: the count-to-twenty answer). */
  defaultAnswer?: string;
  /** WebSocket ping interval, ms (default 20 260, as OpenAI; 0 = none). A scenario's `pingIntervalMs` wins. */
  pingIntervalMs?: number;
  /** WebRTC side: extra media scenarios, an RTP send observer (see src/sim/webrtc). */
  webrtc?: WebRtcSimOptions;
}

export interface RunningSimulator {
  port: number;
  /** ws://host:port (wss:// with `tls`). */
  baseUrl: string;
  /** PEM of the self-signed certificate when `tls` is on (pass it as `ca` to trust it). */
  tlsCert: string | undefined;
  /** Resolves once every known answer has been rendered (turns after it start without a synthesis pause). */
  warmed: Promise<void>;
  /**
   * The URL for a flavour. `openai-beta` shares the `openai-ga` URL: as on the real service, the client
   * asks for beta with the `OpenAI-Beta: realtime=v1` header (or the `openai-beta.realtime-v1` subprotocol),
   * and is refused (`beta_api_shape_disabled`, close 4000).
   */
  url(flavour: Flavour, opts?: { scenario?: string; deployment?: string }): string;
  close(): Promise<void>;
}

const MAX_PAYLOAD = 32 * 1024 * 1024;
const SPEECH_CACHE = 64;
/** OpenAI's server PING cadence (LLMGW probe 9: every 20.26 s). */
export const DEFAULT_PING_INTERVAL_MS = 20_260;

function resolveScenarios(o: SimulatorOptions): { all: Map<string, Scenario>; fallback: Scenario } {
  const all = new Map<string, Scenario>(Object.entries({ ...BUILTIN_SCENARIOS, ...(o.scenarios ?? {}) }));
  if (typeof o.scenario === 'object') all.set(o.scenario.name, o.scenario);
  const name = typeof o.scenario === 'object' ? o.scenario.name : (o.scenario ?? 'healthy');
  const fallback = all.get(name);
  if (!fallback) throw new ConfigError('scenario', `unknown scenario "${name}"; known: ${[...all.keys()].join(', ')}`);
  return { all, fallback };
}

function loadDefaultCatalog(log: (line: string) => void): readonly PromptSpec[] {
  try {
    return loadCatalog();
  } catch (err) {
    log(`prompt catalogue unavailable (${(err as Error).message}); every turn gets the default answer`);
    return [];
  }
}

/** Starts the simulator and resolves once it listens. */
export async function startSimulator(o: SimulatorOptions = {}): Promise<RunningSimulator> {
  const log = o.log ?? ((): void => {});
  const seed = o.seed ?? 1;
  const apiKey = o.apiKey ?? 'sim-key';
  const host = o.host ?? '127.0.0.1';
  const { all, fallback } = resolveScenarios(o);
  const answers = createAnswerBook(o.catalog ?? loadDefaultCatalog(log), o.defaultAnswer);
  const speechCache = new Map<string, SpokenAnswer>();
  const speakCached = (text: string): SpokenAnswer => {
    let s = speechCache.get(text);
    if (!s) {
      if (speechCache.size >= SPEECH_CACHE) speechCache.delete(speechCache.keys().next().value as string);
      speechCache.set(text, (s = speak(text, seed)));
    }
    return s;
  };
  const cert = o.tls ? await createSelfSignedCert() : undefined;
  const webrtc = createWebRtcHandler({
    apiKey,
    host,
    scenarios: all,
    defaultScenario: fallback,
    answers,
    speak: speakCached,
    seed,
    log,
    options: o.webrtc,
    nextOrdinal: () => ++ordinal,
  });
  const onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    if (webrtc.handle(req, res)) return;
    const realtime = /\/realtime\/?$/.test((req.url ?? '').split('?')[0] ?? '');
    res.writeHead(realtime ? 426 : 404, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        error: {
          code: realtime ? '426' : '404',
          message: realtime ? 'Upgrade Required: connect with a WebSocket.' : 'Resource not found',
        },
      }),
    );
  };
  const server: Server = cert
    ? createHttpsServer({ cert: cert.cert, key: cert.key }, onRequest)
    : createHttpServer(onRequest);
  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_PAYLOAD,
    perMessageDeflate: false,
    // Select `realtime` (or another offered protocol), never one that carries the key: the 101 echoes it.
    handleProtocols: (protocols) =>
      protocols.has('realtime')
        ? 'realtime'
        : ([...protocols].find((p) => !p.startsWith('openai-insecure-api-key.')) ?? false),
  });
  const headerRng = createRng(mixSeed('requests', seed));
  const mintRequestId = createIdMinter(headerRng);
  const mintEventId = createIdMinter(createRng(mixSeed('refusal-events', seed)));
  const responseHeaders = (azure: boolean, req: IncomingMessage): Record<string, string> =>
    upgradeHeaders(azure, req, mintRequestId, headerRng);
  const extraHeaders = new WeakMap<IncomingMessage, Record<string, string>>();
  wss.on('headers', (headers, req) =>
    headers.push(...Object.entries(extraHeaders.get(req) ?? {}).map(([k, v]) => `${k}: ${v}`)),
  );
  const sockets = new Set<WebSocket>();
  let ordinal = 0;

  server.on('clientError', (_err, socket) => socket.destroy());
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    socket.on('error', (err) => log(`upgrade socket error: ${err.message}`));
    try {
      if (webrtc.upgrade(req, socket, head)) return;
      const verdict = judgeUpgrade(req, { apiKey, scenarios: all, defaultScenario: fallback });
      if (!verdict.ok) {
        log(`refused ${req.url?.split('?')[0]} with ${verdict.refusal.status}`);
        writeRefusal(socket, verdict.refusal, responseHeaders(verdict.azure, req));
        return;
      }
      const { target } = verdict;
      extraHeaders.set(req, responseHeaders(isAzure(target.flavour), req));
      wss.handleUpgrade(req, socket, head, (ws, request) => {
        if (target.refusal) refuseAfterUpgrade(ws, target, target.refusal);
        else accept(ws, target, offeredProtocols(request));
      });
    } catch (err) {
      log(`upgrade failed: ${(err as Error).stack ?? String(err)}`);
      writeRefusal(
        socket,
        { status: 500, body: { error: { code: '500', message: 'Internal simulator error.' } }, headers: {} },
        {},
      );
    }
  });

  /** OpenAI's refusal: the `error` and the close frame in the same millisecond, no `session.created`. */
  const refuseAfterUpgrade = (ws: WebSocket, target: UpgradeTarget, r: AfterUpgradeRefusal): void => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('error', (err) => log(`refused socket error: ${err.message}`));
    log(`[${target.flavour}] refused after the 101: ${r.error.code ?? r.error.message} → close ${r.closeCode}`);
    ws.send(JSON.stringify({ type: 'error', event_id: mintEventId('event'), error: r.error }));
    ws.close(r.closeCode, r.closeReason);
  };

  const accept = (ws: WebSocket, target: UpgradeTarget, protocols: string[]): void => {
    const n = ++ordinal;
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    const pingMs = target.scenario.pingIntervalMs ?? o.pingIntervalMs ?? DEFAULT_PING_INTERVAL_MS;
    if (pingMs > 0) {
      const pinger = setInterval(() => {
        if (ws.readyState === ws.OPEN) ws.ping(Buffer.from([0, 1, 2, 3].map(() => Math.floor(headerRng.next() * 256))));
      }, pingMs);
      ws.on('close', () => clearInterval(pinger));
    }
    const conn = new SimConnection({
      ws,
      flavour: target.flavour,
      dialect: target.dialect,
      model: target.model,
      scenario: target.scenario,
      answers,
      speak: speakCached,
      seed,
      ordinal: n,
      onServerSend: o.onServerSend,
      log: (line) => log(`[${target.flavour}#${n}] ${line}`),
    });
    const shown = protocols.filter((p) => !p.startsWith('openai-insecure-api-key.'));
    log(
      `[${target.flavour}#${n}] connected: dialect ${target.dialect}, scenario ${target.scenario.name}` +
        (protocols.length ? `, subprotocols ${shown.join(' ')}` : ''),
    );
    conn.start();
  };

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  server.on('error', (err) => log(`server error: ${err.message}`));
  // Render the answers of the caller's own scenarios, then the catalogue's, ahead of the first turn, one per tick,
  // so turns start without a synthesis pause (a built-in scenario's long answer renders when first used).
  const own = [...Object.values(o.scenarios ?? {}), ...(typeof o.scenario === 'object' ? [o.scenario] : [])];
  const warm = [
    ...new Set([...own.flatMap((s) => (s.answer !== undefined ? [s.answer] : [])), ...answers.knownAnswers()]),
  ];
  let warmTimer: NodeJS.Immediate | undefined;
  let warmDone: () => void = () => {};
  const warmed = new Promise<void>((resolve) => (warmDone = resolve));
  const warmNext = (): void => {
    const text = warm.shift();
    if (text !== undefined) speakCached(text);
    warmTimer = warm.length ? setImmediate(warmNext) : undefined;
    if (!warmTimer) warmDone();
  };
  warmTimer = setImmediate(warmNext);
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : (o.port ?? 0);
  const urlHost = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '[::1]' : host.includes(':') ? `[${host}]` : host;
  const baseUrl = `${cert ? 'wss' : 'ws'}://${urlHost}:${port}`;

  return {
    port,
    baseUrl,
    tlsCert: cert?.cert,
    warmed,
    url(flavour, opts = {}) {
      const u = flavourUrl(flavour, baseUrl, opts.deployment ?? 'gpt-realtime');
      if (opts.scenario) u.searchParams.set('scenario', opts.scenario);
      return u.toString();
    },
    async close() {
      if (warmTimer) clearImmediate(warmTimer);
      warmDone();
      webrtc.close();
      for (const ws of sockets) ws.terminate();
      sockets.clear();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
