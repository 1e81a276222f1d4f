/**
 * What one run cost: the `usage` of every `response.done` (input / cached / output × text / audio, per turn)
 * priced with a {@link PriceTable}. Cached tokens are a subset of the input tokens and are billed at the cached
 * rate instead of the input rate. Pure: a trace and a table in, numbers out. An unknown model gives
 * `{noPrice}` with the tokens still counted — never a cost of zero.
 */
import type { RecvEntry, Trace } from '../trace/trace.js';
import { EV } from '../realtime/events.js';
import { numAt, objAt, strAt } from '../json.js';
import { modelOf } from '../realtime/flavours.js';
import { lookupPrice, type ModelPrice, type PriceTable } from './prices.js';
import { roundUsd } from './usd.js';

/** Token counts; `cached*` are part of `*In`. */
export interface TokenCounts {
  textIn: number;
  cachedTextIn: number;
  audioIn: number;
  cachedAudioIn: number;
  textOut: number;
  audioOut: number;
}

export interface TurnCost {
  turn: number;
  /** null when there is no price. */
  usd: number | null;
  tokens: TokenCounts;
}

export type RunCost =
  | {
      usd: number;
      currency: 'USD';
      pricesAsOf: string;
      model: string;
      priceKey: string;
      perTurn: TurnCost[];
      tokens: TokenCounts;
    }
  | { noPrice: string; model: string | null; perTurn: TurnCost[]; tokens: TokenCounts };

export function zeroTokens(): TokenCounts {
  return { textIn: 0, cachedTextIn: 0, audioIn: 0, cachedAudioIn: 0, textOut: 0, audioOut: 0 };
}

export function addTokens(a: TokenCounts, b: TokenCounts): TokenCounts {
  return {
    textIn: a.textIn + b.textIn,
    cachedTextIn: a.cachedTextIn + b.cachedTextIn,
    audioIn: a.audioIn + b.audioIn,
    cachedAudioIn: a.cachedAudioIn + b.cachedAudioIn,
    textOut: a.textOut + b.textOut,
    audioOut: a.audioOut + b.audioOut,
  };
}

/**
 * The tokens of one `usage` object. When the cached tokens come without a per-modality split, they are counted
 * against audio first (up to the audio input), then text: audio dominates a spoken prompt's input.
 */
export function usageTokens(usage: unknown): TokenCounts {
  const t = zeroTokens();
  const input = objAt(usage, 'input_token_details');
  const output = objAt(usage, 'output_token_details');
  t.textIn = nat(numAt(input, 'text_tokens'));
  t.audioIn = nat(numAt(input, 'audio_tokens'));
  // no split at all: everything is text (a text-only usage, or an older shape)
  if (!input && numAt(usage, 'input_tokens') !== undefined) t.textIn = nat(numAt(usage, 'input_tokens'));
  const cachedSplit = objAt(input, 'cached_tokens_details');
  if (cachedSplit) {
    t.cachedTextIn = Math.min(t.textIn, nat(numAt(cachedSplit, 'text_tokens')));
    t.cachedAudioIn = Math.min(t.audioIn, nat(numAt(cachedSplit, 'audio_tokens')));
  } else {
    const cached = nat(numAt(input, 'cached_tokens'));
    t.cachedAudioIn = Math.min(t.audioIn, cached);
    t.cachedTextIn = Math.min(t.textIn, cached - t.cachedAudioIn);
  }
  t.textOut = nat(numAt(output, 'text_tokens'));
  t.audioOut = nat(numAt(output, 'audio_tokens'));
  if (!output && numAt(usage, 'output_tokens') !== undefined) t.textOut = nat(numAt(usage, 'output_tokens'));
  return t;
}

/** USD for `tokens` at `price` (not rounded). */
export function priceTokens(tokens: TokenCounts, price: ModelPrice): number {
  const perM =
    (tokens.textIn - tokens.cachedTextIn) * price.textIn +
    tokens.cachedTextIn * price.cachedTextIn +
    (tokens.audioIn - tokens.cachedAudioIn) * price.audioIn +
    tokens.cachedAudioIn * price.cachedAudioIn +
    tokens.textOut * price.textOut +
    tokens.audioOut * price.audioOut;
  return perM / 1_000_000;
}

/** The model the run talked to: `session.created`'s `session.model`, else the target's deployment (or the one its URL names). */
export function runModel(trace: Trace): string | null {
  for (const e of trace.entries)
    if (e.kind === 'recv' && e.type === EV.sessionCreated) {
      const m = strAt(e.event, 'session', 'model');
      if (m) return m;
    }
  return trace.meta.target.deployment || modelOf(trace.meta.target.url);
}

/** Tokens per turn from the trace's `response.done` events (turns without one are absent). */
export function turnTokens(trace: Trace): Map<number, TokenCounts> {
  const out = new Map<number, TokenCounts>();
  for (const e of trace.entries) {
    if (e.kind !== 'recv' || (e as RecvEntry).type !== EV.responseDone) continue;
    const usage = objAt(e.event, 'response', 'usage');
    if (!usage) continue;
    out.set(e.turn, addTokens(out.get(e.turn) ?? zeroTokens(), usageTokens(usage)));
  }
  return out;
}

/** The cost of one run. */
export function runCost(trace: Trace, table: PriceTable): RunCost {
  const model = runModel(trace);
  const turns = [...turnTokens(trace)].sort((a, b) => a[0] - b[0]);
  const tokens = turns.reduce((acc, [, t]) => addTokens(acc, t), zeroTokens());
  const found = lookupPrice(table, model);
  if (!found.ok)
    return {
      noPrice: found.reason,
      model,
      perTurn: turns.map(([turn, t]) => ({ turn, usd: null, tokens: t })),
      tokens,
    };
  const perTurn = turns.map(([turn, t]) => ({ turn, usd: roundUsd(priceTokens(t, found.price)), tokens: t }));
  return {
    usd: roundUsd(priceTokens(tokens, found.price)),
    currency: 'USD',
    pricesAsOf: table.asOf,
    model: model!,
    priceKey: found.key,
    perTurn,
    tokens,
  };
}

/** The dollars of a cost, or undefined when it has no price. */
export function costUsd(cost: RunCost | undefined): number | undefined {
  return cost && 'usd' in cost ? cost.usd : undefined;
}

function nat(x: number | undefined): number {
  return x !== undefined && x > 0 ? Math.floor(x) : 0;
}
