/**
 * Drives one scripted Realtime session — N turns of prompt audio — and returns its trace. Transport-agnostic:
 * turns, deadlines, pacing, the loop-delay monitor, the caps and the recorder are here; the wire is a Transport
 * (websocket.ts today, chosen through transports.ts). The service's misbehaviour never throws: it becomes
 * entries in the trace. Only misuse (bad options) throws.
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { authHeaders, authRecord, authSecrets, type AuthSpec } from '../realtime/auth.js';
import { isAzure, type ResolvedEndpoint } from '../realtime/flavours.js';
import { redactUrl, urlSecrets } from '../realtime/redact.js';
import { OUTPUT_AUDIO_FORMATS } from '../realtime/events.js';
import { AudioSpill } from './audioSpill.js';
import { LoopMonitor } from './loopMonitor.js';
import { MAX_GENERATION_WINDOW_MS, PROBE_DEFAULTS, type ProbeOptions, type ResolvedProbeOptions } from './options.js';
import { DEFAULT_SESSION_LIMITS, TraceRecorder } from './recorder.js';
import { ScriptedSession } from './script.js';
import {
  TRACE_FORMAT_VERSION,
  type SessionEndEntry,
  type SessionLimits,
  type Trace,
  type TraceOptions,
  type TransportKind,
} from '../trace/trace.js';
import type { Transport } from './transport.js';
import { transportFactory } from './transports.js';
import { EventWaiter } from './waiter.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface ProbeTarget {
  name: string;
  endpoint: ResolvedEndpoint;
  auth: AuthSpec;
  region?: string;
}

/** Every secret value a target carries (its key or token, secret query parameters of its URL): scrubbed from anything written. */
export function targetSecrets(target: ProbeTarget): string[] {
  return [...authSecrets(target.auth), ...urlSecrets(target.endpoint.url)];
}

export function newRunId(now = new Date()): string {
  return `${now
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

export async function runProbe(target: ProbeTarget, options: ProbeOptions): Promise<Trace> {
  const o: ResolvedProbeOptions = { ...PROBE_DEFAULTS, ...stripUndefined(options), prompts: options.prompts };
  if (o.prompts.length === 0) throw new Error('runProbe needs at least one prompt');
  if (!(o.chunkMs >= 20 && o.chunkMs <= 100)) throw new Error(`chunkMs must be 20–100 ms, got ${o.chunkMs}`);
  if (!(o.generationWindowMs >= 0 && o.generationWindowMs <= MAX_GENERATION_WINDOW_MS))
    throw new Error(`generationWindowMs must be 0–${MAX_GENERATION_WINDOW_MS} ms, got ${o.generationWindowMs}`);
  if (!OUTPUT_AUDIO_FORMATS.includes(o.outputFormat))
    throw new Error(`outputFormat must be ${OUTPUT_AUDIO_FORMATS.join(' or ')}, got ${String(o.outputFormat)}`);
  if (o.outputFormat !== 'pcm16' && o.transport === 'webrtc')
    throw new Error(`outputFormat ${o.outputFormat} applies to the WebSocket only (WebRTC carries Opus)`);
  const factory = typeof o.transport === 'function' ? o.transport : transportFactory(o.transport ?? 'websocket');
  const { endpoint } = target;
  const secrets = targetSecrets(target);
  const startEpochMs = o.now ? o.now().getTime() : performance.timeOrigin + performance.now();
  const runId = o.runId ?? newRunId(new Date(startEpochMs));
  const limits: SessionLimits = { ...DEFAULT_SESSION_LIMITS, ...stripUndefined(o.limits ?? {}) };
  const eventIdPrefix = /([0-9a-f]{8})$/.exec(runId)?.[1] ?? randomUUID().slice(0, 8);
  const spill = o.audioSpillDir
    ? new AudioSpill(join(o.audioSpillDir, `${eventIdPrefix}-${randomUUID()}.pcm`))
    : undefined;
  const rec = new TraceRecorder(() => performance.now(), endpoint.dialect, secrets, { limits, eventIdPrefix, spill });
  const startedAt = new Date(startEpochMs).toISOString();
  const prompts = Array.from({ length: o.turns }, (_, i) => o.prompts[i % o.prompts.length]!);
  const traceOptions: TraceOptions = {
    turns: o.turns,
    turnDetection: o.turnDetection,
    modality: o.modality,
    chunkMs: o.chunkMs,
    turnTimeoutMs: o.turnTimeoutMs,
    sessionTimeoutMs: o.sessionTimeoutMs,
    connectTimeoutMs: o.connectTimeoutMs,
    settleMs: o.settleMs,
    generationWindowMs: o.generationWindowMs,
    pace: o.pace,
    limits,
  };
  let transportKind: TransportKind = typeof o.transport === 'string' ? o.transport : 'websocket';
  const finish = (): Trace =>
    rec.finish({
      kind: 'meta',
      formatVersion: TRACE_FORMAT_VERSION,
      runId,
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      target: {
        name: target.name,
        flavour: endpoint.flavour,
        dialect: endpoint.dialect,
        transport: transportKind,
        url: redactUrl(endpoint.url),
        host: endpoint.url.host,
        deployment: endpoint.deployment,
        region: target.region,
        ...(endpoint.notice ? { notice: endpoint.notice } : {}),
        auth: authRecord(target.auth),
      },
      startedAt,
      startEpochMs,
      options: traceOptions,
      prompts: prompts.map((p, i) => ({ turn: i + 1, id: p.id, text: p.text, expect: p.expect, bytes: p.pcm.length })),
    });
  let completeTrace: ((trace: Trace) => void) | undefined;
  const end = (reason: SessionEndEntry['reason']): Trace => {
    rec.add({ kind: 'session-end', reason: rec.limitExceeded ? 'limit-exceeded' : reason });
    const trace = finish();
    completeTrace?.(trace);
    return trace;
  };

  let headers: Record<string, string>;
  try {
    headers = { ...endpoint.headers, ...(await authHeaders(target.auth, endpoint.flavour)) };
    // an Entra token is known only now: it is scrubbed like a key from everything recorded
    if (target.auth.mode === 'entra') secrets.push(headers.Authorization!.replace(/^Bearer /, ''));
  } catch (err) {
    rec.add({ kind: 'socket-error', errorClass: 'auth', code: undefined, message: (err as Error).message });
    return end('connect-failed');
  }
  // a client request id on Azure handshakes, so an Azure support case can find this connection
  if (isAzure(endpoint.flavour)) headers['x-ms-client-request-id'] = randomUUID();
  const waiter = new EventWaiter();
  let transport: Transport;
  try {
    transport = await factory({
      endpoint,
      headers,
      rec,
      waiter,
      secrets,
      connectTimeoutMs: o.connectTimeoutMs,
      insecureTls: o.insecureTls,
    });
  } catch (err) {
    rec.add({
      kind: 'socket-error',
      errorClass: 'other',
      code: undefined,
      message: `the transport could not be loaded: ${(err as Error).message}`,
    });
    return end('connect-failed');
  }
  transportKind = transport.kind;
  completeTrace = transport.complete?.bind(transport);
  const monitor = new LoopMonitor(rec);
  monitor.start();
  try {
    const conn = await transport.connect();
    if (!conn.ok) return end(conn.reason);
    const session = new ScriptedSession(transport, rec, waiter, monitor, o, endpoint.dialect);
    return end(await session.run(prompts));
  } finally {
    monitor.stop();
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
