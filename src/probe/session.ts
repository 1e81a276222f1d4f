/**
 * Drives one scripted Realtime session — N turns of prompt audio — and returns its trace.
 * The service's misbehaviour never throws: it becomes entries in the trace. Only misuse (bad options) throws.
 */
import { randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type WebSocket from 'ws';
import { authHeaders, authSecrets, type AuthSpec } from '../realtime/auth.js';
import { EV, sessionUpdateEvent, type OutputModality, type TurnDetection } from '../realtime/events.js';
import type { Dialect, ResolvedEndpoint } from '../realtime/flavours.js';
import { redactUrl, urlSecrets } from '../realtime/redact.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import { classifySocketError, connect } from './connect.js';
import type { PromptSpec } from './prompts.js';
import { TraceRecorder } from './recorder.js';
import { TRACE_FORMAT_VERSION, type SessionEndEntry, type Trace, type TraceOptions, type TurnOutcome } from './trace.js';
import { EventWaiter } from './waiter.js';
import { TOOL_NAME, TOOL_VERSION } from '../version.js';

export interface ProbeTarget {
  name: string;
  endpoint: ResolvedEndpoint;
  auth: AuthSpec;
  region?: string;
}

export interface ProbeOptions {
  /** One prompt per turn; cycled when shorter than `turns`. */
  prompts: PromptSpec[];
  turns?: number;
  turnDetection?: TurnDetection;
  modality?: OutputModality;
  instructions?: string;
  voice?: string;
  chunkMs?: number;
  turnTimeoutMs?: number;
  sessionTimeoutMs?: number;
  connectTimeoutMs?: number;
  settleMs?: number;
  /** Wait for `response.done` after the probe's own `response.cancel`. */
  cancelWaitMs?: number;
  insecureTls?: boolean;
  runId?: string;
  /** Progress lines (turn n of N). */
  onProgress?: (line: string) => void;
}

export const PROBE_DEFAULTS = {
  turns: 3,
  turnDetection: 'manual' as TurnDetection,
  modality: 'audio' as OutputModality,
  instructions: 'You are a test voice. Answer the request fully, speaking clearly, without asking questions.',
  voice: 'alloy',
  chunkMs: 100,
  turnTimeoutMs: 30_000,
  sessionTimeoutMs: 180_000,
  connectTimeoutMs: 10_000,
  settleMs: 300,
  cancelWaitMs: 2_000,
};

/** Silence appended after the prompt in server-VAD mode, so the service detects the end of speech. */
const VAD_TRAILING_SILENCE_MS = 1_200;

/** Every secret value a target carries (its key or token, secret query parameters of its URL): scrubbed from anything written. */
export function targetSecrets(target: ProbeTarget): string[] {
  return [...authSecrets(target.auth), ...urlSecrets(target.endpoint.url)];
}

export function newRunId(now = new Date()): string {
  return `${now.toISOString().replace(/[-:]/g, '').replace(/\.\d+Z$/, 'Z')}-${randomUUID().slice(0, 8)}`;
}

export async function runProbe(target: ProbeTarget, options: ProbeOptions): Promise<Trace> {
  const o: Resolved = { ...PROBE_DEFAULTS, ...stripUndefined(options), prompts: options.prompts };
  if (o.prompts.length === 0) throw new Error('runProbe needs at least one prompt');
  const { endpoint } = target;
  const secrets = targetSecrets(target);
  const rec = new TraceRecorder(() => performance.now(), endpoint.dialect, secrets);
  const startEpochMs = performance.timeOrigin + performance.now();
  const startedAt = new Date(startEpochMs).toISOString();
  const prompts = Array.from({ length: o.turns }, (_, i) => o.prompts[i % o.prompts.length]!);
  const traceOptions: TraceOptions = {
    turns: o.turns, turnDetection: o.turnDetection, modality: o.modality, chunkMs: o.chunkMs,
    turnTimeoutMs: o.turnTimeoutMs, sessionTimeoutMs: o.sessionTimeoutMs, connectTimeoutMs: o.connectTimeoutMs, settleMs: o.settleMs,
  };
  const finish = (): Trace =>
    rec.finish({
      kind: 'meta', formatVersion: TRACE_FORMAT_VERSION, runId: o.runId ?? newRunId(new Date(startEpochMs)),
      tool: { name: TOOL_NAME, version: TOOL_VERSION },
      target: {
        name: target.name, flavour: endpoint.flavour, dialect: endpoint.dialect, url: redactUrl(endpoint.url),
        host: endpoint.url.host, deployment: endpoint.deployment, region: target.region,
      },
      startedAt, startEpochMs, options: traceOptions,
      prompts: prompts.map((p, i) => ({ turn: i + 1, id: p.id, text: p.text, expect: p.expect, bytes: p.pcm.length })),
    });
  const end = (reason: SessionEndEntry['reason']): Trace => {
    rec.add({ kind: 'session-end', reason });
    return finish();
  };

  let headers: Record<string, string>;
  try {
    headers = { ...endpoint.headers, ...(await authHeaders(target.auth, endpoint.flavour)) };
  } catch (err) {
    rec.add({ kind: 'socket-error', errorClass: 'auth', code: undefined, message: (err as Error).message });
    return end('connect-failed');
  }
  const waiter = new EventWaiter();
  const conn = await connect({ url: endpoint.url, headers, connectTimeoutMs: o.connectTimeoutMs, insecureTls: o.insecureTls }, rec, waiter, secrets);
  if (!conn.ok) return end(conn.reason);

  const session = new ScriptedSession(conn.ws, rec, waiter, secrets, o, endpoint.dialect);
  const reason = await session.run(prompts);
  return end(reason);
}

type Resolved = typeof PROBE_DEFAULTS & ProbeOptions;

class ScriptedSession {
  #clientClosing = false;
  #closeRecorded: Promise<void>;

  constructor(
    private readonly ws: WebSocket,
    private readonly rec: TraceRecorder,
    private readonly waiter: EventWaiter,
    secrets: readonly string[],
    private readonly o: Resolved,
    private readonly dialect: Dialect,
  ) {
    ws.on('error', (err: NodeJS.ErrnoException) => rec.add({ kind: 'socket-error', ...classifySocketError(err, secrets) }));
    this.#closeRecorded = new Promise((resolve) => {
      ws.on('close', (code: number, reason: Buffer) => {
        rec.add({ kind: 'close', code, reason: reason.toString('utf8'), initiatedBy: this.#clientClosing ? 'client' : 'server' });
        this.waiter.close();
        resolve();
      });
    });
  }

  async run(prompts: PromptSpec[]): Promise<SessionEndEntry['reason']> {
    let sessionTimedOut = false;
    const deadline = setTimeout(() => {
      sessionTimedOut = true;
      this.rec.add({ kind: 'timeout', scope: 'session', waitingFor: 'end of session', afterMs: this.o.sessionTimeoutMs });
      this.waiter.close();
    }, this.o.sessionTimeoutMs);
    try {
      const reason = await this.#script(prompts);
      return sessionTimedOut ? 'session-timeout' : reason;
    } finally {
      clearTimeout(deadline);
      await this.#shutdown();
    }
  }

  async #script(prompts: PromptSpec[]): Promise<SessionEndEntry['reason']> {
    const created = await this.waiter.waitFor((e) => e.type === EV.sessionCreated, this.o.connectTimeoutMs, 0);
    if (created.kind === 'timeout') this.rec.add({ kind: 'timeout', scope: 'session-created', waitingFor: EV.sessionCreated, afterMs: this.o.connectTimeoutMs });
    if (created.kind === 'closed') return this.#skipFrom(1, prompts);

    this.#send(sessionUpdateEvent(this.dialect, { instructions: this.o.instructions, voice: this.o.voice, turnDetection: this.o.turnDetection, modality: this.o.modality }));
    const updated = await this.waiter.waitFor((e) => e.type === EV.sessionUpdated || e.type === EV.error, this.o.connectTimeoutMs);
    if (updated.kind === 'timeout') this.rec.add({ kind: 'timeout', scope: 'session-updated', waitingFor: EV.sessionUpdated, afterMs: this.o.connectTimeoutMs });
    if (updated.kind === 'closed') return this.#skipFrom(1, prompts);

    for (let i = 0; i < prompts.length; i++) {
      const turn = i + 1;
      const prompt = prompts[i]!;
      this.o.onProgress?.(`turn ${turn} of ${prompts.length} (${prompt.id})`);
      const outcome = await this.#turn(turn, prompt);
      this.rec.add({ kind: 'turn-end', outcome });
      if (outcome === 'closed') return this.#skipFrom(turn + 1, prompts);
      if (outcome === 'timeout' && !(await this.#cancelAfterTimeout())) {
        this.#skipFrom(turn + 1, prompts);
        return 'stalled';
      }
    }
    return 'completed';
  }

  async #turn(turn: number, prompt: PromptSpec): Promise<TurnOutcome> {
    this.rec.turn = turn;
    this.rec.setPrompt(turn, prompt.pcm);
    this.rec.add({ kind: 'turn-start', promptId: prompt.id });
    const since = this.waiter.mark();
    await this.#streamAudio(prompt.pcm, 0);
    if (this.o.turnDetection === 'manual') {
      this.#send({ type: 'input_audio_buffer.commit' });
      this.#send({ type: 'response.create' });
    } else {
      await this.#streamAudio(Buffer.alloc(VAD_TRAILING_SILENCE_MS * BYTES_PER_MS), prompt.pcm.length);
    }
    const done = await this.waiter.waitFor((e) => e.type === EV.responseDone, this.o.turnTimeoutMs, since);
    if (done.kind === 'closed') return 'closed';
    if (done.kind === 'timeout') {
      this.rec.add({ kind: 'timeout', scope: 'turn', waitingFor: EV.responseDone, afterMs: this.o.turnTimeoutMs });
      return 'timeout';
    }
    await this.waiter.sleep(this.o.settleMs); // let trailing events land before the next turn's appends
    return this.waiter.closed ? 'closed' : 'response-done';
  }

  /** Appends `pcm` in `chunkMs` chunks; `baseOffset` places them in the turn's sent audio. Stops if the socket closes. */
  async #streamAudio(pcm: Buffer, baseOffset: number): Promise<void> {
    const chunk = this.o.chunkMs * BYTES_PER_MS;
    for (let off = 0; off < pcm.length && !this.waiter.closed; off += chunk) {
      const slice = pcm.subarray(off, off + chunk);
      this.#send({ type: 'input_audio_buffer.append', audio: slice.toString('base64') }, { audioRef: { offset: baseOffset + off, bytes: slice.length } });
      await yieldToIncoming();
    }
  }

  /** After a turn deadline: cancel whatever is open. False when the service does not answer even that. */
  async #cancelAfterTimeout(): Promise<boolean> {
    this.#send({ type: 'response.cancel' }, { byProbe: 'turn-timeout' });
    const r = await this.waiter.waitFor((e) => e.type === EV.responseDone || (e.type === EV.error && isCancelNotActive(e.event)), this.o.cancelWaitMs);
    if (r.kind === 'timeout') this.rec.add({ kind: 'timeout', scope: 'cancel', waitingFor: EV.responseDone, afterMs: this.o.cancelWaitMs });
    return r.kind === 'event';
  }

  #skipFrom(turn: number, prompts: PromptSpec[]): SessionEndEntry['reason'] {
    for (let n = turn; n <= prompts.length; n++) {
      this.rec.turn = n;
      this.rec.add({ kind: 'turn-end', outcome: 'skipped' });
    }
    return 'closed-by-server';
  }

  #send(event: Record<string, unknown>, extra: Parameters<TraceRecorder['recordSend']>[1] = {}): void {
    if (this.ws.readyState !== this.ws.OPEN) return;
    this.rec.recordSend(event, extra);
    this.ws.send(JSON.stringify(event));
  }

  async #shutdown(): Promise<void> {
    if (this.ws.readyState === this.ws.OPEN || this.ws.readyState === this.ws.CONNECTING) {
      this.#clientClosing = true;
      this.ws.close(1000, 'probe finished');
      const t = setTimeout(() => {
        this.rec.add({ kind: 'timeout', scope: 'close', waitingFor: 'close frame', afterMs: 2000 });
        this.ws.terminate();
      }, 2000);
      await this.#closeRecorded;
      clearTimeout(t);
    } else if (this.ws.readyState === this.ws.CLOSING) {
      const t = setTimeout(() => this.ws.terminate(), 2000);
      await this.#closeRecorded;
      clearTimeout(t);
    }
  }
}

/**
 * Lets the event loop deliver incoming frames between two appends: with many sessions in one process, a
 * prompt streamed in one synchronous burst would delay other sessions' receive times by tens of ms.
 */
function yieldToIncoming(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

function isCancelNotActive(event: Record<string, unknown>): boolean {
  const error = event.error as { code?: unknown } | undefined;
  return error?.code === 'response_cancel_not_active';
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
