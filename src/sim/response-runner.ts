/**
 * Plays a planned response on a connection: sends `response.created` (and, in beta, `rate_limits.updated`),
 * then each step at its time; GA sends `rate_limits.updated` ~40 ms after `response.done` (LLMGW: +43 ms), tracking
 * what was actually sent so that early ends (cancel, `status` faults, VAD
 * interruption) close open items truthfully. One timer at a time; `dispose()` clears it.
 */
import { performance } from 'node:perf_hooks';
import type { Dialect } from '../realtime/flavours.js';
import { createRng, mixSeed, type Rng } from './random.js';
import { EV } from '../realtime/events.js';
import {
  assistantItem,
  contentPart,
  rateLimits,
  responseObject,
  usage,
  type Phase,
  type ResponseStatus,
} from './payloads.js';
import type { SessionConfig } from './session-payloads.js';
import { billsInput, statusDetails, type FailureKind } from './failures.js';
import type { EndStatus, ResponsePlan, Step } from './response-plan.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import { pcm16ToG711 } from '../audio/g711.js';

/** GA sends `rate_limits.updated` this long after `response.done` (LLMGW: 43 ms). */
export const GA_RATE_LIMITS_AFTER_DONE_MS = 40;
const PAD_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/** Where a runner's output goes (the connection). */
export interface ResponseSink {
  /** Sends a server event given its normalized (GA) type; the sink maps the name to the dialect. */
  emit(normalizedType: string, payload: Record<string, unknown>): void;
  /** Destroys the TCP socket without a close frame. */
  drop(): void;
  /** Sends a close frame. */
  close(code: number, reason: string): void;
  /** Reports a failure of the simulator itself. */
  log(line: string): void;
}

/** Fixed facts about the response being played. */
export interface ResponseContext {
  dialect: Dialect;
  /** Azure words its failures differently. */
  azure: boolean;
  session: SessionConfig;
  responseId: string;
  conversationId: string;
  /** The item the first output item follows (the user's item). */
  previousItemId: string | null;
  /** 1-based count of responses on this connection. */
  ordinal: number;
  inputAudioMs: number;
  inputText: string;
  mintId: (prefix: string) => string;
}

interface ItemProgress {
  id: string;
  phase: Phase | undefined;
  audioBytes: number;
  text: string;
  audioDone: boolean;
  closed: 'completed' | 'incomplete' | undefined;
}

/** Plays one response; `active` until `response.done` is sent (a `halt` keeps it active forever). */
export class ResponseRunner {
  #timer: NodeJS.Timeout | undefined;
  #next = 0;
  #t0 = 0;
  #active = true;
  #stopped = false;
  #tail: NodeJS.Timeout | undefined;
  readonly #items: ItemProgress[] = [];
  readonly #pad: Rng;

  constructor(
    private readonly plan: ResponsePlan,
    private readonly ctx: ResponseContext,
    private readonly sink: ResponseSink,
    private readonly onFinished: (
      lastItemId: string | null,
      output: Record<string, unknown>[],
      status: ResponseStatus,
    ) => void,
  ) {
    this.#pad = createRng(mixSeed('obfuscation', ctx.responseId));
  }

  get active(): boolean {
    return this.#active;
  }

  /** Finished and nothing left to send (late deltas may follow `response.done`). */
  get settled(): boolean {
    return !this.#active && this.#timer === undefined && this.#tail === undefined;
  }

  get id(): string {
    return this.ctx.responseId;
  }

  /** Sends `response.created` (beta: and `rate_limits.updated`), then plays the plan. */
  start(): void {
    this.#t0 = performance.now();
    this.sink.emit(EV.responseCreated, { response: this.#response('in_progress', undefined, [], null) });
    if (this.ctx.dialect === 'beta')
      this.sink.emit(EV.rateLimits, { rate_limits: rateLimits('beta', this.ctx.ordinal) });
    this.#pump();
  }

  /**
   * Ends the response early: open items are closed as `incomplete` (or, with `closeOpen: 'completed'` on a failed
   * response, as completed and listed in its output), then `response.done` with `status`.
   */
  end(status: EndStatus, reason: string | undefined, closeOpen?: 'completed', failure?: FailureKind): void {
    if (!this.#active) return;
    this.#stop();
    if (status !== 'failed' || closeOpen) {
      this.#items.forEach((it, i) => {
        if (it.closed) return;
        if (this.ctx.session.modality === 'audio' && !it.audioDone) this.#exec({ at: 0, kind: 'audio-done', item: i });
        this.#closeItem(i, closeOpen ?? 'incomplete');
      });
    }
    this.#finish(status, reason, failure);
  }

  /** Stops all timers without sending anything (the connection is going away). */
  dispose(): void {
    this.#stop();
    if (this.#tail) clearTimeout(this.#tail);
    this.#tail = undefined;
    this.#active = false;
  }

  /**
   * Obfuscation padding of a text delta: `delta + obfuscation` fills 16 characters (the captured deltas: "The" + 13,
   * "Hi" + 14, "Hello" + 11), at least 4 beyond that.
   */
  #obfuscation(delta: string): string {
    const n = Math.max(4, 16 - delta.length);
    let out = '';
    for (let i = 0; i < n; i++) out += PAD_CHARS[Math.floor(this.#pad.next() * PAD_CHARS.length)];
    return out;
  }

  #stop(): void {
    this.#stopped = true;
    if (this.#timer) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #pump = (): void => {
    this.#timer = undefined;
    const steps = this.plan.steps;
    while (!this.#stopped && this.#next < steps.length) {
      const step = steps[this.#next] as Step;
      const wait = step.at - (performance.now() - this.#t0);
      if (wait > 0.5) {
        this.#timer = setTimeout(this.#pump, wait);
        return;
      }
      this.#next++;
      try {
        if (!this.#exec(step)) return;
      } catch (err) {
        // A timer callback must never throw: that would take the whole simulator down.
        this.sink.log(`response ${this.ctx.responseId} stopped: ${(err as Error).stack ?? String(err)}`);
        this.dispose();
        return;
      }
    }
  };

  #base(i: number): Record<string, unknown> {
    return { response_id: this.ctx.responseId, item_id: this.#items[i]?.id, output_index: i, content_index: 0 };
  }

  /** Runs one step; false stops the pump. */
  #exec(step: Step): boolean {
    const { modality } = this.ctx.session;
    switch (step.kind) {
      case 'open-item': {
        const id = this.ctx.mintId('item');
        const previous = step.item === 0 ? this.ctx.previousItemId : (this.#items[step.item - 1]?.id ?? null);
        const phase = this.plan.items[step.item]?.phase;
        this.#items[step.item] = { id, phase, audioBytes: 0, text: '', audioDone: false, closed: undefined };
        const item = assistantItem(this.ctx.dialect, { id, status: 'in_progress', modality, transcript: '', phase });
        this.sink.emit(EV.outputItemAdded, { response_id: this.ctx.responseId, output_index: step.item, item });
        this.sink.emit(EV.itemAdded, { previous_item_id: previous, item });
        this.sink.emit(EV.contentPartAdded, { ...this.#base(step.item), part: contentPart(modality, '') });
        return true;
      }
      case 'text': {
        const it = this.#items[step.item];
        if (!it) return true;
        it.text += step.text;
        const pad = this.ctx.dialect === 'ga' ? { obfuscation: this.#obfuscation(step.text) } : {};
        this.sink.emit(modality === 'audio' ? EV.transcriptDelta : EV.textDelta, {
          ...this.#base(step.item),
          delta: step.text,
          ...pad,
        });
        return true;
      }
      case 'audio': {
        const it = this.#items[step.item];
        if (!it) return true;
        it.audioBytes += step.pcm.length;
        const format = this.ctx.session.outputFormat;
        const bytes =
          format === 'audio/pcm' || this.plan.ignoreOutputFormat
            ? step.pcm
            : pcm16ToG711(step.pcm, format === 'audio/pcmu' ? 'pcmu' : 'pcma');
        this.sink.emit(EV.audioDelta, { ...this.#base(step.item), delta: bytes.toString('base64') });
        return true;
      }
      case 'audio-done': {
        const it = this.#items[step.item];
        if (!it || it.audioDone) return true;
        it.audioDone = true;
        this.sink.emit(EV.audioDone, this.#base(step.item));
        return true;
      }
      case 'close-item':
        this.#closeItem(step.item, 'completed');
        return true;
      case 'error':
        this.sink.emit(EV.error, {
          error: { type: 'server_error', code: step.code, message: step.message, param: null, event_id: null },
        });
        return true;
      case 'drop':
        this.dispose();
        this.sink.drop();
        return false;
      case 'close':
        this.dispose();
        this.sink.close(step.code, step.reason);
        return false;
      case 'end':
        this.end(step.status, step.reason, step.closeOpen, step.failure);
        return false;
      case 'halt':
        this.#stop();
        return false;
      case 'response-done':
        this.#finish('completed', undefined);
        return true; // late deltas may still follow
    }
  }

  #closeItem(i: number, status: 'completed' | 'incomplete'): void {
    const it = this.#items[i];
    if (!it || it.closed) return;
    it.closed = status;
    const { modality } = this.ctx.session;
    if (modality === 'audio') this.sink.emit(EV.transcriptDone, { ...this.#base(i), transcript: it.text });
    else this.sink.emit(EV.textDone, { ...this.#base(i), text: it.text });
    this.sink.emit(EV.contentPartDone, { ...this.#base(i), part: contentPart(modality, it.text) });
    const item = assistantItem(this.ctx.dialect, { id: it.id, status, modality, transcript: it.text, phase: it.phase });
    // GA order (LLMGW): conversation.item.done before response.output_item.done; beta has no conversation.item.done.
    const previous = i === 0 ? this.ctx.previousItemId : (this.#items[i - 1]?.id ?? null);
    this.sink.emit(EV.itemDone, { previous_item_id: previous, item });
    this.sink.emit(EV.outputItemDone, { response_id: this.ctx.responseId, output_index: i, item });
  }

  #finish(status: ResponseStatus, reason: string | undefined, failure?: FailureKind): void {
    this.#active = false;
    const { modality } = this.ctx.session;
    // A failed response lists only the items it completed (openai-realtime-api-beta#116); usually none.
    const listed = status === 'failed' ? this.#items.filter((it) => it.closed === 'completed') : this.#items;
    const output = listed.map((it) =>
      assistantItem(this.ctx.dialect, {
        id: it.id,
        status: it.closed ?? 'incomplete',
        modality,
        transcript: it.text,
        phase: it.phase,
      }),
    );
    const complete = status === 'completed';
    const audioBytes = complete
      ? this.plan.items.reduce((s, it) => s + it.audioBytes, 0)
      : this.#items.reduce((s, it) => s + it.audioBytes, 0);
    const text = complete
      ? this.plan.items.map((it) => it.transcript).join(' ')
      : this.#items.map((it) => it.text).join(' ');
    const audioItems = complete
      ? this.plan.items.filter((it) => it.audioBytes > 0).length
      : this.#items.filter((it) => it.audioBytes > 0).length;
    const billed = !failure || billsInput(failure);
    const answered = complete || this.#items.some((it) => it.phase === 'final_answer');
    const u = usage({
      inputAudioMs: billed ? this.ctx.inputAudioMs : 0,
      inputText: billed ? this.ctx.session.instructions + this.ctx.inputText : '',
      outputAudioMs: modality === 'audio' ? audioBytes / BYTES_PER_MS : 0,
      outputAudioItems: modality === 'audio' ? audioItems : 0,
      outputText: text,
      ...(answered && this.plan.reasoningTokens ? { reasoningTokens: this.plan.reasoningTokens } : {}),
    });
    this.sink.emit(EV.responseDone, { response: this.#response(status, reason, output, u, failure) });
    if (this.ctx.dialect === 'ga') {
      this.#tail = setTimeout(() => {
        this.#tail = undefined;
        this.sink.emit(EV.rateLimits, { rate_limits: rateLimits('ga', this.ctx.ordinal) });
      }, GA_RATE_LIMITS_AFTER_DONE_MS);
    }
    this.onFinished(this.#items.at(-1)?.id ?? null, output, status);
  }

  #response(
    status: ResponseStatus,
    reason: string | undefined,
    output: unknown[],
    u: unknown,
    failure?: FailureKind,
  ): Record<string, unknown> {
    const who = { azure: this.ctx.azure, sessionId: this.ctx.session.id, model: this.ctx.session.model };
    return responseObject(this.ctx.dialect, {
      id: this.ctx.responseId,
      status,
      statusDetails: statusDetails(status, reason, who, failure),
      output,
      conversationId: this.ctx.conversationId,
      session: this.ctx.session,
      usage: u,
    });
  }
}
