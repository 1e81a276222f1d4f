/**
 * What the simulator answers. The probe sends exactly a catalogue prompt's PCM, so committed audio is
 * matched to a prompt by its byte length (±1 chunk of 100 ms); under server VAD, where the commit point
 * depends on the detector, by the length of the detected speech (±120 ms). A text item is matched by the
 * prompt's text. Anything else gets the default answer (the count-to-twenty answer).
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { PromptSpec } from '../prompts/catalog.js';
import { firstSpeechMs, type VadSettings } from './vad.js';

/** Used when the catalogue has no `count-to-twenty` entry. */
export const DEFAULT_ANSWER =
  'Sure. One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve. Thirteen. Fourteen. Fifteen. ' +
  'Sixteen. Seventeen. Eighteen. Nineteen. Twenty.';
/** Length tolerance for byte matching: one 100 ms append chunk. */
export const MATCH_TOLERANCE_BYTES = 100 * BYTES_PER_MS;
const SPEECH_TOLERANCE_MS = 120;

/** The answer chosen for a turn, and the prompt it answers (undefined for the default). */
export interface Answer {
  promptId: string | undefined;
  text: string;
}

/** What is known about the user's turn. */
export type TurnInput = { bytes: number; speechMs?: number; vad?: VadSettings } | { text: string };

/** Chooses answers from a prompt catalogue. */
export interface AnswerBook {
  answer(input: TurnInput): Answer;
  /** The prompt's text for a matched id (used as the input transcription). */
  promptText(promptId: string | undefined): string | undefined;
  /** Every answer this book can give (the default first). */
  knownAnswers(): string[];
}

type CatalogEntry = Pick<PromptSpec, 'id' | 'text' | 'answer' | 'pcm'>;

/** Builds an answer book over `catalog`; prompts without an `answer` are never matched. */
export function createAnswerBook(catalog: readonly CatalogEntry[], defaultAnswer?: string): AnswerBook {
  const prompts = catalog.filter(
    (p): p is CatalogEntry & { answer: string } => typeof p.answer === 'string' && p.answer.length > 0,
  );
  const fallback: Answer = {
    promptId: undefined,
    text: defaultAnswer ?? prompts.find((p) => p.id === 'count-to-twenty')?.answer ?? DEFAULT_ANSWER,
  };
  const speechCache = new Map<string, (number | undefined)[]>();
  const speechOf = (vad: VadSettings): (number | undefined)[] => {
    const key = `${vad.threshold}/${vad.silence_duration_ms}`;
    let spans = speechCache.get(key);
    if (!spans) speechCache.set(key, (spans = prompts.map((p) => firstSpeechMs(p.pcm, vad))));
    return spans;
  };
  const closest = (distance: (i: number) => number, tolerance: number): Answer | undefined => {
    let best = -1;
    prompts.forEach((_, i) => {
      if (distance(i) <= tolerance && (best < 0 || distance(i) < distance(best))) best = i;
    });
    const p = prompts[best];
    return p ? { promptId: p.id, text: p.answer } : undefined;
  };
  return {
    answer(input) {
      if ('text' in input) {
        const norm = (s: string | undefined): string => (s ?? '').trim().toLowerCase().replace(/\s+/g, ' ');
        const p = prompts.find((q) => norm(q.text) === norm(input.text));
        return p ? { promptId: p.id, text: p.answer } : fallback;
      }
      const { speechMs, vad, bytes } = input;
      if (speechMs !== undefined && vad) {
        const spans = speechOf(vad);
        const bySpeech = closest((i) => Math.abs((spans[i] ?? Infinity) - speechMs), SPEECH_TOLERANCE_MS);
        if (bySpeech) return bySpeech;
      }
      return closest((i) => Math.abs((prompts[i]?.pcm.length ?? Infinity) - bytes), MATCH_TOLERANCE_BYTES) ?? fallback;
    },
    promptText: (id) => prompts.find((p) => p.id === id)?.text,
    knownAnswers: () => [...new Set([fallback.text, ...prompts.map((p) => p.answer)])],
  };
}
