/**
 * The simulator's WebRTC endpoints, at the real paths of the flavours the table marks WebRTC-capable:
 * `POST …/realtime/client_secrets` (ephemeral key), `POST …/realtime/calls` (SDP offer with `Bearer ek_…`, or the
 * unified multipart form with the standard key) → 201 + OpenAI's `Location: …/realtime/calls/rtc_…` + the SDP
 * answer, and the sideband WebSocket
 * (`…/realtime?call_id=rtc_…`). `?scenario=` picks an event scenario or a WebRTC scenario (mediaFaults.ts);
 * Azure's `?webrtcfilter=on` narrows the data channel to the filter's events.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { callLocation, flavourAtPath, flavourInfo, isAzure, type Flavour } from '../../realtime/flavours.js';
import type { AnswerBook } from '../answers.js';
import { createIdMinter, createRng, mixSeed } from '../random.js';
import type { Scenario } from '../scenario.js';
import type { SpokenAnswer } from '../speech.js';
import { defaultRefusalBody } from '../refusals.js';
import { writeRefusal } from '../upgrade.js';
import { SimCall } from './call.js';
import { BUILTIN_WEBRTC_SCENARIOS, type WebRtcScenario } from './mediaFaults.js';
import type { RtpSendObserver } from './mediaSender.js';
import { parseMultipart } from './multipart.js';

/** WebRTC options of the simulator. */
export interface WebRtcSimOptions {
  /** Extra WebRTC scenarios, by name (they may override the built-ins). */
  scenarios?: Record<string, WebRtcScenario>;
  /** Called right before each RTP packet is sent. */
  onRtpSend?: RtpSendObserver;
}

export interface WebRtcHandlerDeps {
  apiKey: string;
  host: string;
  scenarios: ReadonlyMap<string, Scenario>;
  defaultScenario: Scenario;
  answers: AnswerBook;
  speak: (text: string) => SpokenAnswer;
  seed: number;
  /** Next connection ordinal (shared with the WebSocket side so ids never repeat). */
  nextOrdinal: () => number;
  log: (line: string) => void;
  options: WebRtcSimOptions | undefined;
}

export interface WebRtcHandler {
  /** Handles the request if it is a WebRTC endpoint; false otherwise. */
  handle(req: IncomingMessage, res: ServerResponse): boolean;
  /** Handles a sideband upgrade (`?call_id=`); false when the request is not one. */
  upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): boolean;
  close(): void;
}

const MAX_BODY = 256 * 1024;
const EK_TTL_DEFAULT_S = 600;

/** The WebRTC flavour and endpoint a request path names: `<path>/client_secrets` or `<path>/calls` of a WebRTC flavour. */
function webrtcRoute(pathname: string): { flavour: Flavour; endpoint: string } | undefined {
  const m = /^(.*)\/(client_secrets|calls)$/.exec(pathname.replace(/\/+$/, ''));
  const flavour = m ? flavourAtPath(m[1]!) : undefined;
  return m && flavour && flavourInfo(flavour).webrtc ? { flavour, endpoint: m[2]! } : undefined;
}

interface Ephemeral {
  expiresAt: number;
  azure: boolean;
  model: string;
  session: Record<string, unknown>;
}

type Reply = { status: number; headers?: Record<string, string>; body: string | object };

export function createWebRtcHandler(d: WebRtcHandlerDeps): WebRtcHandler {
  const media = new Map<string, WebRtcScenario>(
    Object.entries({ ...BUILTIN_WEBRTC_SCENARIOS, ...(d.options?.scenarios ?? {}) }),
  );
  const mint = createIdMinter(createRng(mixSeed('webrtc', d.seed)));
  const keys = new Map<string, Ephemeral>();
  const calls = new Map<string, SimCall>();
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false });

  const send = (res: ServerResponse, azure: boolean, r: Reply): void => {
    const body = typeof r.body === 'string' ? r.body : JSON.stringify(r.body);
    const id = mint('req');
    const ids = azure
      ? { 'apim-request-id': id, 'x-request-id': id, 'x-ms-region': 'Simulator' }
      : { 'x-request-id': id, 'openai-version': '2020-10-01' };
    res.writeHead(r.status, {
      'content-type': typeof r.body === 'string' ? 'application/sdp' : 'application/json',
      ...ids,
      ...r.headers,
    });
    res.end(body);
  };

  const standardKey = (req: IncomingMessage, azure: boolean): string | undefined => {
    const auth = req.headers.authorization;
    if (auth && /^bearer\s+/i.test(auth)) return auth.replace(/^bearer\s+/i, '').trim();
    const h = req.headers['api-key'];
    return azure && typeof h === 'string' ? h : undefined;
  };

  /** The event scenario and media scenario named by `?scenario=`. */
  const pick = (url: URL): { scenario: Scenario; media: WebRtcScenario | undefined } | Reply => {
    const name = url.searchParams.get('scenario');
    if (name === null) return { scenario: d.defaultScenario, media: undefined };
    const m = media.get(name);
    const scenario = m ? d.scenarios.get(m.base ?? 'healthy') : d.scenarios.get(name);
    if (!scenario)
      return {
        status: 400,
        body: {
          error: {
            message: `Unknown simulator scenario '${name}'.`,
            type: 'invalid_request_error',
            param: 'scenario',
            code: 'unknown_scenario',
          },
        },
      };
    return { scenario, media: m };
  };

  const clientSecret = (req: IncomingMessage, url: URL, azure: boolean, body: Buffer): Reply => {
    if (standardKey(req, azure) !== d.apiKey) return { status: 401, body: defaultRefusalBody(401, azure) as object };
    const picked = pick(url);
    if ('status' in picked) return picked;
    if (picked.scenario.upgrade)
      return {
        status: picked.scenario.upgrade.status,
        body: (picked.scenario.upgrade.body ??
          defaultRefusalBody(picked.scenario.upgrade.status, azure, picked.scenario.upgrade.reason)) as object,
      };
    let parsed: { session?: Record<string, unknown>; expires_after?: { seconds?: number } };
    try {
      parsed = body.length ? (JSON.parse(body.toString('utf8')) as typeof parsed) : {};
    } catch {
      return {
        status: 400,
        body: {
          error: {
            message: 'We could not parse the JSON body of your request.',
            type: 'invalid_request_error',
            param: null,
            code: null,
          },
        },
      };
    }
    const session = { type: 'realtime', model: 'gpt-realtime', ...(parsed.session ?? {}) };
    const ttl = Math.min(7200, Math.max(10, Number(parsed.expires_after?.seconds ?? EK_TTL_DEFAULT_S)));
    const value = `ek_${mint('key').slice(4)}`;
    const expiresAt = Math.floor(Date.now() / 1000) + ttl;
    if (keys.size > 10_000) keys.clear();
    keys.set(value, { expiresAt, azure, model: String(session.model), session });
    return { status: 200, body: { value, expires_at: expiresAt, session: { ...session, id: mint('sess') } } };
  };

  const call = async (req: IncomingMessage, url: URL, flavour: Flavour, body: Buffer): Promise<Reply> => {
    const azure = isAzure(flavour);
    const type = String(req.headers['content-type'] ?? '');
    let offer: string;
    let model: string;
    const key = standardKey(req, azure);
    if (/^multipart\/form-data/i.test(type)) {
      if (key !== d.apiKey) return { status: 401, body: defaultRefusalBody(401, azure) as object };
      const fields = parseMultipart(body, type);
      if (!fields?.sdp)
        return {
          status: 400,
          body: {
            error: {
              message: "Missing required form field 'sdp'.",
              type: 'invalid_request_error',
              param: 'sdp',
              code: null,
            },
          },
        };
      offer = fields.sdp;
      try {
        model = String((JSON.parse(fields.session ?? '{}') as { model?: unknown }).model ?? 'gpt-realtime');
      } catch {
        return {
          status: 400,
          body: {
            error: {
              message: "Form field 'session' is not valid JSON.",
              type: 'invalid_request_error',
              param: 'session',
              code: null,
            },
          },
        };
      }
    } else {
      const ek = key ? keys.get(key) : undefined;
      if (!ek || ek.expiresAt * 1000 < Date.now() || ek.azure !== azure)
        return { status: 401, body: defaultRefusalBody(401, azure) as object };
      if (!/^application\/sdp/i.test(type))
        return {
          status: 400,
          body: {
            error: {
              message: `Content-Type must be application/sdp, got '${type}'.`,
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          },
        };
      offer = body.toString('utf8');
      model = ek.model;
    }
    if (!/^v=0/m.test(offer) || !/^m=audio /m.test(offer))
      return {
        status: 400,
        body: {
          error: {
            message: 'The SDP offer is invalid: it needs an audio m-line.',
            type: 'invalid_request_error',
            param: 'sdp',
            code: 'invalid_offer',
          },
        },
      };
    const picked = pick(url);
    if ('status' in picked) return picked;
    if (picked.scenario.upgrade)
      return {
        status: picked.scenario.upgrade.status,
        body: (picked.scenario.upgrade.body ??
          defaultRefusalBody(picked.scenario.upgrade.status, azure, picked.scenario.upgrade.reason)) as object,
      };
    const callId = `rtc_${mint('call').slice(5)}`;
    const n = d.nextOrdinal();
    const sim = new SimCall({
      callId,
      flavour,
      dialect: 'ga',
      model,
      scenario: picked.scenario,
      media: picked.media,
      filter: flavourInfo(flavour).webrtcFilter && url.searchParams.get('webrtcfilter') === 'on',
      answers: d.answers,
      speak: d.speak,
      seed: d.seed,
      ordinal: n,
      bindAddress: d.host,
      onRtpSend: d.options?.onRtpSend,
      onEnded: () => calls.delete(callId),
      log: (line) => d.log(`[${flavour}/webrtc#${n}] ${line}`),
    });
    calls.set(callId, sim);
    try {
      const answer = await sim.answer(offer);
      d.log(`[${flavour}/webrtc#${n}] call ${callId}: scenario ${picked.media?.name ?? picked.scenario.name}`);
      return { status: 201, headers: { location: callLocation(callId) }, body: answer };
    } catch (err) {
      sim.end(`offer refused: ${(err as Error).message}`);
      return {
        status: 400,
        body: {
          error: {
            message: `The SDP offer could not be applied: ${(err as Error).message}`,
            type: 'invalid_request_error',
            param: 'sdp',
            code: 'invalid_offer',
          },
        },
      };
    }
  };

  return {
    handle(req, res) {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const route = webrtcRoute(url.pathname);
      if (!route) return false;
      const azure = isAzure(route.flavour);
      if (req.method !== 'POST') {
        send(res, azure, {
          status: 405,
          headers: { allow: 'POST' },
          body: {
            error: {
              message: `Method ${req.method} not allowed; use POST.`,
              type: 'invalid_request_error',
              param: null,
              code: null,
            },
          },
        });
        return true;
      }
      readBody(req)
        .then(
          async (body) => {
            if (!body)
              return send(res, azure, {
                status: 413,
                body: {
                  error: {
                    message: `Body larger than ${MAX_BODY} bytes.`,
                    type: 'invalid_request_error',
                    param: null,
                    code: null,
                  },
                },
              });
            send(
              res,
              azure,
              route.endpoint === 'calls'
                ? await call(req, url, route.flavour, body)
                : clientSecret(req, url, azure, body),
            );
          },
          () => res.destroy(),
        )
        .catch((err: unknown) => {
          d.log(`webrtc request failed: ${(err as Error).stack ?? String(err)}`);
          if (!res.headersSent)
            send(res, azure, {
              status: 500,
              body: { error: { message: 'Internal simulator error.', type: 'server_error', param: null, code: null } },
            });
        });
      return true;
    },
    upgrade(req, socket, head) {
      const url = new URL(req.url ?? '/', 'http://simulator');
      const callId = url.searchParams.get('call_id');
      const flavour = flavourAtPath(url.pathname.replace(/\/+$/, ''));
      if (callId === null || !flavour || !flavourInfo(flavour).webrtc) return false;
      const azure = isAzure(flavour);
      const target = calls.get(callId);
      if (standardKey(req, azure) !== d.apiKey)
        writeRefusal(socket, { status: 401, body: defaultRefusalBody(401, azure), headers: {} }, {});
      else if (!target)
        writeRefusal(
          socket,
          {
            status: 404,
            body: {
              error: {
                message: `No call '${callId}'.`,
                type: 'invalid_request_error',
                param: 'call_id',
                code: 'call_not_found',
              },
            },
            headers: {},
          },
          {},
        );
      else wss.handleUpgrade(req, socket, head, (ws) => target.addSideband(ws));
      return true;
    },
    close() {
      for (const c of [...calls.values()]) c.end('simulator closing');
      calls.clear();
      wss.close();
    },
  };
}

/** The request body, or undefined past MAX_BODY. */
function readBody(req: IncomingMessage): Promise<Buffer | undefined> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size <= MAX_BODY) chunks.push(c);
    });
    req.on('end', () => resolve(size > MAX_BODY ? undefined : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
