/**
 * Plans one user turn (pure, deterministic): the model profile shapes it (profiles.ts); a classic turn is one
 * response-plan.ts plan, exactly as before the profiles existed; a turn of the reasoning generation is built from
 * two such plans: the spoken `commentary` preamble, the reasoning pause, then the `final_answer`, in one response or,
 * for a two-generation turn, in two. The answer's plan is drawn from the same random stream as a classic turn's, so
 * its audio and deltas are the classic ones; only the times move.
 *
 * Timing: with a preamble, the final answer's first audio delta is sent at T + P + R, where T is when the preamble's
 * first audio delta is sent, P the preamble's audio length and R the reasoning pause: a listener who starts playing
 * at the first delta hears exactly R of silence between the two items (the wire gap between the last preamble delta
 * and the first answer delta is longer, since the preamble arrives faster than real time). Without a preamble, R is
 * added before everything the response sends after `response.created` (the model thinks before it speaks).
 *
 * Fault times (`atMs`) are audio time inside the final answer. `slow-first-audio` delays the preamble (the response's
 * first audio); `slow-delivery`, `text-only` and `ignore-output-format` apply to both items.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { Phase } from './payloads.js';
import { shapeTurn, type ProfileName, type ReasoningEffort, type TurnShape } from './profiles.js';
import { createRng, mixSeed, type Rng } from './random.js';
import { planResponse, type PlanInput, type ResponsePlan, type Step } from './response-plan.js';
import type { Fault, FaultKind } from './scenario.js';
import type { SpokenAnswer } from './speech.js';

/** Faults of a turn that shape the preamble too (the rest act on the final answer only). */
const PREAMBLE_FAULTS: readonly FaultKind[] = [
  'slow-first-audio',
  'slow-delivery',
  'text-only',
  'ignore-output-format',
];
/** Faults that say how the turn is split, not what happens to its audio. */
const SHAPE_FAULTS: readonly FaultKind[] = ['preamble-only', 'second-generation'];

/** What a reasoning turn is planned from. */
export interface TurnPlanInput extends PlanInput {
  shape: TurnShape;
  /** The spoken preamble (when `shape.preamble` is set). */
  preamble: SpokenAnswer | undefined;
  /** A separate stream for the preamble's plan, so the answer's draws stay the classic ones. */
  preambleRng: Rng;
}

const withPhase = (plan: ResponsePlan, phase: Phase | undefined): ResponsePlan =>
  phase ? { ...plan, items: plan.items.map((it) => ({ ...it, phase })) } : plan;

const answerFaults = (faults: readonly Fault[]): Fault[] =>
  faults.filter((f) => !SHAPE_FAULTS.includes(f.kind) && f.kind !== 'slow-first-audio');

/** When the plan's first audio (or, with no audio, first transcript) goes out. */
function firstOutputAt(steps: readonly Step[]): number {
  return (steps.find((s) => s.kind === 'audio') ?? steps.find((s) => s.kind === 'text'))?.at ?? 0;
}

function shiftSteps(steps: readonly Step[], by: number, itemOffset: number): Step[] {
  return steps.map((s) => ('item' in s ? { ...s, at: s.at + by, item: s.item + itemOffset } : { ...s, at: s.at + by }));
}

/** The preamble alone, as a completed response (a preamble-only turn, or a two-generation turn's first response). */
export function planPreamble(input: TurnPlanInput): ResponsePlan {
  const spoken = input.preamble;
  if (!spoken) throw new Error('planPreamble needs a preamble');
  const faults = input.faults.filter((f) => PREAMBLE_FAULTS.includes(f.kind));
  const plan = planResponse({ ...input, spoken, faults, rng: input.preambleRng });
  return withPhase(plan, input.shape.phases ? 'commentary' : undefined);
}

/** The final answer alone, with `delayMs` before everything after `response.created` (no preamble). */
export function planAnswer(input: TurnPlanInput, delayMs: number, faults = answerFaults(input.faults)): ResponsePlan {
  const plan = planResponse({ ...input, faults });
  const shifted = delayMs > 0 ? { ...plan, steps: shiftSteps(plan.steps, delayMs, 0) } : plan;
  const answer = withPhase(shifted, input.shape.phases ? 'final_answer' : undefined);
  return input.shape.reasoningTokens ? { ...answer, reasoningTokens: input.shape.reasoningTokens } : answer;
}

/** A two-generation turn's second response: the final answer, with no audio when `audio` is false. */
export function planSecondGeneration(input: TurnPlanInput, audio: boolean): ResponsePlan {
  const faults = answerFaults(input.faults);
  return planAnswer(input, 0, audio ? faults : [...faults, { kind: 'text-only' }]);
}

/** A whole turn in one response: the preamble (if any), the reasoning pause, the final answer. */
export function planReasoningTurn(input: TurnPlanInput): ResponsePlan {
  if (!input.preamble)
    return planAnswer(
      input,
      input.shape.reasoningMs,
      input.faults.filter((f) => !SHAPE_FAULTS.includes(f.kind)),
    );
  const pre = planPreamble(input);
  const answer = planAnswer(input, 0);
  const preSteps = pre.steps.filter((s) => s.kind !== 'response-done');
  const preAudioMs = (pre.items[0]?.audioBytes ?? 0) / BYTES_PER_MS;
  const preEnd = Math.max(0, ...preSteps.map((s) => s.at));
  const openAt = answer.steps.find((s) => s.kind === 'open-item')?.at ?? 0;
  const shift = Math.max(
    firstOutputAt(pre.steps) + preAudioMs + input.shape.reasoningMs - firstOutputAt(answer.steps),
    preEnd + 1 - openAt,
  );
  return {
    ...answer,
    steps: [...preSteps, ...shiftSteps(answer.steps, shift, pre.items.length)],
    items: [...pre.items, ...answer.items],
    pcm: Buffer.concat([pre.pcm, answer.pcm]),
  };
}

/** What a turn plays: its first response, and a second generation (with its delay after the first) if it has one. */
export interface PlannedTurn {
  shape: TurnShape;
  first: ResponsePlan;
  second?: { plan: ResponsePlan; afterMs: number };
}

/** Plans turn `turn` of a connection on `profile`; `input.rng` is the turn's classic stream. */
export function planTurn(args: {
  profile: ProfileName;
  effort: ReasoningEffort;
  pinned: { preamble?: boolean; reasoningMs?: number } | undefined;
  input: PlanInput;
  speak: (text: string) => SpokenAnswer;
  seed: number;
  turn: number;
}): PlannedTurn {
  const { input, seed, turn } = args;
  const second = input.faults.find(
    (f): f is Extract<Fault, { kind: 'second-generation' }> => f.kind === 'second-generation',
  );
  const preambleOnly = input.faults.some((f) => f.kind === 'preamble-only');
  const shape = shapeTurn(
    args.profile,
    { effort: args.effort, pinned: args.pinned, forcePreamble: preambleOnly || second !== undefined },
    createRng(mixSeed('reasoning', seed, turn)),
  );
  if (!shape.phases && !shape.preamble) return { shape, first: planResponse(input) };
  const turnInput: TurnPlanInput = {
    ...input,
    shape,
    preamble: shape.preamble ? args.speak(shape.preamble) : undefined,
    preambleRng: createRng(mixSeed('preamble', seed, turn)),
  };
  if (!second && !preambleOnly) return { shape, first: planReasoningTurn(turnInput) };
  const first = planPreamble(turnInput);
  if (!second) return { shape, first };
  return {
    shape,
    first,
    second: { plan: planSecondGeneration(turnInput, second.audio ?? true), afterMs: second.afterMs ?? 1200 },
  };
}
