/**
 * Text that looks like a credential even when nobody configured it: what the service may echo back (an OpenAI
 * "Incorrect API key provided: sk-abc***…AAAA"), a token in an error message, a SAS URL in a header. `scrub()`
 * masks these in everything written; `looksLikeSecret()` lets config and CLI refuse a key pasted where a name
 * belongs. Ids that support needs stay readable: UUIDs, `sess_`/`resp_`/`item_`/`event_`/`req_` ids, cf-ray.
 */

/** A named pattern; in ASSIGNMENTS the first group is the name part left readable (e.g. `Bearer `, `sig=`). */
interface KeyPattern {
  name: string;
  re: RegExp;
}

// Boundaries: a key is not part of a longer word or id (`(?<![\w-])`), so `req_<hex>` and UUID parts never match.
const PATTERNS: readonly KeyPattern[] = [
  // OpenAI's echoed partial key: sk-abc***…AAAA, sk-proj-*****abcd (before the plain key form).
  { name: 'partial-openai-key', re: /(?<![\w-])sk-[\w-]{0,40}\*{3,}[*…. ]{0,8}[\w]{0,8}/g },
  // OpenAI keys: sk-…, sk-proj-…, sk-svcacct-…, sk-admin-…
  { name: 'openai-key', re: /(?<![\w-])sk-[\w-]{20,}/g },
  // OpenAI ephemeral client secrets.
  { name: 'ephemeral-key', re: /(?<![\w-])ek_[A-Za-z0-9_-]{16,}/g },
  // JWTs (Entra tokens): three base64url parts, the first starting with {" (eyJ).
  { name: 'jwt', re: /(?<![\w-])eyJ[\w-]{8,}\.[\w-]{8,}\.[\w-]*/g },
  // Azure keys: 32 hex characters standing alone (not part of a UUID or a longer id).
  { name: 'azure-key', re: /(?<![\w-])[0-9a-fA-F]{32}(?![\w-])/g },
  // Azure's newer 84-character keys carry fixed markers (`JQQJ99` at 52, a 4-letter service signature such as
  // `ACOG` at 76), so base64 audio or hashes never match by chance.
  { name: 'azure-key-84', re: /(?<![\w-])[A-Za-z0-9]{52}JQQJ99[A-Za-z0-9]{18}[A-Z]{4}[A-Za-z0-9]{4}(?![\w-])/g },
];

/** Name=value credentials: the value is masked, the name kept. */
const ASSIGNMENTS: readonly KeyPattern[] = [
  { name: 'bearer', re: /(\bBearer\s+)[\w.~+/=-]{8,}/gi },
  { name: 'sas-signature', re: /(\bsig(?:=|%3D))[^&\s"'<>\\]{4,}/gi },
  { name: 'connection-string-key', re: /(\b(?:AccountKey|SharedAccessKey|SharedAccessSignature)=)[^;\s"'\\]{4,}/gi },
];

/** Masks everything in `text` that looks like a key, a token or a signature, with `mask`. */
export function maskKeyLike(text: string, mask: string): string {
  let out = text;
  for (const p of ASSIGNMENTS) out = out.replace(p.re, (_m, keep: string) => `${keep}${mask}`);
  for (const p of PATTERNS) out = out.replace(p.re, mask);
  return out;
}

/** True when `value` contains something that looks like a key, a bearer token, a JWT or a SAS signature. */
export function looksLikeSecret(value: string): boolean {
  if (value.length < 8) return false;
  return maskKeyLike(value, '\u0000') !== value;
}
