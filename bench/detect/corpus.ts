/**
 * The original labeled corpus of bench:detect (the simulator's old beliefs: 100–200 ms deltas): simulator
 * scenarios with, per run, the expected finding codes of the faulty turn (bench/detect/expected.ts) and, for
 * silent gaps, the true gap position and length in that turn's output audio. The real-wire corpus beside it is
 * in realWire.ts; both share the case builder here.
 *
 * Since the simulator refuses OpenAI's beta interface as the service does (May 2026), the beta dialect is
 * covered by Azure preview here (the fourth flavour of the rotation was `openai-beta`).
 *
 * Answers are shortened (8–10 s of speech each, sentence pauses of 500–800 ms) through a custom catalogue: the
 * four catalogue prompts keep their audio (the simulator matches a turn to its prompt by byte length) and get a
 * shorter answer and a matching expected word.
 *
 * Ground truth of a silent gap comes from the simulator's own speech plan (`speak()`: the voiced span of every
 * word): after the injected spans are inserted the way the simulator inserts them (sample-exact at `atMs * 48`,
 * shifting what follows; a gap inside a word splits the word's voice in two), the TRUE silent run is the
 * maximal stretch with no voiced word that contains the injected span — the injected span plus any natural pause
 * it touches on either side. Most gaps are placed strictly inside a word (truth = the injected span exactly);
 * some are placed in a natural pause or at a word's end, where the truth is the merged run.
 */
import { speak, type Fault, type Scenario, type SpokenAnswer } from '../../src/sim/index.js';
import type { PromptSpec } from '../../src/prompts/catalog.js';
import type { OutputAudioFormat } from '../../src/realtime/events.js';
import type { Flavour } from '../../src/realtime/flavours.js';
import { expectationOf, type Expectation } from './expected.js';

export const SEED = 7;
export const BYTES_PER_MS = 48;

export type { Flavour };
/**
 * Which flavour each case of the original corpus runs on, in turn (beta dialect through Azure preview): corpus data,
 * fixed so the corpus measures what it always measured; what a flavour is comes from the flavour table.
 */
const ROTATION: readonly Flavour[] = ['azure-ga', 'azure-preview', 'openai-ga', 'azure-preview'];

/** The old simulator's delta size, kept for this corpus so it measures what it always measured. */
export const OLD_DELTAS = { min: 100, max: 200 } as const;

/** Fault kinds of the original corpus. */
export const FAULT_KINDS = [
  'silent-gap',
  'silent-gap-noise',
  'truncate-audio',
  'no-audio-done',
  'no-response-done',
  'stall',
  'drop',
  'close-1001',
  'close-1011',
  'status-failed',
  'status-incomplete',
  'error-event',
  'slow-delivery',
  'text-only',
  'slow-first-audio',
];

/** Shorter answers for the four catalogue prompts (ids must exist in prompts/catalog.json). */
const ANSWERS: readonly { id: string; answer: string; expect: string[] }[] = [
  {
    id: 'count-to-twenty',
    answer: 'Sure. One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.',
    expect: ['ten'],
  },
  {
    id: 'nato-alphabet',
    answer: 'Alpha, bravo, charlie, delta, echo, foxtrot, golf, hotel, india, juliett, kilo, lima.',
    expect: ['lima'],
  },
  {
    id: 'days-of-week',
    answer: 'Monday starts the working week. Wednesday is the middle of the week. Sunday closes the week quietly.',
    expect: ['sunday'],
  },
  {
    id: 'planets',
    answer: 'Mercury is the smallest planet. Earth is our home. Jupiter is the largest. Neptune is the farthest.',
    expect: ['neptune'],
  },
];

export type GapPlacement = 'in-word' | 'in-pause' | 'at-word-end';

/** A gap's ground truth, in the faulty turn's output audio. */
export interface TruthGap {
  turn: number;
  placement: GapPlacement;
  noise: boolean;
  /** What was injected (output-audio coordinates). */
  injectedAtMs: number;
  injectedMs: number;
  /** The true silent run containing it. */
  atMs: number;
  durationMs: number;
}

/** What the simulator plans for one turn of a reasoning model: its spoken preamble, if any, and that audio's bytes. */
export interface PlannedTurn {
  preamble: string | undefined;
  preambleBytes: number;
}

export interface Case {
  id: string;
  /** A key of EXPECTED (expected.ts), or 'healthy'. */
  kind: string;
  healthy: boolean;
  flavour: Flavour;
  /** The model (or Azure deployment) the URL names: it picks the simulator's model profile (default gpt-realtime). */
  deployment?: string;
  /** The output format the probe asks for (default PCM16). */
  outputFormat?: OutputAudioFormat;
  /** Reasoning models: the simulator's plan of each turn (index = turn − 1), for the labels and the gaps' truth. */
  planned?: PlannedTurn[];
  /** One prompt per turn. */
  prompts: PromptSpec[];
  scenario: Scenario;
  /** The faulty turn and the codes it must produce (none for healthy runs). */
  expect: ({ turn: number } & Expectation) | undefined;
  /** Silent tails: where the tail starts in the faulty turn's audio, and its noise level (undefined = digital). */
  tail?: { atMs: number; noiseDbfs: number | undefined };
  gaps: TruthGap[];
  turnTimeoutMs: number;
  /** Rough wall time, for scheduling the longest runs first. */
  estimateMs: number;
  note: string;
}

export interface Corpus {
  catalog: PromptSpec[];
  scenarios: Record<string, Scenario>;
  cases: Case[];
  /** The speech plan of each prompt's answer. */
  spoken: Map<string, SpokenAnswer>;
}

const BURSTY = { speed: 4, burstMs: 500, jitterMs: 5 };
const toBytes = (ms: number): number => Math.floor((ms * BYTES_PER_MS) / 2) * 2;

/** Where a gap goes, on the answer's original (gap-free) timeline, in whole ms. */
export function placeGap(s: SpokenAnswer, placement: GapPlacement, token: number): number {
  const tok = s.tokens[token];
  const next = s.tokens[token + 1];
  if (!tok || !next) throw new Error(`token ${token} has no successor in "${s.text}"`);
  if (placement === 'in-word') return Math.round((tok.startByte + tok.endByte) / 2 / BYTES_PER_MS);
  if (placement === 'in-pause') return Math.round((tok.endByte + next.startByte) / 2 / BYTES_PER_MS);
  return Math.ceil(tok.endByte / BYTES_PER_MS);
}

/**
 * The true silent runs for gaps injected as the simulator does (response-plan.ts applyGaps: ascending `atMs`,
 * each in output-audio coordinates, inserted at `toBytes(atMs)`, shifting later audio), from the voiced spans of
 * the speech plan.
 */
export function trueGaps(
  s: SpokenAnswer,
  gaps: readonly { atMs: number; durationMs: number }[],
): { atMs: number; durationMs: number; injectedAtMs: number; injectedMs: number }[] {
  let total = s.pcm.length;
  let voiced: [number, number][] = s.tokens.filter((t) => t.endByte > t.startByte).map((t) => [t.startByte, t.endByte]);
  let injected: [number, number][] = [];
  for (const g of [...gaps].sort((a, b) => a.atMs - b.atMs)) {
    const at = Math.min(toBytes(g.atMs), total);
    const len = toBytes(g.durationMs);
    voiced = voiced.flatMap(([a, b]): [number, number][] =>
      b <= at
        ? [[a, b]]
        : a >= at
          ? [[a + len, b + len]]
          : [
              [a, at],
              [at + len, b + len],
            ],
    );
    injected = injected.map(([a, b]): [number, number] => (a >= at ? [a + len, b + len] : [a, b]));
    injected.push([at, at + len]);
    total += len;
  }
  return injected
    .sort((x, y) => x[0] - y[0])
    .map(([a, b]) => {
      const left = Math.max(...voiced.filter(([, e]) => e <= a).map(([, e]) => e));
      const right = Math.min(...voiced.filter(([st]) => st >= b).map(([st]) => st));
      if (!Number.isFinite(left) || !Number.isFinite(right)) throw new Error('a gap must lie inside the speech');
      return {
        atMs: left / BYTES_PER_MS,
        durationMs: (right - left) / BYTES_PER_MS,
        injectedAtMs: a / BYTES_PER_MS,
        injectedMs: (b - a) / BYTES_PER_MS,
      };
    });
}

/** The natural pauses of an answer (between voiced words), in ms. */
export function naturalPauses(s: SpokenAnswer): number[] {
  const v = s.tokens.filter((t) => t.endByte > t.startByte);
  return v.slice(1).map((t, i) => (t.startByte - v[i]!.endByte) / BYTES_PER_MS);
}

/** The four catalogue prompts with the corpus's shorter answers, and their speech plans. */
export function corpusCatalog(baseCatalog: readonly PromptSpec[]): {
  catalog: PromptSpec[];
  spoken: Map<string, SpokenAnswer>;
} {
  const catalog: PromptSpec[] = ANSWERS.map((a) => {
    const p = baseCatalog.find((q) => q.id === a.id);
    if (!p) throw new Error(`prompt ${a.id} is not in the catalogue`);
    return { ...p, answer: a.answer, expect: a.expect };
  });
  return { catalog, spoken: new Map(catalog.map((p) => [p.id, speak(p.answer!, SEED)])) };
}

/** One case to add. */
export interface Spec {
  kind: string;
  /** Prompt index (0–3) of the faulty turn. */
  prompt: number;
  turn: number;
  turns: number;
  faults: Fault[];
  delivery?: Scenario['delivery'];
  multiItem?: boolean;
  gaps?: TruthGap[];
  turnTimeoutMs?: number;
  note: string;
  extraMs?: number;
  /** Overrides the flavour rotation. */
  flavour?: Flavour;
  deployment?: string;
  outputFormat?: OutputAudioFormat;
  /** Scenario extras (refusal, answer, …). */
  scenario?: Partial<Scenario>;
  tail?: Case['tail'];
}

/** A case builder over `catalog`: ids are `<prefix><nn>-<kind>`, flavours rotate through `flavours`. */
export function caseBuilder(o: {
  prefix: string;
  catalog: PromptSpec[];
  spoken: Map<string, SpokenAnswer>;
  flavours: readonly Flavour[];
  defaultDelivery: NonNullable<Scenario['delivery']>;
  /** Delta size for every delivery that names none (undefined: the simulator's default, 200–500 ms). */
  deltaMs?: { min: number; max: number };
}) {
  const scenarios: Record<string, Scenario> = {};
  const cases: Case[] = [];
  let n = 0;
  const add = (s: Spec): void => {
    const i = n++;
    const id = `${o.prefix}${String(i).padStart(2, '0')}-${s.kind}`;
    const flavour = s.flavour ?? o.flavours[i % o.flavours.length]!;
    const prompts = Array.from({ length: s.turns }, (_, t) => o.catalog[(s.prompt + t - (s.turn - 1) + 8) % 4]!);
    const healthy = s.kind === 'healthy';
    const turnPlans = Array.from({ length: s.turns }, (_, t) => ({ faults: t === s.turn - 1 ? s.faults : [] }));
    const delivery = { ...(s.delivery ?? o.defaultDelivery) };
    if (o.deltaMs && !delivery.deltaMs) delivery.deltaMs = o.deltaMs;
    const scenario: Scenario = {
      name: `detect-${id}`,
      description: s.note,
      delivery,
      turns: turnPlans,
      ...(s.scenario ?? {}),
    };
    if (s.multiItem) scenario.multiItem = true;
    scenarios[scenario.name] = scenario;
    const speed = scenario.delivery?.speed ?? 4;
    const perTurn = prompts.reduce((sum, p) => sum + o.spoken.get(p.id)!.pcm.length / BYTES_PER_MS / speed + 900, 0);
    cases.push({
      id,
      kind: s.kind,
      healthy,
      flavour,
      ...(s.deployment ? { deployment: s.deployment } : {}),
      ...(s.outputFormat ? { outputFormat: s.outputFormat } : {}),
      prompts,
      scenario,
      expect: healthy ? undefined : { turn: s.turn, ...expectationOf(s.kind) },
      ...(s.tail ? { tail: s.tail } : {}),
      gaps: s.gaps ?? [],
      turnTimeoutMs: s.turnTimeoutMs ?? 30_000,
      estimateMs: perTurn + (s.extraMs ?? 0),
      note: `${s.note}${s.turns > 1 ? (healthy ? ` — ${s.turns} turns` : ` — turn ${s.turn} of ${s.turns}`) : ''}`,
    });
  };
  return { add, scenarios, cases };
}

export function buildCorpus(baseCatalog: readonly PromptSpec[]): Corpus {
  const { catalog, spoken } = corpusCatalog(baseCatalog);
  const lenMs = (p: number): number => spoken.get(catalog[p % 4]!.id)!.pcm.length / BYTES_PER_MS;
  const { add, scenarios, cases } = caseBuilder({
    prefix: '',
    catalog,
    spoken,
    flavours: ROTATION,
    defaultDelivery: BURSTY,
    deltaMs: OLD_DELTAS,
  });

  // --- Silent gaps: digital silence and −60 dBFS noise, 1.0–4.0 s, inside words, in pauses, at word ends.
  type GapSpec = [prompt: number, turn: number, turns: number, gaps: [GapPlacement, number, number][]];
  const gapCases = (kind: 'silent-gap' | 'silent-gap-noise', list: GapSpec[]): void => {
    for (const [prompt, turn, turns, gs] of list) {
      const s = spoken.get(catalog[prompt]!.id)!;
      // Positions on the original timeline → output-audio coordinates (each earlier gap shifts the later ones).
      const placed = gs
        .map(([placement, token, durationMs]) => ({ placement, durationMs, orig: placeGap(s, placement, token) }))
        .sort((a, b) => a.orig - b.orig);
      let shift = 0;
      const injected = placed.map((g) => {
        const atMs = g.orig + shift;
        shift += g.durationMs;
        return { ...g, atMs };
      });
      const noise = kind === 'silent-gap-noise';
      const truth = trueGaps(s, injected);
      const gaps: TruthGap[] = truth.map((t, k) => ({ turn, placement: injected[k]!.placement, noise, ...t }));
      const faults: Fault[] = injected.map((g) =>
        noise
          ? { kind: 'silent-gap', atMs: g.atMs, durationMs: g.durationMs, noiseDbfs: -60 }
          : { kind: 'silent-gap', atMs: g.atMs, durationMs: g.durationMs },
      );
      const what = injected
        .map(
          (g) =>
            `${(g.durationMs / 1000).toFixed(1)} s ${noise ? '−60 dBFS noise' : 'digital silence'} ${g.placement} at ${(g.atMs / 1000).toFixed(2)} s`,
        )
        .join(' + ');
      add({ kind, prompt, turn, turns, faults, gaps, note: what, extraMs: shift / 4 });
    }
  };
  gapCases('silent-gap', [
    [0, 1, 1, [['in-word', 3, 1000]]],
    [1, 1, 1, [['in-pause', 2, 1000]]],
    [2, 1, 2, [['in-word', 5, 1500]]],
    [3, 2, 2, [['at-word-end', 4, 2000]]],
    [0, 2, 3, [['in-word', 6, 2500]]],
    [1, 1, 1, [['in-pause', 6, 3000]]],
    [2, 3, 3, [['in-word', 10, 3500]]],
    [3, 1, 1, [['in-word', 1, 4000]]],
    [
      2,
      1,
      1,
      [
        ['in-word', 2, 1200],
        ['in-pause', 11, 2200],
      ],
    ],
    [0, 1, 2, [['at-word-end', 8, 1800]]],
  ]);
  gapCases('silent-gap-noise', [
    [1, 1, 1, [['in-word', 4, 1000]]],
    [3, 1, 1, [['in-pause', 4, 1500]]],
    [0, 2, 2, [['in-word', 2, 2000]]],
    [2, 1, 1, [['at-word-end', 8, 2500]]],
    [3, 2, 3, [['in-word', 9, 3000]]],
    [1, 1, 1, [['in-word', 8, 4000]]],
  ]);

  // --- Truncation at several points of the answer (fraction of its audio).
  for (const [prompt, turn, turns, frac] of [
    [0, 1, 1, 0.25],
    [1, 1, 1, 0.4],
    [2, 1, 2, 0.55],
    [3, 2, 2, 0.7],
    [0, 1, 1, 0.85],
    [1, 3, 3, 0.5],
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

  // --- Terminal events.
  for (const [prompt, turn, turns, multiItem] of [
    [2, 1, 1, false],
    [3, 2, 2, false],
    [0, 3, 3, false],
    [2, 1, 1, true],
  ] as const) {
    add({
      kind: 'no-audio-done',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'no-audio-done' }],
      multiItem,
      note: `no audio .done${multiItem ? ' (two audio items)' : ''}`,
    });
  }
  for (const [prompt, turn, turns, afterAudioDone] of [
    [1, 1, 1, false],
    [2, 2, 2, true],
    [3, 1, 2, true],
    [0, 3, 3, false],
  ] as const) {
    add({
      kind: 'no-response-done',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'no-response-done', afterAudioDone }],
      turnTimeoutMs: 7000,
      extraMs: 5000,
      note: `no response.done${afterAudioDone ? ' (audio .done sent)' : ''}; turn timeout 7 s`,
    });
  }

  // --- Stalls of several lengths.
  for (const [prompt, turn, turns, atMs, durationMs] of [
    [0, 1, 1, 500, 1500],
    [1, 1, 1, 1000, 2000],
    [2, 2, 2, 4000, 3000],
    [3, 1, 1, 2000, 4000],
    [0, 2, 3, 6000, 6000],
  ] as const) {
    add({
      kind: 'stall',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'stall', atMs, durationMs }],
      extraMs: durationMs,
      note: `delivery stalls ${(durationMs / 1000).toFixed(1)} s at ${(atMs / 1000).toFixed(1)} s of audio`,
    });
  }

  // --- Connection ends.
  for (const [prompt, turn, turns, atMs] of [
    [1, 1, 1, 1000],
    [2, 2, 2, 3000],
    [3, 2, 3, 6000],
    [0, 3, 3, 500],
  ] as const) {
    add({
      kind: 'drop',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'drop', atMs }],
      note: `TCP drop (1006) at ${(atMs / 1000).toFixed(1)} s of audio`,
    });
  }
  for (const [code, list] of [
    [
      1001,
      [
        [2, 1, 1, 2000],
        [3, 2, 3, 4000],
        [0, 1, 2, 7000],
      ],
    ],
    [
      1011,
      [
        [1, 1, 1, 1500],
        [2, 2, 2, 3000],
        [3, 3, 3, 5000],
      ],
    ],
  ] as const) {
    for (const [prompt, turn, turns, atMs] of list) {
      const reason = code === 1001 ? 'Your session hit the maximum duration of 60 minutes.' : 'Internal server error';
      add({
        kind: `close-${code}`,
        prompt,
        turn,
        turns,
        faults: [{ kind: 'close', atMs, code, reason }],
        note: `close ${code} at ${(atMs / 1000).toFixed(1)} s of audio`,
      });
    }
  }

  // --- Response status.
  for (const [status, list] of [
    [
      'failed',
      [
        [0, 1, 1, 2000],
        [1, 2, 2, 5000],
        [2, 1, 2, undefined],
      ],
    ],
    [
      'incomplete',
      [
        [3, 1, 1, 4000],
        [0, 2, 3, undefined],
        [1, 3, 3, 1000],
      ],
    ],
  ] as const) {
    for (const [prompt, turn, turns, atMs] of list) {
      const fault: Fault =
        status === 'failed' ? { kind: 'status', status } : { kind: 'status', status, reason: 'max_output_tokens' };
      if (atMs !== undefined) fault.atMs = atMs;
      add({
        kind: `status-${status}`,
        prompt,
        turn,
        turns,
        faults: [fault],
        note: `response.done ${status} ${atMs === undefined ? 'after all audio' : `at ${(atMs / 1000).toFixed(1)} s`}`,
      });
    }
  }

  // --- Error events mid-response.
  for (const [prompt, turn, turns, atMs, code] of [
    [2, 1, 1, 500, undefined],
    [3, 2, 2, 3000, undefined],
    [0, 1, 1, 7000, 'rate_limit_exceeded'],
    [1, 3, 3, 2000, undefined],
  ] as const) {
    const fault: Fault = { kind: 'error-event', atMs };
    if (code) fault.code = code;
    add({
      kind: 'error-event',
      prompt,
      turn,
      turns,
      faults: [fault],
      note: `error event${code ? ` ${code}` : ''} at ${(atMs / 1000).toFixed(1)} s of audio`,
    });
  }

  // --- Delivery: slower than real time, and a late first audio delta.
  for (const [prompt, turn, turns, speed] of [
    [1, 1, 1, 0.5],
    [2, 2, 2, 0.65],
    [3, 1, 1, 0.75],
    [0, 3, 3, 0.8],
  ] as const) {
    add({
      kind: 'slow-delivery',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'slow-delivery', speed }],
      turnTimeoutMs: 40_000,
      extraMs: lenMs(prompt) / speed,
      note: `delivery at ${speed}× real time`,
    });
  }
  for (const [prompt, turn, turns] of [
    [0, 1, 1],
    [2, 2, 2],
    [3, 2, 3],
  ] as const) {
    add({
      kind: 'text-only',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'text-only' }],
      note: 'transcript but no audio (audio expected)',
    });
  }
  for (const [prompt, turn, turns, delayMs] of [
    [1, 1, 1, 3500],
    [3, 2, 2, 5000],
    [0, 1, 2, 8000],
  ] as const) {
    add({
      kind: 'slow-first-audio',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'slow-first-audio', delayMs }],
      extraMs: delayMs,
      note: `first audio ${(delayMs / 1000).toFixed(1)} s after response.create`,
    });
  }

  // --- Healthy runs: natural pauses up to ~800 ms, several delivery shapes, two-item answers, late deltas within the grace period.
  const healthy = (
    prompt: number,
    turns: number,
    delivery: Scenario['delivery'] | undefined,
    note: string,
    faults: Fault[] = [],
    multiItem = false,
    lateTurn = 1,
  ): void => add({ kind: 'healthy', prompt, turn: lateTurn, turns, faults, delivery, multiItem, note });
  for (let p = 0; p < 4; p++) healthy(p, 1, BURSTY, 'bursts of 0.5 s at 4×, 5 ms jitter');
  for (let p = 0; p < 4; p++) healthy(p, 2, { speed: 4 }, 'one delta at a time at 4×');
  for (let p = 0; p < 3; p++)
    healthy(p + 1, p === 0 ? 2 : 1, { speed: 3, burstMs: 1500, jitterMs: 80 }, 'bursts of 1.5 s at 3×, 80 ms jitter');
  for (let p = 0; p < 3; p++)
    healthy(p, p === 2 ? 2 : 1, { speed: 2, burstMs: 1000, jitterMs: 150 }, 'bursts of 1 s at 2×, 150 ms jitter');
  for (let p = 0; p < 2; p++)
    healthy(p + 2, 3, { speed: 6, burstMs: 250, jitterMs: 40 }, 'bursts of 0.25 s at 6×, 40 ms jitter');
  healthy(0, 1, BURSTY, 'two audio items', [], true);
  healthy(1, 2, BURSTY, 'two audio items', [], true);
  healthy(2, 1, { speed: 3, burstMs: 1500, jitterMs: 80 }, 'two audio items, 1.5 s bursts, 80 ms jitter', [], true);
  healthy(3, 3, { speed: 4 }, 'two audio items, one delta at a time', [], true);
  healthy(0, 1, BURSTY, 'last audio delta 100 ms after audio .done', [{ kind: 'late-deltas', count: 1, afterMs: 100 }]);
  healthy(
    1,
    2,
    BURSTY,
    'last 2 audio deltas 200 ms after audio .done',
    [{ kind: 'late-deltas', count: 2, afterMs: 200 }],
    false,
    2,
  );
  healthy(2, 1, BURSTY, 'last 3 audio deltas 300 ms after audio .done', [
    { kind: 'late-deltas', count: 3, afterMs: 300 },
  ]);
  healthy(3, 1, BURSTY, 'last 2 audio deltas 250 ms after audio .done, response.done held back', [
    { kind: 'late-deltas', count: 2, afterMs: 250, holdResponseDone: true },
  ]);

  return { catalog, scenarios, cases, spoken };
}
