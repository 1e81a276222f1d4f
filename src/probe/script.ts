/**
 * The scripted turns of one session, on any Transport: session.update, then per turn the prompt audio (paced
 * at real time by default: chunk k leaves at t0 + k·chunkMs on one absolute clock, VAD trailing silence
 * included), commit + response.create (manual turns), the wait until the turn's answer is over (its
 * generations, a refused create sent again, the playout: generations.ts), the cancel after a turn timeout, and
 * the per-turn loop-delay entry. Every wait ends; nothing here throws.
 */
import { performance } from 'node:perf_hooks';
import { EV } from '../realtime/events.js';
import { sessionUpdateEvent } from '../realtime/events.js';
import type { Dialect } from '../realtime/flavours.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import type { LoopMonitor } from './loopMonitor.js';
import type { ResolvedProbeOptions } from './options.js';
import type { PromptSpec } from '../prompts/catalog.js';
import type { TraceRecorder } from './recorder.js';
import type { SessionEndEntry, TurnOutcome } from '../trace/trace.js';
import type { Transport } from './transport.js';
import type { EventWaiter } from './waiter.js';
import { awaitTurn } from './generations.js';

/** Silence appended after the prompt in server-VAD mode, so the service detects the end of speech. */
const VAD_TRAILING_SILENCE_MS = 1_200;

/** The audio clock of one turn: chunk k is due at t0 + k·chunkMs. */
interface AudioClock {
  t0: number;
  k: number;
}

export class ScriptedSession {
  constructor(
    private readonly transport: Transport,
    private readonly rec: TraceRecorder,
    private readonly waiter: EventWaiter,
    private readonly monitor: LoopMonitor,
    private readonly o: ResolvedProbeOptions,
    private readonly dialect: Dialect,
  ) {}

  async run(prompts: PromptSpec[]): Promise<SessionEndEntry['reason']> {
    let sessionTimedOut = false;
    const deadline = setTimeout(() => {
      sessionTimedOut = true;
      this.rec.add({
        kind: 'timeout',
        scope: 'session',
        waitingFor: 'end of session',
        afterMs: this.o.sessionTimeoutMs,
      });
      this.waiter.close();
    }, this.o.sessionTimeoutMs);
    try {
      const reason = await this.#script(prompts);
      if (this.rec.limitExceeded) return 'limit-exceeded';
      return sessionTimedOut ? 'session-timeout' : reason;
    } finally {
      clearTimeout(deadline);
      await this.transport.close();
    }
  }

  async #script(prompts: PromptSpec[]): Promise<SessionEndEntry['reason']> {
    const created = await this.waiter.waitFor((e) => e.type === EV.sessionCreated, this.o.connectTimeoutMs, 0);
    if (created.kind === 'timeout')
      this.rec.add({
        kind: 'timeout',
        scope: 'session-created',
        waitingFor: EV.sessionCreated,
        afterMs: this.o.connectTimeoutMs,
      });
    if (created.kind === 'closed') return this.#skipFrom(1, prompts);

    this.#send(
      sessionUpdateEvent(this.dialect, {
        instructions: this.o.instructions,
        voice: this.o.voice,
        turnDetection: this.o.turnDetection,
        modality: this.o.modality,
        outputFormat: this.o.outputFormat,
      }),
    );
    const updated = await this.waiter.waitFor(
      (e) => e.type === EV.sessionUpdated || e.type === EV.error,
      this.o.connectTimeoutMs,
    );
    if (updated.kind === 'timeout')
      this.rec.add({
        kind: 'timeout',
        scope: 'session-updated',
        waitingFor: EV.sessionUpdated,
        afterMs: this.o.connectTimeoutMs,
      });
    if (updated.kind === 'closed') return this.#skipFrom(1, prompts);

    for (let i = 0; i < prompts.length; i++) {
      const turn = i + 1;
      const prompt = prompts[i]!;
      this.o.onProgress?.(`turn ${turn} of ${prompts.length} (${prompt.id})`);
      this.monitor.turnStart();
      const outcome = await this.#turn(turn, prompt);
      this.monitor.turnEnd();
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
    const clock: AudioClock = { t0: performance.now(), k: 0 };
    await this.#streamAudio(prompt.pcm, 0, clock);
    let createId: string | undefined;
    if (this.o.turnDetection === 'manual') {
      this.#send({ type: 'input_audio_buffer.commit' });
      this.rec.inputGiven();
      const create = this.#send({ type: 'response.create' });
      createId = typeof create?.event_id === 'string' ? create.event_id : undefined;
    } else {
      await this.#streamAudio(Buffer.alloc(VAD_TRAILING_SILENCE_MS * BYTES_PER_MS), prompt.pcm.length, clock);
      this.rec.inputGiven(); // all of it is sent: a response from now on answers it, VAD events or not
    }
    const { transport, rec, waiter, o } = this;
    return awaitTurn({ transport, rec, waiter, o, send: (event) => this.#send(event) }, since, createId);
  }

  /**
   * Sends `pcm` in `chunkMs` slices; `baseOffset` places them in the turn's sent audio. Real-time pace waits for
   * each slice's due time on the turn's absolute clock (a late slice goes at once, so the clock never drifts);
   * burst pace only yields to incoming frames between slices. Stops when the connection ends.
   */
  async #streamAudio(pcm: Buffer, baseOffset: number, clock: AudioClock): Promise<void> {
    const chunk = this.o.chunkMs * BYTES_PER_MS;
    for (let off = 0; off < pcm.length && !this.waiter.closed; off += chunk) {
      if (this.o.pace === 'realtime') {
        // timers may fire up to a millisecond early: wait again until the slice is due, never send ahead of the clock
        const due = clock.t0 + clock.k * this.o.chunkMs;
        for (let wait = due - performance.now(); wait > 0 && !this.waiter.closed; wait = due - performance.now())
          await this.waiter.sleep(Math.ceil(wait));
        if (this.waiter.closed) return;
      }
      clock.k++;
      this.transport.sendAudio({ pcm: pcm.subarray(off, off + chunk), offset: baseOffset + off });
      if (this.o.pace !== 'realtime') await yieldToIncoming();
    }
  }

  /** After a turn deadline: cancel whatever is open. False when the service does not answer even that. */
  async #cancelAfterTimeout(): Promise<boolean> {
    this.#send({ type: 'response.cancel' }, { byProbe: 'turn-timeout' });
    const r = await this.waiter.waitFor(
      (e) => e.type === EV.responseDone || (e.type === EV.error && isCancelNotActive(e.event)),
      this.o.cancelWaitMs,
    );
    if (r.kind === 'timeout')
      this.rec.add({ kind: 'timeout', scope: 'cancel', waitingFor: EV.responseDone, afterMs: this.o.cancelWaitMs });
    return r.kind === 'event';
  }

  #skipFrom(turn: number, prompts: PromptSpec[]): SessionEndEntry['reason'] {
    for (let n = turn; n <= prompts.length; n++) {
      this.rec.turn = n;
      this.rec.add({ kind: 'turn-end', outcome: 'skipped' });
    }
    return 'closed-by-server';
  }

  #send(
    event: Record<string, unknown>,
    extra: Parameters<TraceRecorder['recordSend']>[1] = {},
  ): Record<string, unknown> | undefined {
    if (!this.transport.isOpen) return undefined;
    const sent = this.rec.recordSend(event, extra);
    this.transport.send(sent);
    return sent;
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
