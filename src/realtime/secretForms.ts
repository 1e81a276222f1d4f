/**
 * The forms a known secret takes in text the process writes: as given, JSON-escaped (once, and again inside a
 * JSON string that holds JSON), HTML-escaped and escaped for a script data block (the report pages' escaping,
 * ../report/escape.ts), URL-encoded (component, form and URI style) and base64 (standard and URL-safe) — also the
 * base64 of the secret inside a longer base64 text, at each of the 3 byte alignments it can start at. The
 * scrubber (./redact.ts) replaces all of them.
 */

/** Secrets shorter than this are scrubbed as given only: their encodings are too short to be told from chance. */
export const MIN_ENCODED_SECRET = 8;

const HTML: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };
const html = (text: string, chars: RegExp): string => text.replace(chars, (c) => HTML[c]!);
const SCRIPT: Record<string, string> = { '<': '\\u003c', '>': '\\u003e', '&': '\\u0026' };

/** Every form of `secret`, the secret itself first; the encodings only for secrets of {@link MIN_ENCODED_SECRET} or more. */
export function secretForms(secret: string): string[] {
  if (secret.length < MIN_ENCODED_SECRET) return [secret];
  const forms = new Set<string>([secret]);
  const json = JSON.stringify(secret).slice(1, -1);
  const text = [secret, json, JSON.stringify(json).slice(1, -1)];
  for (const t of text) {
    forms.add(t);
    forms.add(html(t, /[&<>]/g)); // element text
    forms.add(html(t, /[&<>"']/g)); // attribute values
    forms.add(t.replace(/[<>&]/g, (c) => SCRIPT[c]!));
  }
  forms.add(encodeURIComponent(secret));
  forms.add(new URLSearchParams({ s: secret }).toString().slice(2));
  forms.add(encodeURI(secret));
  for (const b64 of base64Cores(Buffer.from(secret, 'utf8'))) {
    forms.add(b64);
    forms.add(encodeURIComponent(b64));
    forms.add(b64.replace(/\+/g, '-').replace(/\//g, '_'));
  }
  return [...forms];
}

/**
 * The base64 characters that depend on `bytes` only, when `bytes` start at offset 0, 1 or 2 of a 3-byte group
 * of a longer base64 text (each character carries 6 bits: those mixing in the neighbours' bits are left out).
 */
export function base64Cores(bytes: Buffer): string[] {
  const out: string[] = [];
  for (let a = 0; a < 3; a++) {
    const encoded = Buffer.concat([Buffer.alloc(a), bytes]).toString('base64');
    const first = Math.ceil((8 * a) / 6);
    const end = Math.floor((8 * (a + bytes.length)) / 6);
    out.push(encoded.slice(first, end));
  }
  return out;
}
