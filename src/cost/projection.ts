/**
 * What a configuration will cost before it runs: tokens and dollars per run, per day and per month, per target
 * and in total, plus storage growth. A target's run is estimated from its last runs' real usage when there is
 * history, else from the prompt catalogue: prompt audio at {@link INPUT_AUDIO_TOKENS_PER_S} (OpenAI: 1 token per
 * 100 ms of user audio), answers at the catalogue's reference length spoken at {@link SPEECH_CHARS_PER_S} and
 * {@link OUTPUT_AUDIO_TOKENS_PER_S} (1 per 50 ms of assistant audio), and the conversation so far re-sent as input
 * on every turn (uncached: an upper bound; cached prefixes make real runs cheaper). The rates are the one table's
 * (./rates.ts). Pure: used by `realtime-canary cost`, the budget planner and `validate`.
 */
import { addTokens, priceTokens, zeroTokens, type TokenCounts } from './runCost.js';
import { lookupPrice, type PriceTable } from './prices.js';
import { modelOf } from '../realtime/flavours.js';
import {
  DAYS_PER_MONTH,
  INPUT_AUDIO_TOKENS_PER_S,
  OUTPUT_AUDIO_TOKENS_PER_S,
  PCM_BYTES_PER_MS,
  SPEECH_CHARS_PER_S,
} from './rates.js';

/** Instructions and session text re-read on every response (the captured GA session: 59). */
export const TEXT_INPUT_TOKENS_PER_RESPONSE = 60;
const WAV_BYTES_PER_S = PCM_BYTES_PER_MS * 1000;
/** events.jsonl.gz + report.json + report.html per turn: measured 110 KB on a 3-turn simulator run (27 KB + 14 KB + 289 KB). */
export const LOG_BYTES_PER_TURN = 110_000;

/** What the estimator needs of a catalogue prompt. */
export interface PromptLength {
  id: string;
  /** Prompt audio, ms. */
  promptMs: number;
  /** Reference answer text (undefined for user WAVs: then {@link DEFAULT_ANSWER_CHARS}). */
  answer: string | undefined;
}

export const DEFAULT_ANSWER_CHARS = 290;

/** What the estimator reads of a prompt of the catalogue (the prompt catalogue's PromptSpec has these fields). */
export interface CataloguePrompt {
  id: string;
  /** PCM16 / 24 kHz / mono bytes. */
  pcm: { length: number };
  answer: string | undefined;
}

/** The catalogue's prompts as the estimator needs them: prompt audio in ms from its PCM bytes. */
export function promptLengths(catalog: readonly CataloguePrompt[]): PromptLength[] {
  return catalog.map((p) => ({ id: p.id, promptMs: p.pcm.length / PCM_BYTES_PER_MS, answer: p.answer }));
}

/** What the projection reads of a configured target (config's TargetConfig has these fields). */
export interface CostTarget {
  name: string;
  /** The target's own turns and prompts, when they differ from the round's. */
  turns?: number;
  prompts?: readonly string[];
  /** Azure deployment name or OpenAI model, and the endpoint URL: where the model's name is read from. */
  deployment?: string;
  endpoint?: string;
  /** Runs per region per day when the target has its own interval (`every`); absent: the schedule's. */
  runsPerDayPerRegion?: number;
}

export interface ProjectionInput {
  targets: readonly CostTarget[];
  /** Every region's app probes every target. */
  regions: readonly string[];
  /** The schedule as configured (shown), and how often it fires per day on average (config/runsPerDay.ts). */
  schedule: string;
  runsPerDayPerRegion: number;
  turns: number;
  prompts: readonly string[];
  catalog: readonly PromptLength[];
  prices: PriceTable;
  /** Per target name: token totals of its last runs (newest last). */
  history?: ReadonlyMap<string, readonly TokenCounts[]>;
}

export interface TargetProjection {
  target: string;
  model: string | null;
  source: 'history' | 'catalogue';
  /** History runs averaged (0 for the catalogue). */
  basedOnRuns: number;
  tokensPerRun: TokenCounts;
  usdPerRun: number | null;
  noPrice?: string;
  runsPerDay: number;
  usdPerDay: number | null;
  usdPerMonth: number | null;
  storageBytesPerMonth: number;
}

export interface Projection {
  pricesAsOf: string;
  schedule: string;
  regions: number;
  /** Runs per day of one target in one region. */
  runsPerDayPerRegion: number;
  rows: TargetProjection[];
  total: {
    runsPerDay: number;
    usdPerDay: number;
    usdPerMonth: number;
    storageBytesPerMonth: number;
    unpriced: string[];
  };
}

/** The model a configured target will report: its deployment, or the one its endpoint URL names. */
export function targetModel(t: CostTarget): string | null {
  return t.deployment || modelOf(t.endpoint);
}

/** Tokens of one run of `turns` turns over `prompts`, from the catalogue (see the module comment). */
export function catalogueRunTokens(
  turns: number,
  prompts: readonly string[],
  catalog: readonly PromptLength[],
): { tokens: TokenCounts; audioMs: number } {
  let tokens = zeroTokens();
  let contextAudio = 0;
  let audioMs = 0;
  for (let i = 0; i < turns; i++) {
    const id = prompts[i % prompts.length]!;
    const p = catalog.find((c) => c.id === id);
    const promptMs = p?.promptMs ?? 4000;
    const answerS = (p?.answer?.length ?? DEFAULT_ANSWER_CHARS) / SPEECH_CHARS_PER_S;
    const promptTokens = Math.round((promptMs / 1000) * INPUT_AUDIO_TOKENS_PER_S);
    const answerTokens = Math.round(answerS * OUTPUT_AUDIO_TOKENS_PER_S);
    contextAudio += promptTokens;
    tokens = addTokens(tokens, {
      textIn: TEXT_INPUT_TOKENS_PER_RESPONSE,
      cachedTextIn: 0,
      audioIn: contextAudio,
      cachedAudioIn: 0,
      textOut: Math.ceil((p?.answer?.length ?? DEFAULT_ANSWER_CHARS) / 4),
      audioOut: answerTokens,
    });
    contextAudio += answerTokens;
    audioMs += promptMs + answerS * 1000;
  }
  return { tokens, audioMs };
}

function mean(runs: readonly TokenCounts[]): TokenCounts {
  const sum = runs.reduce(addTokens, zeroTokens());
  const n = runs.length;
  return {
    textIn: sum.textIn / n,
    cachedTextIn: sum.cachedTextIn / n,
    audioIn: sum.audioIn / n,
    cachedAudioIn: sum.cachedAudioIn / n,
    textOut: sum.textOut / n,
    audioOut: sum.audioOut / n,
  };
}

/** The projection of a configuration. */
export function projectCost(input: ProjectionInput): Projection {
  const perRegion = input.runsPerDayPerRegion;
  const regions = Math.max(1, input.regions.length);
  const rows = input.targets.map((t): TargetProjection => {
    const turns = t.turns ?? input.turns;
    const prompts = t.prompts ?? input.prompts;
    const cat = catalogueRunTokens(turns, prompts, input.catalog);
    const past = input.history?.get(t.name) ?? [];
    const tokensPerRun = past.length ? mean(past) : cat.tokens;
    // storage: prompt audio from the catalogue, answer audio from the tokens (OUTPUT_AUDIO_TOKENS_PER_S)
    const promptMs = cat.audioMs - (cat.tokens.audioOut / OUTPUT_AUDIO_TOKENS_PER_S) * 1000;
    const wavBytes = ((promptMs + (tokensPerRun.audioOut / OUTPUT_AUDIO_TOKENS_PER_S) * 1000) / 1000) * WAV_BYTES_PER_S;
    const runsDay = (t.runsPerDayPerRegion ?? perRegion) * regions;
    const model = targetModel(t);
    const price = lookupPrice(input.prices, model);
    const usdPerRun = price.ok ? priceTokens(tokensPerRun, price.price) : null;
    const row: TargetProjection = {
      target: t.name,
      model,
      source: past.length ? 'history' : 'catalogue',
      basedOnRuns: past.length,
      tokensPerRun,
      usdPerRun,
      runsPerDay: runsDay,
      usdPerDay: usdPerRun === null ? null : usdPerRun * runsDay,
      usdPerMonth: usdPerRun === null ? null : usdPerRun * runsDay * DAYS_PER_MONTH,
      storageBytesPerMonth: (wavBytes + turns * LOG_BYTES_PER_TURN) * runsDay * DAYS_PER_MONTH,
    };
    if (!price.ok) row.noPrice = price.reason;
    return row;
  });
  const sum = (f: (r: TargetProjection) => number | null): number => rows.reduce((a, r) => a + (f(r) ?? 0), 0);
  return {
    pricesAsOf: input.prices.asOf,
    schedule: input.schedule,
    regions,
    runsPerDayPerRegion: perRegion,
    rows,
    total: {
      runsPerDay: sum((r) => r.runsPerDay),
      usdPerDay: sum((r) => r.usdPerDay),
      usdPerMonth: sum((r) => r.usdPerMonth),
      storageBytesPerMonth: sum((r) => r.storageBytesPerMonth),
      unpriced: rows.filter((r) => r.usdPerRun === null).map((r) => r.target),
    },
  };
}

/** The estimated dollars of one run of a target, for the budget planner (null: no price). */
export function estimatedRunUsd(p: Projection, target: string): number | null {
  return p.rows.find((r) => r.target === target)?.usdPerRun ?? null;
}
