/**
 * How an error about configuration mentions what it refuses. A short, plain value is quoted, so the user sees the
 * typo (`got "3x"`); anything longer than a few characters, with a line break or another control character, or
 * that looks like a key, is described instead (`got a 26-character value (not shown)`): a key pasted into the
 * wrong setting must not be repeated by the error, the Function's log or `validate` (JSON syntax errors say where,
 * never the text: ../json.ts).
 */
import { looksLikeSecret } from '../realtime/redact.js';

/** Values up to this many characters may be quoted in an error. */
export const SHOWN_MAX_CHARS = 12;

/** `"<value>"` when it is short, printable and not key-like; else what it is, without its characters. */
export function shown(value: string): string {
  const printable = /^[\x20-\x7e]*$/.test(value);
  if (printable && value.length <= SHOWN_MAX_CHARS && !looksLikeName(value)) return `"${value}"`;
  const length = [...value].length;
  return `a ${length}-character value${printable ? '' : ' with control characters'} (not shown)`;
}

/** Short text that still looks like a key's start (`sk-…`, `eyJ…`, `Bearer …`). */
function looksLikeName(value: string): boolean {
  return looksLikeSecret(value) || /^(sk-|sk_|ek_|eyJ|Bearer\s)/i.test(value);
}

/**
 * Whether a name looks like a key: the scrubber's key patterns, or a run of 20 or more letters and digits mixing
 * both between separators (a 26-character gateway key does; `gpt-realtime-2025-08-28` and `swedencentral` do not).
 */
export function nameLooksLikeKey(name: string): boolean {
  if (looksLikeName(name)) return true;
  return name.split(/[._-]/).some((part) => part.length >= 20 && /\d/.test(part) && /[A-Za-z]/.test(part));
}

/** Whether a name the user wrote (an id, a key, a field) may be quoted: a plain name of up to 40 characters, not key-like. */
function showable(name: string): boolean {
  return /^[A-Za-z][A-Za-z0-9_.-]{0,39}$/.test(name) && !nameLooksLikeKey(name);
}

/** A name the user wrote (a prompt id, a key), quoted when {@link showable}: `"count-to-twnety"`, else described. */
export function shownName(name: string): string {
  return showable(name) ? `"${name}"` : `a ${[...name].length}-character name (not shown)`;
}

/** The field path of a key the user wrote (a threshold, a target field, a model): `<at>.<key>` when {@link showable}. */
export function fieldOf(at: string, key: string): string {
  return showable(key) ? `${at}.${key}` : `${at}.<a ${[...key].length}-character name, not shown>`;
}

/** A JSON value as an error quotes it: a string as {@link shown}, anything else as written when short (`true`, `[1]`). */
export function shownJson(v: unknown): string {
  if (typeof v === 'string') return shown(v);
  const text = JSON.stringify(v) ?? String(v);
  return text.length <= SHOWN_MAX_CHARS ? text : `${Array.isArray(v) ? 'a list' : `a ${typeof v}`} (not shown)`;
}
