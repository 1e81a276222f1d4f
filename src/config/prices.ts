/**
 * `CANARY_PRICES` and the `CANARY_PRICES_BLOB`: a price override parsed and checked, with errors that name the field
 * and never repeat a key-like value. The table it merges over, and its lookup, are money's (../cost/prices.ts).
 */
import { DEFAULT_PRICES, type ModelPrice, type PriceTable } from '../cost/prices.js';
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import { fieldOf, shownJson } from './shown.js';

const FIELDS = ['textIn', 'cachedTextIn', 'textOut', 'audioIn', 'cachedAudioIn', 'audioOut'] as const;

/**
 * Parses a price override: `{"asOf"?: "YYYY-MM-DD", "models": {"<model>": {textIn, cachedTextIn, textOut, audioIn,
 * cachedAudioIn, audioOut}}}` or just the `models` object. The models are merged over `base` (an override replaces a
 * model's whole entry). Errors name the field.
 */
export function parsePrices(json: string, source: string, base: PriceTable = DEFAULT_PRICES): PriceTable {
  const raw = parseConfigJson(json, source);
  if (!isRecord(raw)) throw new ConfigError(source, 'must be a JSON object of models (or {"asOf", "models"})');
  const modelsRaw = isRecord(raw.models) ? raw.models : raw;
  const asOf = typeof raw.asOf === 'string' ? raw.asOf : undefined;
  if (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))
    throw new ConfigError(`${source}.asOf`, 'must be a date, YYYY-MM-DD');
  const models: Record<string, ModelPrice> = { ...base.models };
  for (const [name, p] of Object.entries(modelsRaw)) {
    if (name === 'asOf') continue;
    if (!isRecord(p)) throw new ConfigError(fieldOf(source, name), 'must be an object of prices per 1M tokens');
    const price = {} as Record<(typeof FIELDS)[number], number>;
    for (const f of FIELDS) {
      const v = p[f];
      if (typeof v !== 'number' || !Number.isFinite(v) || v < 0)
        throw new ConfigError(
          `${fieldOf(source, name)}.${f}`,
          `must be a price in USD per 1M tokens (a number ≥ 0), got ${shownJson(v)}`,
        );
      price[f] = v;
    }
    models[name] = { ...price, note: typeof p.note === 'string' ? p.note : 'override' };
  }
  return { asOf: asOf ?? base.asOf, currency: 'USD', models };
}
