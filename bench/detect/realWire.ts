/**
 * The real-wire corpus of bench:detect: the service as captured in 2026 (shared/reference/realtime-wire-2026.md)
 * rather than the simulator's old beliefs — deltas of 200–500 ms (the simulator's default, real gpt-realtime-2
 * averages ~370 ms) delivered in bursts far ahead of real time, usage at 20 audio tokens per second, the GA end of
 * item order; the 2026 fault kinds (lost last deltas, silent tails, a failed response after partial output,
 * Azure's output cap) and OpenAI's refusals after the 101; the original kinds again at real delta sizes; and
 * healthy answers with natural pauses stretched up to ~900 ms (−80 dBFS, the voice's own pause level).
 *
 * Expected codes per kind live in expected.ts.
 */
import { longAnswer } from '../../src/sim/builtin-scenarios.js';
import type { PromptSpec } from '../../src/prompts/catalog.js';
import type { Fault, OpenAIRefusal, Scenario } from '../../src/sim/index.js';
import {
  BYTES_PER_MS,
  caseBuilder,
  corpusCatalog,
  placeGap,
  trueGaps,
  type Corpus,
  type Flavour,
  type TruthGap,
} from './corpus.js';

/** Which flavour each case runs on, in turn (corpus data): GA-heavy, as real targets are; the beta dialect through Azure preview. */
const ROTATION: readonly Flavour[] = ['openai-ga', 'azure-ga', 'openai-ga', 'azure-preview'];
/** Real-style delivery: 1–2 s bursts at 5–8× real time. */
const REAL: NonNullable<Scenario['delivery']> = { speed: 6, burstMs: 1500, jitterMs: 20 };

export const REAL_WIRE_KINDS = [
  'lose-last-deltas',
  'silent-tail',
  'silent-tail-noise',
  'failed-after-partial',
  'output-cap',
  'openai-bad-key',
  'openai-missing-key',
  'openai-bad-model',
  'openai-missing-model',
  'openai-beta-header',
  'silent-gap',
  'silent-gap-noise',
  'truncate-audio',
  'no-audio-done',
  'no-response-done',
  'stall',
  'drop',
  'close-1001',
  'status-failed',
  'status-incomplete',
  'error-event',
  'slow-delivery',
  'text-only',
  'slow-first-audio',
];

export function buildRealWireCorpus(baseCatalog: readonly PromptSpec[]): Corpus {
  const { catalog, spoken } = corpusCatalog(baseCatalog);
  const lenMs = (p: number): number => spoken.get(catalog[p % 4]!.id)!.pcm.length / BYTES_PER_MS;
  const { add, scenarios, cases } = caseBuilder({
    prefix: 'rw',
    catalog,
    spoken,
    flavours: ROTATION,
    defaultDelivery: REAL,
  });

  // --- Lost last deltas (the community report): 2–4 real-sized deltas, i.e. roughly 0.4–1.6 s of the tail. The
  // usage evidence sees a loss from 350 ms (7 tokens; below that it cannot be told from per-item token overhead), so
  // the short count-to-twenty answer, whose last two deltas are only ~330 ms (mostly its closing silence), loses three.
  for (const [prompt, turn, turns, count] of [
    [0, 1, 1, 3],
    [1, 1, 1, 2],
    [2, 2, 2, 2],
    [3, 1, 1, 3],
    [0, 2, 3, 3],
    [1, 1, 2, 4],
  ] as const) {
    add({
      kind: 'lose-last-deltas',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'lose-last-deltas', count }],
      note: `the last ${count} audio deltas never arrive; transcript and usage complete`,
    });
  }
  // --- Silent tails: the voice stops, the audio goes on as silence / −60 dBFS noise, the transcript continues.
  for (const [kind, list] of [
    [
      'silent-tail',
      [
        [0, 1, 1, 0.5],
        [1, 1, 1, 0.65],
        [2, 2, 2, 0.75],
        [3, 1, 1, 0.6],
      ],
    ],
    [
      'silent-tail-noise',
      [
        [1, 1, 1, 0.55],
        [2, 1, 1, 0.7],
        [3, 2, 3, 0.5],
      ],
    ],
  ] as const) {
    for (const [prompt, turn, turns, frac] of list) {
      const atMs = Math.round(lenMs(prompt) * frac);
      const noiseDbfs = kind === 'silent-tail-noise' ? -60 : undefined;
      const fault: Fault =
        noiseDbfs === undefined ? { kind: 'silent-tail', atMs } : { kind: 'silent-tail', atMs, noiseDbfs };
      add({
        kind,
        prompt,
        turn,
        turns,
        faults: [fault],
        tail: { atMs, noiseDbfs },
        note:
          `audio ${noiseDbfs === undefined ? 'digitally silent' : 'at −60 dBFS noise'} ` +
          `from ${(atMs / 1000).toFixed(2)} s (${Math.round(frac * 100)} %) to the end`,
      });
    }
  }
  // --- A failed response after partial output, listing the completed item.
  for (const [prompt, turn, turns, atMs] of [
    [0, 1, 1, 2000],
    [2, 2, 2, 4000],
    [3, 1, 1, 6000],
  ] as const) {
    add({
      kind: 'failed-after-partial',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'failed-after-partial', atMs }],
      note: `response.done failed at ${(atMs / 1000).toFixed(1)} s, listing the completed item`,
    });
  }
  // --- Azure's output cap: the built-in long answer against 4096 tokens, and shorter answers against small caps.
  add({
    kind: 'output-cap',
    prompt: 1,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'output-cap' }],
    flavour: 'azure-ga',
    delivery: { speed: 10, burstMs: 2000, jitterMs: 10 },
    scenario: { answer: longAnswer() },
    turnTimeoutMs: 60_000,
    extraMs: 20_000,
    note: 'a ~4 min answer, incomplete / max_output_tokens at 4096 tokens (~3 min)',
  });
  for (const [prompt, maxOutputTokens] of [
    [2, 120],
    [3, 90],
  ] as const) {
    add({
      kind: 'output-cap',
      prompt,
      turn: 1,
      turns: 1,
      faults: [{ kind: 'output-cap', maxOutputTokens }],
      flavour: 'azure-ga',
      note: `incomplete / max_output_tokens at a cap of ${maxOutputTokens} tokens`,
    });
  }
  // --- OpenAI refusals after the 101.
  const refusal = (kind: string, r: OpenAIRefusal, note: string, turns = 1): void =>
    add({ kind, prompt: 0, turn: 1, turns, faults: [], flavour: 'openai-ga', scenario: { refusal: r }, note });
  refusal('openai-bad-key', 'invalid_api_key', '101, error invalid_api_key, close 3000');
  refusal('openai-bad-key', 'invalid_api_key', '101, error invalid_api_key, close 3000', 3);
  refusal('openai-missing-key', 'missing_key', '101, error "Missing bearer …", close 3000');
  refusal('openai-bad-model', 'invalid_model', '101, error invalid_model, close 4000', 2);
  refusal('openai-missing-model', 'missing_model', '101, error missing_model, close 4000');
  refusal('openai-beta-header', 'beta_api_shape_disabled', '101, error beta_api_shape_disabled, close 4000');

  // --- The original kinds at real delta sizes and real-style delivery.
  const gap = (
    kind: 'silent-gap' | 'silent-gap-noise',
    prompt: number,
    turn: number,
    turns: number,
    placement: 'in-word' | 'in-pause' | 'at-word-end',
    token: number,
    durationMs: number,
  ): void => {
    const s = spoken.get(catalog[prompt]!.id)!;
    const atMs = placeGap(s, placement, token);
    const noise = kind === 'silent-gap-noise';
    const [truth] = trueGaps(s, [{ atMs, durationMs }]);
    const gaps: TruthGap[] = [{ turn, placement, noise, ...truth! }];
    const fault: Fault = noise
      ? { kind: 'silent-gap', atMs, durationMs, noiseDbfs: -60 }
      : { kind: 'silent-gap', atMs, durationMs };
    add({
      kind,
      prompt,
      turn,
      turns,
      faults: [fault],
      gaps,
      extraMs: durationMs,
      note: `${(durationMs / 1000).toFixed(1)} s ${noise ? '−60 dBFS noise' : 'digital silence'} ${placement} at ${(atMs / 1000).toFixed(2)} s`,
    });
  };
  gap('silent-gap', 0, 1, 1, 'in-word', 3, 1000);
  gap('silent-gap', 1, 1, 1, 'in-pause', 2, 1500);
  gap('silent-gap', 2, 2, 2, 'in-word', 5, 2500);
  gap('silent-gap', 3, 1, 1, 'at-word-end', 4, 3500);
  gap('silent-gap-noise', 1, 1, 1, 'in-word', 4, 1200);
  gap('silent-gap-noise', 3, 2, 2, 'in-pause', 4, 2000);
  for (const [prompt, turn, turns, frac] of [
    [0, 1, 1, 0.3],
    [2, 1, 1, 0.6],
    [3, 2, 2, 0.8],
  ] as const) {
    const atMs = Math.round(lenMs(prompt) * frac);
    add({
      kind: 'truncate-audio',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'truncate-audio', atMs }],
      note: `audio stops at ${(atMs / 1000).toFixed(2)} s (${Math.round(frac * 100)} %)`,
    });
  }
  add({
    kind: 'no-audio-done',
    prompt: 2,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'no-audio-done' }],
    note: 'no audio .done',
  });
  add({
    kind: 'no-audio-done',
    prompt: 3,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'no-audio-done' }],
    multiItem: true,
    note: 'no audio .done (two audio items)',
  });
  add({
    kind: 'no-response-done',
    prompt: 1,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'no-response-done' }],
    turnTimeoutMs: 7000,
    extraMs: 5000,
    note: 'no response.done; turn timeout 7 s',
  });
  add({
    kind: 'no-response-done',
    prompt: 2,
    turn: 2,
    turns: 2,
    faults: [{ kind: 'no-response-done', afterAudioDone: true }],
    turnTimeoutMs: 7000,
    extraMs: 5000,
    note: 'no response.done (audio .done sent); turn timeout 7 s',
  });
  for (const [prompt, atMs, durationMs] of [
    [0, 1000, 2000],
    [3, 3000, 4000],
  ] as const) {
    add({
      kind: 'stall',
      prompt,
      turn: 1,
      turns: 1,
      faults: [{ kind: 'stall', atMs, durationMs }],
      extraMs: durationMs,
      note: `delivery stalls ${(durationMs / 1000).toFixed(1)} s at ${(atMs / 1000).toFixed(1)} s of audio`,
    });
  }
  add({
    kind: 'drop',
    prompt: 1,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'drop', atMs: 2000 }],
    note: 'TCP drop (1006) at 2.0 s of audio',
  });
  add({
    kind: 'close-1001',
    prompt: 2,
    turn: 2,
    turns: 2,
    faults: [{ kind: 'close', atMs: 3000, code: 1001, reason: 'Your session hit the maximum duration of 60 minutes.' }],
    note: 'close 1001 at 3.0 s of audio',
  });
  add({
    kind: 'status-failed',
    prompt: 0,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'status', status: 'failed', atMs: 2500 }],
    note: 'response.done failed at 2.5 s, no output',
  });
  add({
    kind: 'status-incomplete',
    prompt: 3,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'status', status: 'incomplete', reason: 'max_output_tokens', atMs: 4000 }],
    note: 'response.done incomplete at 4.0 s',
  });
  add({
    kind: 'error-event',
    prompt: 2,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'error-event', atMs: 1500 }],
    note: 'error event at 1.5 s of audio',
  });
  for (const [prompt, speed] of [
    [1, 0.6],
    [3, 0.8],
  ] as const) {
    add({
      kind: 'slow-delivery',
      prompt,
      turn: 1,
      turns: 1,
      faults: [{ kind: 'slow-delivery', speed }],
      turnTimeoutMs: 40_000,
      extraMs: lenMs(prompt) / speed,
      note: `delivery at ${speed}× real time`,
    });
  }
  add({
    kind: 'text-only',
    prompt: 0,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'text-only' }],
    note: 'transcript but no audio (audio expected)',
  });
  add({
    kind: 'slow-first-audio',
    prompt: 2,
    turn: 1,
    turns: 1,
    faults: [{ kind: 'slow-first-audio', delayMs: 4500 }],
    extraMs: 4500,
    note: 'first audio 4.5 s after response.create',
  });

  // --- Healthy: real delta sizes, bursts far ahead of real time, two-item answers, late deltas, and natural pauses
  // stretched to ~900 ms (the sentence pauses are 500–800 ms; −80 dBFS filler makes up the rest, as the voice's pauses).
  const healthy = (
    prompt: number,
    turns: number,
    delivery: Scenario['delivery'],
    note: string,
    faults: Fault[] = [],
    multiItem = false,
  ): void => add({ kind: 'healthy', prompt, turn: 1, turns, faults, delivery, multiItem, note });
  for (let p = 0; p < 4; p++) healthy(p, 1, REAL, 'bursts of 1.5 s at 6×, real deltas');
  for (let p = 0; p < 2; p++) healthy(p + 1, 2, { speed: 10, burstMs: 4000, jitterMs: 30 }, 'bursts of 4 s at 10×');
  healthy(3, 1, { speed: 4 }, 'one real-sized delta at a time at 4×');
  healthy(0, 2, { speed: 3, burstMs: 1000, jitterMs: 120 }, 'bursts of 1 s at 3×, 120 ms jitter');
  healthy(2, 1, REAL, 'two audio items', [], true);
  healthy(1, 1, REAL, 'last audio delta 150 ms after audio .done', [{ kind: 'late-deltas', count: 1, afterMs: 150 }]);
  for (const [prompt, turns] of [
    [0, 1],
    [2, 1],
    [3, 2],
    [1, 1],
  ] as const) {
    const s = spoken.get(catalog[prompt]!.id)!;
    const faults: Fault[] = [];
    let shift = 0;
    s.tokens.forEach((tok, k) => {
      const next = s.tokens[k + 1];
      if (!next || !/[.,]$/.test(tok.text)) return;
      const pauseMs = (next.startByte - tok.endByte) / BYTES_PER_MS;
      const extra = Math.floor(880 - pauseMs);
      if (extra < 20) return;
      faults.push({
        kind: 'silent-gap',
        atMs: Math.round(placeGap(s, 'in-pause', k)) + shift,
        durationMs: extra,
        noiseDbfs: -80,
      });
      shift += extra;
    });
    healthy(prompt, turns, REAL, `every sentence/comma pause stretched to ~880 ms (${faults.length} pauses)`, faults);
  }
  return { catalog, scenarios, cases, spoken };
}
