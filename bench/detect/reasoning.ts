/**
 * The reasoning corpus of bench:detect (issue 19): the current models, `gpt-realtime-2.1` and `gpt-realtime-2.1-mini`
 * (the simulator's reasoning profile, picked by the model the URL names), on both dialects and both services.
 * Healthy turns speak a `commentary` preamble, reason in silence for 0.5 to 8 s, then give the `final_answer`, in one
 * response or as two generations (the answer a second response nobody asked for), over single and multi-turn
 * sessions; a model that thinks before speaking at all; an honest G.711 μ-law session. Beside them every new fault:
 * a reasoning pause past `reasoningMaxMs`, a preamble-only turn, a silent second generation, a hole inside the final
 * answer (its true position = the planned preamble's audio + where the gap sits in the answer's speech plan),
 * capacity and RPM / RPD rate limits, the 2026 upgrade refusals, a retired model, repeated audio, the session cap
 * and a requested `audio/pcmu` answered with PCM16. Expected codes and categories: expected.ts.
 */
import type { PromptSpec } from '../../src/prompts/catalog.js';
import {
  DEFAULT_REASONING_EFFORT,
  faultsForTurn,
  profileOf,
  speak,
  type Fault,
  type Scenario,
  type SpokenAnswer,
} from '../../src/sim/index.js';
import { createRng, mixSeed } from '../../src/sim/random.js';
import { planTurn } from '../../src/sim/turn-plan.js';
import {
  BYTES_PER_MS,
  SEED,
  caseBuilder,
  corpusCatalog,
  placeGap,
  trueGaps,
  type Case,
  type Corpus,
  type Flavour,
  type GapPlacement,
  type PlannedTurn,
  type Spec,
  type TruthGap,
} from './corpus.js';

/** Both dialects and both services (Azure preview speaks beta), GA-heavy as real targets are. */
const ROTATION: readonly Flavour[] = ['azure-ga', 'openai-ga', 'azure-preview', 'openai-ga', 'azure-ga'];
const MODELS = ['gpt-realtime-2.1', 'gpt-realtime-2.1-mini'] as const;
/** The real service's style: bursts of ~0.5 s at 4×, deltas of 200–500 ms (the simulator's default). */
const BURSTY: NonNullable<Scenario['delivery']> = { speed: 4, burstMs: 500, jitterMs: 5 };
const REAL: NonNullable<Scenario['delivery']> = { speed: 6, burstMs: 1500, jitterMs: 20 };

/** The simulator's plan of every turn of `c` (as its responses.ts plans it): the preamble and its audio. */
function plannedTurns(c: Case): PlannedTurn[] {
  const profile = profileOf(c.deployment ?? 'gpt-realtime', c.scenario.profile);
  const say = (text: string): SpokenAnswer => speak(text, SEED);
  return c.prompts.map((p, i) => {
    const turn = i + 1;
    const planned = planTurn({
      profile,
      effort: DEFAULT_REASONING_EFFORT,
      pinned: c.scenario.reasoning,
      input: {
        spoken: say(c.scenario.answer ?? p.answer ?? ''),
        faults: faultsForTurn(c.scenario, turn),
        delivery: c.scenario.delivery,
        modality: 'audio',
        rng: createRng(mixSeed('turn', SEED, turn)),
      },
      speak: say,
      seed: SEED,
      turn,
    });
    const preamble = planned.shape.preamble;
    return { preamble, preambleBytes: preamble ? (planned.first.items[0]?.audioBytes ?? 0) : 0 };
  });
}

export function buildReasoningCorpus(baseCatalog: readonly PromptSpec[]): Corpus {
  const { catalog, spoken } = corpusCatalog(baseCatalog);
  const b = caseBuilder({ prefix: 'rs', catalog, spoken, flavours: ROTATION, defaultDelivery: BURSTY });
  let n = 0;
  /** Adds a case on a reasoning model (alternating 2.1 and 2.1-mini) with the simulator's plan of its turns. */
  const add = (s: Spec & { reasoningMs?: number; preamble?: boolean }): Case => {
    const { reasoningMs, preamble, ...spec } = s;
    const reasoning = {
      ...(preamble === undefined ? {} : { preamble }),
      ...(reasoningMs === undefined ? {} : { reasoningMs }),
    };
    b.add({
      deployment: MODELS[n++ % MODELS.length],
      ...spec,
      extraMs: (spec.extraMs ?? 0) + spec.turns * (reasoningMs ?? 2000) + 1500,
      scenario: {
        profile: 'reasoning',
        ...(reasoningMs || preamble !== undefined ? { reasoning } : {}),
        ...s.scenario,
      },
    });
    const c = b.cases[b.cases.length - 1]!;
    c.planned = plannedTurns(c);
    return c;
  };
  const sec = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

  // --- Healthy: preamble, reasoning from 0.5 to 8 s, answer; single and multi-turn; bursty and real-style delivery.
  for (const [prompt, turns, reasoningMs, delivery] of [
    [0, 1, 500, BURSTY],
    [1, 1, 1000, REAL],
    [2, 2, 1500, BURSTY],
    [3, 1, 2000, BURSTY],
    [0, 3, 2800, REAL],
    [1, 1, 3800, BURSTY],
    [2, 2, 5000, BURSTY],
    [3, 1, 6500, REAL],
    [0, 2, 8000, BURSTY],
    [1, 1, 8000, REAL],
  ] as const) {
    add({
      kind: 'healthy',
      prompt,
      turn: 1,
      turns,
      faults: [],
      delivery,
      reasoningMs,
      preamble: true,
      note: `preamble, ${sec(reasoningMs)} of reasoning, answer`,
    });
  }
  // Thinking before the first audio, no preamble (the profile speaks one only before longer reasoning).
  for (const [prompt, turns, reasoningMs] of [
    [2, 1, 500],
    [3, 2, 1200],
    [0, 1, 3000],
  ] as const) {
    add({
      kind: 'healthy',
      prompt,
      turn: 1,
      turns,
      faults: [],
      reasoningMs,
      preamble: false,
      note: `no preamble, ${sec(reasoningMs)} of reasoning before the first audio`,
    });
  }
  // As the profile draws them (reasoning.effort low: 0.5–2 s, a preamble from 1.5 s), three turns each.
  for (const prompt of [1, 2]) {
    add({ kind: 'healthy', prompt, turn: 1, turns: 3, faults: [], note: 'preambles and pauses as the profile draws' });
  }
  // Two generations for one turn: the answer as a second response nobody asked for.
  for (const [prompt, turn, turns, afterMs] of [
    [3, 1, 1, 500],
    [0, 2, 2, 1200],
    [1, 1, 3, 3000],
    [2, 2, 3, 6000],
  ] as const) {
    const faults = Array.from({ length: turns }, (_, t): Fault[] =>
      t === turn - 1 ? [{ kind: 'second-generation', afterMs }] : [],
    );
    add({
      kind: 'healthy',
      prompt,
      turn: 1,
      turns,
      faults: [],
      reasoningMs: 2000,
      preamble: true,
      scenario: { turns: faults.map((f) => ({ faults: f })) },
      note: `two generations in turn ${turn}: the answer ${sec(afterMs)} after the preamble's response.done`,
    });
  }
  // G.711 μ-law asked for and sent (GA audio/pcmu, beta g711_ulaw): the probe decodes it.
  for (const flavour of ['openai-ga', 'azure-preview'] as const) {
    add({
      kind: 'healthy',
      prompt: flavour === 'openai-ga' ? 3 : 0,
      turn: 1,
      turns: 2,
      faults: [],
      flavour,
      outputFormat: 'pcmu',
      reasoningMs: 2800,
      preamble: true,
      note: 'audio/pcmu asked for and sent',
    });
  }

  // --- A reasoning pause past reasoningMaxMs (10 s).
  for (const [prompt, reasoningMs] of [
    [0, 11_000],
    [2, 13_000],
    [3, 16_000],
  ] as const) {
    add({
      kind: 'long-reasoning',
      prompt,
      turn: 1,
      turns: 1,
      faults: [],
      reasoningMs,
      preamble: true,
      turnTimeoutMs: 45_000,
      note: `preamble, then ${sec(reasoningMs)} of silence before the answer`,
    });
  }
  // --- Preamble only, second generation silent.
  for (const [prompt, turn, turns] of [
    [1, 1, 1],
    [2, 2, 2],
    [3, 1, 3],
    [0, 3, 3],
  ] as const) {
    add({
      kind: 'preamble-only',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'preamble-only' }],
      reasoningMs: 2000,
      preamble: true,
      extraMs: 8000,
      note: '"let me check…", then the response completes without an answer',
    });
  }
  for (const [prompt, turn, turns, afterMs] of [
    [0, 1, 1, 1200],
    [3, 2, 2, 800],
    [1, 1, 2, 3000],
  ] as const) {
    add({
      kind: 'second-generation-silent',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'second-generation', afterMs, audio: false }],
      reasoningMs: 2000,
      preamble: true,
      note: `the answer as a second response ${sec(afterMs)} later, with a transcript and no audio`,
    });
  }

  // --- A hole inside the final answer: truth from the answer's speech plan, after the planned preamble's audio.
  const gap = (
    kind: 'answer-gap' | 'answer-gap-noise',
    [prompt, turn, turns, placement, token, durationMs, reasoningMs]: [
      number,
      number,
      number,
      GapPlacement,
      number,
      number,
      number,
    ],
  ): void => {
    const s = spoken.get(catalog[prompt]!.id)!;
    const atMs = placeGap(s, placement, token);
    const noise = kind === 'answer-gap-noise';
    const fault: Fault = noise
      ? { kind: 'silent-gap', atMs, durationMs, noiseDbfs: -60 }
      : { kind: 'silent-gap', atMs, durationMs };
    const c = add({
      kind,
      prompt,
      turn,
      turns,
      faults: [fault],
      reasoningMs,
      preamble: true,
      extraMs: durationMs,
      note: `${sec(durationMs)} ${noise ? '−60 dBFS noise' : 'digital silence'} ${placement} at ${sec(atMs)} of the answer, after ${sec(reasoningMs)} of reasoning`,
    });
    const shift = (c.planned![turn - 1]!.preambleBytes ?? 0) / BYTES_PER_MS;
    const [truth] = trueGaps(s, [{ atMs, durationMs }]);
    const g: TruthGap = { turn, placement, noise, ...truth! };
    c.gaps = [{ ...g, atMs: g.atMs + shift, injectedAtMs: g.injectedAtMs + shift }];
  };
  gap('answer-gap', [0, 1, 1, 'in-word', 3, 1500, 2800]);
  gap('answer-gap', [1, 1, 1, 'in-pause', 2, 2000, 500]);
  gap('answer-gap', [2, 2, 2, 'in-word', 5, 2500, 6000]);
  gap('answer-gap', [3, 1, 2, 'at-word-end', 4, 3000, 1500]);
  gap('answer-gap-noise', [1, 1, 1, 'in-word', 4, 1200, 3800]);
  gap('answer-gap-noise', [3, 2, 3, 'in-pause', 4, 2000, 8000]);

  // --- Capacity and rate limits on the response.
  for (const [prompt, turn, turns, flavour] of [
    [2, 1, 1, 'azure-ga'],
    [3, 2, 2, 'openai-ga'],
    [0, 1, 3, 'azure-preview'],
  ] as const) {
    add({
      kind: 'capacity',
      prompt,
      turn,
      turns,
      flavour,
      faults: [{ kind: 'capacity-failure' }],
      reasoningMs: 2000,
      note: 'response.done failed, inference_service_unavailable_error',
    });
  }
  for (const [window, prompt, turn, turns, flavour] of [
    ['rpm', 1, 1, 1, 'openai-ga'],
    ['rpm', 2, 2, 2, 'azure-ga'],
    ['rpd', 3, 1, 1, 'azure-ga'],
    ['rpd', 0, 2, 3, 'openai-ga'],
  ] as const) {
    add({
      kind: `rate-limit-${window}`,
      prompt,
      turn,
      turns,
      flavour,
      faults: [{ kind: 'rate-limit', window }],
      reasoningMs: 2000,
      note: `response.done failed, rate_limit_exceeded on requests per ${window === 'rpm' ? 'min' : 'day'}`,
    });
  }
  // --- Upgrades refused, a retired model.
  const refused = (kind: string, flavour: Flavour, scenario: Partial<Scenario>, note: string): void => {
    add({ kind, prompt: 0, turn: 1, turns: 1, faults: [], flavour, scenario, note });
  };
  for (const flavour of ['azure-ga', 'openai-ga'] as const) {
    refused('reject-429', flavour, { upgrade: { status: 429 } }, 'HTTP 429 with retry-after');
    refused('reject-503', flavour, { upgrade: { status: 503 } }, 'HTTP 503');
    refused('model-retired', flavour, { refusal: 'model_not_found' }, 'a retired model');
    refused('reject-400-model', flavour, { refusal: 'model_cannot_realtime' }, 'a model that cannot do realtime');
  }
  refused('reject-403-suspended', 'azure-ga', { upgrade: { status: 403, reason: 'suspended' } }, 'HTTP 403 suspended');
  refused(
    'reject-403-suspended',
    'azure-preview',
    { upgrade: { status: 403, reason: 'suspended' } },
    'HTTP 403 suspended',
  );
  refused('reject-403-network', 'azure-ga', { upgrade: { status: 403, reason: 'network' } }, 'HTTP 403 network rule');

  // --- Repeated audio, the session cap, an ignored output format.
  for (const [prompt, turn, turns] of [
    [2, 1, 1],
    [0, 2, 2],
  ] as const) {
    add({
      kind: 'repeated-audio',
      prompt,
      turn,
      turns,
      faults: [{ kind: 'repeat-deltas', every: 5 }],
      reasoningMs: 1500,
      preamble: true,
      note: 'every fifth delta of the answer sent twice',
    });
  }
  for (const [prompt, flavour] of [
    [1, 'openai-ga'],
    [3, 'azure-ga'],
  ] as const) {
    const maxSessionMs = Math.round(catalog[prompt]!.pcm.length / BYTES_PER_MS) + 2500;
    add({
      kind: 'session-cap',
      prompt,
      turn: 1,
      turns: 1,
      flavour,
      faults: [],
      reasoningMs: 2800,
      preamble: true,
      scenario: { maxSessionMs },
      note: `the session cap reached after ${sec(maxSessionMs)}, during the answer`,
    });
  }
  for (const [prompt, turn, turns, flavour] of [
    [0, 1, 1, 'azure-ga'],
    [2, 2, 2, 'openai-ga'],
    [1, 1, 1, 'azure-preview'],
  ] as const) {
    add({
      kind: 'pcmu-ignored',
      prompt,
      turn,
      turns,
      flavour,
      outputFormat: 'pcmu',
      faults: [{ kind: 'ignore-output-format' }],
      reasoningMs: 2000,
      preamble: true,
      note: 'audio/pcmu asked for and declared, PCM16 sent',
    });
  }
  return { catalog, scenarios: b.scenarios, cases: b.cases, spoken };
}
