/**
 * `CANARY_MODEL_RETIREMENTS`: changes to the shipped model-retirement table (../realtime/lifecycle.ts), for a date
 * the service announced after this release. A JSON array of rows; a row with the service, model and version of a
 * shipped row replaces it, `"retiresOn": null` removes it, any other row is added. Every field is checked and an
 * error names the row and the field.
 */
import { ConfigError } from '../errors.js';
import { isRecord, parseConfigJson } from '../json.js';
import {
  MODEL_RETIREMENTS,
  withRetirementChanges,
  type ModelRetirement,
  type RetirementChange,
} from '../realtime/lifecycle.js';

const SETTING = 'CANARY_MODEL_RETIREMENTS';
const KNOWN = ['service', 'model', 'version', 'retiresOn', 'replacement', 'source', 'checkedOn', 'note'];
const MODEL = /^[a-z0-9][a-z0-9._-]{0,99}$/;

/** The shipped table with the setting's changes applied (the shipped table when the setting is empty). */
export function parseModelRetirements(raw: string | undefined, setting = SETTING): ModelRetirement[] {
  const text = raw?.trim();
  if (!text) return [...MODEL_RETIREMENTS];
  const value = parseConfigJson(text, setting);
  if (!Array.isArray(value))
    throw new ConfigError(
      setting,
      'must be a JSON array of rows like {"service":"azure","model":"gpt-realtime-mini","version":"2025-12-15","retiresOn":"2027-06-15","source":"…"}',
    );
  return withRetirementChanges(
    MODEL_RETIREMENTS,
    value.map((row, i) => parseRow(row, `${setting}[${i}]`)),
  );
}

function parseRow(raw: unknown, at: string): RetirementChange {
  if (!isRecord(raw)) throw new ConfigError(at, 'must be an object');
  const o = raw;
  for (const key of Object.keys(o))
    if (!KNOWN.includes(key))
      throw new ConfigError(`${at}.${key}`, `is not a known field (known: ${KNOWN.join(', ')})`);
  const service = o.service;
  if (service !== 'azure' && service !== 'openai')
    throw new ConfigError(`${at}.service`, 'must be "azure" or "openai"');
  const model = text(o, 'model', at, true)!.toLowerCase();
  if (!MODEL.test(model) || /-\d{4}-\d{2}-\d{2}$/.test(model))
    throw new ConfigError(
      `${at}.model`,
      'must be a model name without its version (letters, digits, ".", "_", "-"), e.g. "gpt-realtime-mini"; put a version in "version"',
    );
  const version = o.version === undefined ? undefined : day(o, 'version', at);
  if (o.retiresOn === undefined)
    throw new ConfigError(`${at}.retiresOn`, 'is required: a day (YYYY-MM-DD), or null to remove the shipped row');
  const retiresOn = o.retiresOn === null ? null : day(o, 'retiresOn', at);
  const replacement = text(o, 'replacement', at);
  const note = text(o, 'note', at);
  return {
    service,
    model,
    ...(version ? { version } : {}),
    retiresOn,
    ...(replacement ? { replacement } : {}),
    source: text(o, 'source', at) ?? SETTING,
    checkedOn: retiresOn === null && o.checkedOn === undefined ? '' : checked(o, at),
    ...(note ? { note } : {}),
  };
}

function text(o: Record<string, unknown>, key: string, at: string, required = false): string | undefined {
  const v = o[key];
  if (v === undefined && !required) return undefined;
  if (typeof v !== 'string' || !v.trim() || v.length > 500)
    throw new ConfigError(
      `${at}.${key}`,
      `${required ? 'is required: ' : 'must be '}a non-empty string of at most 500 characters`,
    );
  return v.trim();
}

function checked(o: Record<string, unknown>, at: string): string {
  if (o.checkedOn === undefined)
    throw new ConfigError(
      `${at}.checkedOn`,
      'is required: the day you checked the date against its source (YYYY-MM-DD)',
    );
  return day(o, 'checkedOn', at);
}

/** A real calendar day `YYYY-MM-DD` (2026-02-30 is refused). */
function day(o: Record<string, unknown>, key: string, at: string): string {
  const v = o[key];
  const ok =
    typeof v === 'string' &&
    /^\d{4}-\d{2}-\d{2}$/.test(v) &&
    !Number.isNaN(Date.parse(`${v}T00:00:00Z`)) &&
    new Date(`${v}T00:00:00Z`).toISOString().slice(0, 10) === v;
  if (!ok) throw new ConfigError(`${at}.${key}`, 'must be a calendar day written YYYY-MM-DD, e.g. "2027-06-15"');
  return v;
}
