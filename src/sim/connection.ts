/**
 * One simulated Realtime session on an accepted WebSocket: sends `session.created`, answers client events
 * with the real names, payloads and error codes of its dialect, runs server VAD, hands turns to its Responses
 * (responses.ts), and ends the session at its cap. Bad client input becomes an `error` event; nothing here throws
 * to the server.
 */
import { performance } from 'node:perf_hooks';
import type { WebSocket } from 'ws';
import { BYTES_PER_MS } from '../audio/wav.js';
import { isRecord } from '../json.js';
import type { Dialect, Flavour } from '../realtime/flavours.js';
import { EV, wireEventType } from '../realtime/events.js';
import type { AnswerBook, TurnInput } from './answers.js';
import { transcriptionUsage, userItem, type ErrorBody } from './payloads.js';
import { DEFAULT_VAD, sessionObject, type SessionConfig } from './session-payloads.js';
import { MAX_SESSION_MS, sessionExpired } from './failures.js';
import { createIdMinter, createRng, mixSeed } from './random.js';
import { Responses } from './responses.js';
import type { Scenario } from './scenario.js';
import { protocolErrors as E, type RequestError } from './protocol-errors.js';
import { applySessionUpdate, responseModality } from './session-update.js';
import type { SpokenAnswer } from './speech.js';
import { EnergyVad } from './vad.js';

/** Observer of every server event, called right before `ws.send` (used by the timing benchmark). */
export type ServerSendObserver = (info: { eventId: string; type: string; epochMs: number }) => void;

/**
 * What a connection needs of its socket: a ws WebSocket, or the WebRTC call's data-channel adapter
 * (src/sim/webrtc/channelSocket.ts), so the same session machinery serves both transports.
 */
export type SimSocket = Pick<WebSocket, 'readyState' | 'OPEN' | 'terminate'> & {
  send(text: string): void;
  close(code: number, reason: string): void;
  on(event: 'message', fn: (data: Buffer | string, isBinary: boolean) => void): unknown;
  on(event: 'close', fn: () => void): unknown;
  on(event: 'error', fn: (err: Error) => void): unknown;
};

/** Everything a connection needs, passed in by the server. */
export interface ConnectionDeps {
  ws: SimSocket;
  flavour: Flavour;
  dialect: Dialect;
  model: string;
  scenario: Scenario;
  answers: AnswerBook;
  speak: (text: string) => SpokenAnswer;
  seed: number;
  /** Connection ordinal on this simulator (ids differ per connection, audio does not). */
  ordinal: number;
  onServerSend: ServerSendObserver | undefined;
  log: (line: string) => void;
}

const MIN_COMMIT_BYTES = 100 * BYTES_PER_MS;
/** Items kept for `conversation.item.retrieve` (the oldest are forgotten beyond this). */
const MAX_KEPT_ITEMS = 256;
/** The WebSocket protocol's limit on a close reason. */
const MAX_CLOSE_REASON_BYTES = 123;
const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

type Raw = Record<string, unknown>;

/** A simulated session bound to one socket. */
export class SimConnection {
  readonly #mint: (prefix: string) => string;
  #session: SessionConfig;
  readonly #conversationId: string;
  #lastItemId: string | null = null;
  readonly #items = new Map<string, Raw>();
  #totalBytes = 0;
  #bufferStart = 0;
  #vad: EnergyVad | undefined;
  #pendingItemId: string | undefined;
  #lastInput: TurnInput = { bytes: 0 };
  #inputAudioMs = 0;
  readonly #responses: Responses;
  #expiry: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(private readonly deps: ConnectionDeps) {
    this.#mint = createIdMinter(createRng(mixSeed('ids', deps.seed, deps.ordinal)));
    this.#session = {
      id: this.#mint('sess'),
      model: deps.model,
      modality: 'audio',
      voice: 'alloy',
      instructions: 'You are a helpful assistant. (realtime-canary simulator)',
      turnDetection: { ...DEFAULT_VAD },
      transcriptionModel: null,
      expiresAt: Math.floor((Date.now() + (deps.scenario.maxSessionMs ?? MAX_SESSION_MS)) / 1000),
      outputFormat: 'audio/pcm',
      reasoningEffort: undefined,
    };
    this.#conversationId = this.#mint('conv');
    this.#configureVad();
    this.#responses = new Responses({
      ...deps,
      conversationId: this.#conversationId,
      mint: this.#mint,
      sink: {
        emit: (type, payload) => this.#emit(type, payload),
        drop: () => deps.ws.terminate(),
        close: (code, reason) =>
          deps.ws.close(code, Buffer.from(reason).subarray(0, MAX_CLOSE_REASON_BYTES).toString()),
        log: deps.log,
      },
      session: () => this.#session,
      input: () => ({ lastInput: this.#lastInput, inputAudioMs: this.#inputAudioMs }),
      lastItemId: () => this.#lastItemId,
      finished: (lastItemId, output) => {
        if (lastItemId) this.#lastItemId = lastItemId;
        for (const item of output) this.#keep(item);
      },
      closed: () => this.#closed,
      safely: (fn) => this.#safely(fn),
    });
  }

  get sessionId(): string {
    return this.#session.id;
  }

  /** Sends `session.created` and starts answering client events. */
  start(): void {
    const { ws } = this.deps;
    ws.on('message', (data, isBinary) => this.#safely(() => this.#onMessage(data.toString(), isBinary)));
    ws.on('close', () => this.dispose());
    ws.on('error', (err) => {
      this.deps.log(`socket error: ${err.message}`);
      this.dispose();
    });
    this.#emit(EV.sessionCreated, { session: sessionObject(this.deps.dialect, this.#session) });
    this.#expiry = setTimeout(() => this.#expire(), this.deps.scenario.maxSessionMs ?? MAX_SESSION_MS);
  }

  /** Clears every timer; idempotent. */
  dispose(): void {
    this.#closed = true;
    if (this.#expiry) clearTimeout(this.#expiry);
    this.#expiry = undefined;
    this.#responses.dispose();
  }

  /** The session hit its maximum duration: `error` `session_expired`, then close 1001 with the same words. */
  #expire(): void {
    this.#expiry = undefined;
    this.#safely(() => {
      const { error, closeCode, closeReason } = sessionExpired();
      this.#responses.dispose();
      this.#emit(EV.error, { error: { ...error, event_id: null } });
      this.deps.log(`${this.#session.id}: session hit its maximum duration; closing ${closeCode}`);
      this.deps.ws.close(closeCode, closeReason);
      this.dispose();
    });
  }

  #safely(fn: () => void): void {
    try {
      fn();
    } catch (err) {
      this.deps.log(`internal error handling a client event: ${(err as Error).stack ?? String(err)}`);
      this.#error(E.internal(), null);
    }
  }

  #emit(normalizedType: string, payload: Raw): void {
    const type = wireEventType(normalizedType, this.deps.dialect);
    const { ws } = this.deps;
    if (type === null || this.#closed || ws.readyState !== ws.OPEN) return;
    const eventId = this.#mint('event');
    const text = JSON.stringify({ type, event_id: eventId, ...payload });
    if (this.deps.onServerSend) {
      try {
        this.deps.onServerSend({ eventId, type, epochMs: performance.timeOrigin + performance.now() });
      } catch {
        // An observer's failure must not break the session it observes.
      }
    }
    ws.send(text);
  }

  #error(e: RequestError, clientEventId: string | null): void {
    const error: ErrorBody = { ...e, event_id: clientEventId };
    this.#emit(EV.error, { error });
  }

  #onMessage(text: string, isBinary: boolean): void {
    if (isBinary) return this.#error(E.binaryFrame(), null);
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch (err) {
      return this.#error(E.invalidJson((err as Error).message), null);
    }
    if (!isRecord(msg) || typeof msg['type'] !== 'string') return this.#error(E.missing('type'), null);
    const eventId = typeof msg['event_id'] === 'string' ? msg['event_id'] : null;
    const fail = (e: RequestError): void => this.#error(e, eventId);
    switch (msg['type']) {
      case 'session.update': {
        const result = applySessionUpdate(this.deps.dialect, this.#session, msg['session']);
        if (!result.ok) return fail(result.error);
        const vadChanged = JSON.stringify(result.session.turnDetection) !== JSON.stringify(this.#session.turnDetection);
        this.#session = result.session;
        if (vadChanged) this.#configureVad();
        this.#emit(EV.sessionUpdated, { session: sessionObject(this.deps.dialect, this.#session) });
        return;
      }
      case 'input_audio_buffer.append':
        return this.#append(msg['audio'], fail);
      case 'input_audio_buffer.commit': {
        const bytes = this.#totalBytes - this.#bufferStart;
        if (bytes < MIN_COMMIT_BYTES) return fail(E.commitEmpty(bytes));
        this.#vad?.reset();
        this.#commit(this.#totalBytes, undefined);
        return;
      }
      case 'input_audio_buffer.clear':
        this.#bufferStart = this.#totalBytes;
        this.#pendingItemId = undefined;
        this.#vad?.reset();
        this.#emit('input_audio_buffer.cleared', {});
        return;
      case 'conversation.item.create':
        return this.#createItem(msg, fail);
      case 'conversation.item.delete':
        if (typeof msg['item_id'] === 'string') this.#items.delete(msg['item_id']);
        this.#emit('conversation.item.deleted', { item_id: msg['item_id'] ?? null });
        return;
      case 'conversation.item.retrieve': {
        const item = typeof msg['item_id'] === 'string' ? this.#items.get(msg['item_id']) : undefined;
        if (!item) return fail(E.itemNotFound(msg['item_id']));
        this.#emit('conversation.item.retrieved', { item });
        return;
      }
      case 'conversation.item.truncate':
        this.#emit('conversation.item.truncated', {
          item_id: msg['item_id'] ?? null,
          content_index: msg['content_index'] ?? 0,
          audio_end_ms: msg['audio_end_ms'] ?? 0,
        });
        return;
      case 'response.create': {
        // livekit/agents PR 6818: the refusal names the client's event_id, and nothing follows it.
        const busy = this.#responses.busyWith;
        if (busy) return fail(E.alreadyActive(busy));
        this.#responses.start(responseModality(this.deps.dialect, msg['response']));
        return;
      }
      case 'response.cancel':
        if (!this.#responses.cancel(typeof msg['response_id'] === 'string' ? msg['response_id'] : undefined))
          return fail(E.cancelNotActive());
        return;
      default:
        return fail(E.unknownType(msg['type']));
    }
  }

  #append(audio: unknown, fail: (e: RequestError) => void): void {
    if (typeof audio !== 'string') return fail(E.missing('audio'));
    if (audio.length % 4 !== 0 || !BASE64.test(audio)) return fail(E.badAudio());
    const pcm = Buffer.from(audio, 'base64');
    this.#totalBytes += pcm.length;
    const td = this.#session.turnDetection;
    if (!this.#vad || !td) return;
    for (const e of this.#vad.feed(pcm)) {
      if (e.kind === 'start') {
        this.#pendingItemId = this.#mint('item');
        this.#emit(EV.speechStarted, { audio_start_ms: e.ms, item_id: this.#pendingItemId });
        if (td.interrupt_response) this.#responses.interrupt();
        continue;
      }
      this.#emit(EV.speechStopped, { audio_end_ms: e.ms, item_id: this.#pendingItemId });
      this.#commit(Math.min(this.#totalBytes, e.ms * BYTES_PER_MS), { bytes: 0, speechMs: e.speechMs, vad: td });
      if (td.create_response && !this.#responses.busyWith) this.#responses.start(undefined);
    }
  }

  /** Commits the buffer up to absolute byte `end`: `committed`, then the user item events. */
  #commit(end: number, vadInput: TurnInput | undefined): void {
    const bytes = Math.max(0, end - this.#bufferStart);
    this.#bufferStart = end;
    const itemId = this.#pendingItemId ?? this.#mint('item');
    this.#pendingItemId = undefined;
    const previous = this.#lastItemId;
    this.#emit(EV.committed, { previous_item_id: previous, item_id: itemId });
    const item = userItem(this.deps.dialect, itemId);
    this.#addUserItem(item, previous);
    this.#inputAudioMs = bytes / BYTES_PER_MS;
    this.#lastInput = vadInput && 'speechMs' in vadInput ? { ...vadInput, bytes } : { bytes };
    if (this.#session.transcriptionModel) {
      const answer = this.deps.answers.answer(this.#lastInput);
      const transcript = this.deps.answers.promptText(answer.promptId) ?? '';
      this.#keep({ ...item, content: [{ type: 'input_audio', transcript }] });
      this.#emit('conversation.item.input_audio_transcription.completed', {
        item_id: itemId,
        content_index: 0,
        transcript,
        usage: transcriptionUsage(this.#session.transcriptionModel, bytes / BYTES_PER_MS, transcript),
      });
    }
  }

  #keep(item: Raw): void {
    const id = item['id'] as string;
    this.#items.delete(id);
    this.#items.set(id, item);
    if (this.#items.size > MAX_KEPT_ITEMS) this.#items.delete(this.#items.keys().next().value as string);
  }

  #addUserItem(item: Raw, previous: string | null): void {
    this.#lastItemId = item['id'] as string;
    this.#keep(item);
    this.#emit(EV.itemAdded, { previous_item_id: previous, item });
    this.#emit(EV.itemDone, { previous_item_id: previous, item });
  }

  #createItem(msg: Raw, fail: (e: RequestError) => void): void {
    const item = msg['item'];
    if (!isRecord(item)) return fail(E.missing('item'));
    const content = Array.isArray(item['content']) ? item['content'] : [];
    const text = content
      .map((c: unknown) => (isRecord(c) && typeof c['text'] === 'string' ? c['text'] : ''))
      .join(' ')
      .trim();
    const id = typeof item['id'] === 'string' ? item['id'] : this.#mint('item');
    this.#addUserItem(userItem(this.deps.dialect, id, content), this.#lastItemId);
    if (text) this.#lastInput = { text };
  }

  #configureVad(): void {
    const td = this.#session.turnDetection;
    this.#vad = td ? new EnergyVad(td, this.#totalBytes / BYTES_PER_MS) : undefined;
  }
}
