/**
 * The shipped price table of the realtime models (USD per 1M tokens, list prices on the date below) and its
 * lookup. A model that is not in the table has no price — never zero: the caller reports "no price" and says
 * how to add one (`CANARY_PRICES` JSON or a `CANARY_PRICES_BLOB`, parsed by ../config/prices.ts). Pure data and
 * functions, no I/O.
 */

/** USD per 1M tokens. Cached input is billed instead of (not on top of) the uncached input rate. */
export interface ModelPrice {
  textIn: number;
  cachedTextIn: number;
  textOut: number;
  audioIn: number;
  cachedAudioIn: number;
  audioOut: number;
  /** Where the numbers come from, or what was assumed. */
  note?: string;
}

export interface PriceTable {
  /** The day the prices were taken (YYYY-MM-DD). */
  asOf: string;
  currency: 'USD';
  models: Record<string, ModelPrice>;
}

/** The day the shipped prices were taken from the provider's pricing page. Check it: prices change. */
export const PRICES_AS_OF = '2026-12-01';

const RT2: ModelPrice = {
  textIn: 4,
  cachedTextIn: 0.4,
  textOut: 24,
  audioIn: 32,
  cachedAudioIn: 0.4,
  audioOut: 64,
  note: 'list price',
};

/** Shipped defaults (see docs/deploy.md "Cost" for the sources and assumptions). */
export const DEFAULT_PRICES: Readonly<PriceTable> = Object.freeze({
  asOf: PRICES_AS_OF,
  currency: 'USD',
  models: {
    'gpt-realtime-2': RT2,
    // Not on the price list when taken: assumed to cost what gpt-realtime-2 costs.
    'gpt-realtime-2.1': { ...RT2, note: 'assumed equal to gpt-realtime-2 (no separate list price found)' },
    'gpt-realtime-1.5': { ...RT2, textOut: 16, note: 'list price' },
    // The first GA model (Aug 2025): same audio prices, text out $16.
    'gpt-realtime': { ...RT2, textOut: 16, note: 'list price (GA, Aug 2025)' },
    // Cached input follows gpt-realtime-mini's pattern: text $0.06, audio $0.30.
    'gpt-realtime-2.1-mini': {
      textIn: 0.6,
      cachedTextIn: 0.06,
      textOut: 2.4,
      audioIn: 10,
      cachedAudioIn: 0.3,
      audioOut: 20,
      note: 'list price; cached input assumed as for gpt-realtime-mini',
    },
    'gpt-realtime-mini': {
      textIn: 0.6,
      cachedTextIn: 0.06,
      textOut: 2.4,
      audioIn: 10,
      cachedAudioIn: 0.3,
      audioOut: 20,
      note: 'list price (Oct 2025)',
    },
  },
});

/** A price found for a model, or why there is none. */
export type PriceLookup = { ok: true; key: string; price: ModelPrice } | { ok: false; reason: string };

/**
 * The price of `model`: an exact (case-insensitive) key, or a key followed by a dated snapshot suffix
 * (`gpt-realtime-2-2026-05-12`). Anything else has no price — `gpt-realtime-3` does not inherit gpt-realtime's.
 */
export function lookupPrice(table: PriceTable, model: string | null | undefined): PriceLookup {
  if (!model) return { ok: false, reason: 'the model is not known (no session.created model, no deployment name)' };
  const m = model.trim().toLowerCase();
  for (const [key, price] of Object.entries(table.models)) {
    const k = key.toLowerCase();
    if (m === k || (m.startsWith(k) && /^-\d{4}-\d{2}-\d{2}$/.test(m.slice(k.length)))) return { ok: true, key, price };
  }
  return { ok: false, reason: `no price for model "${model}" (add it with CANARY_PRICES or CANARY_PRICES_BLOB)` };
}
