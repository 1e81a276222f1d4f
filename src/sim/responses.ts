/**
 * The responses of one simulated session: starting a turn's (planned by turn-plan.ts for the session's model
 * profile), the unasked second generation of a two-generation turn, what the conversation is busy with (an active
 * response, or a second generation decided but not yet created), cancelling, interrupting, and clearing every timer.
 * The connection owns the socket, the ids and the conversation; it reaches them through `ResponseHost`.
 */
import { isAzure } from '../realtime/flavours.js';
import type { TurnInput } from './answers.js';
import type { ConnectionDeps } from './connection.js';
import { DEFAULT_REASONING_EFFORT, profileOf, type ProfileName } from './profiles.js';
import { createRng, mixSeed } from './random.js';
import type { ResponsePlan } from './response-plan.js';
import { ResponseRunner, type ResponseSink } from './response-runner.js';
import { faultsForTurn } from './scenario.js';
import type { SessionConfig } from './session-payloads.js';
import { planTurn } from './turn-plan.js';

/** What the responses need of their connection. */
export interface ResponseHost extends Pick<
  ConnectionDeps,
  'flavour' | 'dialect' | 'model' | 'scenario' | 'answers' | 'speak' | 'seed'
> {
  conversationId: string;
  mint: (prefix: string) => string;
  /** Where a runner's events, drops and closes go. */
  sink: ResponseSink;
  /** The session as it is now, and what the user last said. */
  session(): SessionConfig;
  input(): { lastInput: TurnInput; inputAudioMs: number };
  /** The item the next output follows; set when a response ends with output. */
  lastItemId(): string | null;
  finished(lastItemId: string | null, output: Record<string, unknown>[]): void;
  closed(): boolean;
  /** Runs `fn`, turning a throw into a logged `error` event (a timer callback must never throw). */
  safely(fn: () => void): void;
}

export class Responses {
  #turns = 0;
  #runner: ResponseRunner | undefined;
  /** Every runner that may still hold a timer (late deltas outlive `response.done`). */
  readonly #runners = new Set<ResponseRunner>();
  /** A two-generation turn's second response, decided but not yet created: the conversation is busy. */
  #pending: { responseId: string; timer: NodeJS.Timeout } | undefined;
  readonly #profile: ProfileName;

  constructor(private readonly host: ResponseHost) {
    this.#profile = profileOf(host.model, host.scenario.profile);
  }

  /** The response the conversation is busy with (active, or decided and about to be created), if any. */
  get busyWith(): string | undefined {
    return this.#runner?.active ? this.#runner.id : this.#pending?.responseId;
  }

  /** Starts the next turn's response (a `response.create`, or server VAD). */
  start(modalityOverride: 'audio' | 'text' | undefined): void {
    const turn = ++this.#turns;
    const { scenario, seed } = this.host;
    const current = this.host.session();
    const session = modalityOverride ? { ...current, modality: modalityOverride } : current;
    const { lastInput } = this.host.input();
    const answer =
      scenario.answer !== undefined
        ? { promptId: undefined, text: scenario.answer }
        : this.host.answers.answer(lastInput);
    const planned = planTurn({
      profile: this.#profile,
      effort: session.reasoningEffort ?? DEFAULT_REASONING_EFFORT,
      pinned: scenario.reasoning,
      input: {
        spoken: this.host.speak(answer.text),
        faults: faultsForTurn(scenario, turn),
        delivery: scenario.delivery,
        modality: session.modality,
        rng: createRng(mixSeed('turn', seed, turn)),
      },
      speak: this.host.speak,
      seed,
      turn,
    });
    const { shape, second } = planned;
    this.host.sink.log(
      `${session.id} turn ${turn}: answering ${answer.promptId ?? '(default)'} (${scenario.name}, ${this.#profile}` +
        `${shape.preamble ? `, preamble "${shape.preamble}"` : ''}${shape.phases ? `, reasoning ${shape.reasoningMs} ms` : ''})`,
    );
    const then = second ? () => this.#scheduleSecond(second.plan, session, turn, second.afterMs) : undefined;
    this.#run(planned.first, session, turn, this.host.mint('resp'), then);
  }

  /** `response.cancel`: false when there is no active response (of that id) to cancel; a pending one is dropped. */
  cancel(responseId: string | undefined): boolean {
    this.#dropPending();
    if (!this.#runner?.active || (responseId !== undefined && responseId !== this.#runner.id)) return false;
    this.#runner.end('cancelled', 'client_cancelled');
    return true;
  }

  /**
   * Speech under `interrupt_response`: the active response is cancelled (`turn_detected`) and a pending second
   * generation dropped ("If the model is interrupted during thinking, it discards the current chain of thought").
   */
  interrupt(): void {
    if (this.#runner?.active) this.#runner.end('cancelled', 'turn_detected');
    this.#dropPending();
  }

  /** Clears every timer without sending anything; idempotent. */
  dispose(): void {
    this.#dropPending();
    for (const r of this.#runners) r.dispose();
    this.#runners.clear();
    this.#runner = undefined;
  }

  #dropPending(): void {
    if (this.#pending) clearTimeout(this.#pending.timer);
    this.#pending = undefined;
  }

  /**
   * The second generation of a turn: `afterMs` after the first one's `response.done`, its `response.created` arrives
   * unasked; until then the conversation counts as busy with it.
   */
  #scheduleSecond(plan: ResponsePlan, session: SessionConfig, turn: number, afterMs: number): void {
    const responseId = this.host.mint('resp');
    const timer = setTimeout(() => {
      this.#pending = undefined;
      if (this.host.closed() || this.#runner?.active) return;
      this.host.safely(() => this.#run(plan, session, turn, responseId));
    }, afterMs);
    this.#pending = { responseId, timer };
  }

  /** Plays a plan as response `responseId`; `then` runs after a `completed` `response.done`. */
  #run(plan: ResponsePlan, session: SessionConfig, turn: number, responseId: string, then?: () => void): void {
    const { lastInput, inputAudioMs } = this.host.input();
    const runner = new ResponseRunner(
      plan,
      {
        dialect: this.host.dialect,
        azure: isAzure(this.host.flavour),
        session,
        responseId,
        conversationId: this.host.conversationId,
        previousItemId: this.host.lastItemId(),
        ordinal: turn,
        inputAudioMs,
        inputText: 'text' in lastInput ? lastInput.text : '',
        mintId: this.host.mint,
      },
      this.host.sink,
      (lastItemId, output, status) => {
        this.host.finished(lastItemId, output);
        if (this.#runner === runner) this.#runner = undefined;
        if (status === 'completed' && then && !this.host.closed()) then();
      },
    );
    for (const r of this.#runners) if (r.settled) this.#runners.delete(r);
    this.#runners.add(runner);
    this.#runner = runner;
    runner.start();
  }
}
