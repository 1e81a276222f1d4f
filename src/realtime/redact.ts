/**
 * Secret hygiene. Keys, bearer tokens, SAS signatures and webhook URLs never reach a file or a log:
 * URLs lose secret query parameters, sensitive headers are masked, known secret values are scrubbed, and so is
 * anything that looks like a key even when nobody configured it (keyLike.ts).
 */
import { maskKeyLike } from './keyLike.js';
import { secretForms } from './secretForms.js';

export { looksLikeSecret } from './keyLike.js';
const SECRET_QUERY =
  /^(api-key|api_key|key|sig|token|access_token|code|client_secret|se|sp|sv|skoid|sktid|skt|ske|sks|skv|signature)$/i;
const SECRET_HEADERS = new Set([
  'authorization',
  'api-key',
  'ocp-apim-subscription-key',
  'cookie',
  'set-cookie',
  'proxy-authorization',
  'x-api-key',
]);
export const REDACTED = '[redacted]';

export function redactUrl(raw: string | URL): string {
  let url: URL;
  try {
    url = new URL(String(raw));
  } catch {
    return REDACTED;
  }
  url.username = '';
  url.password = '';
  for (const name of [...url.searchParams.keys()]) {
    if (SECRET_QUERY.test(name)) url.searchParams.set(name, REDACTED);
  }
  return url.toString().replaceAll(encodeURIComponent(REDACTED), REDACTED);
}

/** Values of secret query parameters in a URL (e.g. an Azure `api-key`), so they can be scrubbed like keys. */
export function urlSecrets(url: URL): string[] {
  return [...url.searchParams.entries()]
    .filter(([name, value]) => SECRET_QUERY.test(name) && value.length > 0)
    .map(([, value]) => value);
}

export function redactHeaders(headers: Record<string, string | string[] | undefined>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    out[name.toLowerCase()] = SECRET_HEADERS.has(name.toLowerCase())
      ? REDACTED
      : Array.isArray(value)
        ? value.join(', ')
        : value;
  }
  return out;
}

/**
 * Replaces every occurrence of the given secret values in `text` — in every form they take in what is written
 * (./secretForms.ts: JSON-escaped, URL-encoded, HTML-escaped, base64 at any alignment) — then masks anything else
 * that looks like a key or a bearer token (an OpenAI key the service echoed, a JWT, a SAS `sig=`).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const form of formsOf(secrets)) if (out.includes(form)) out = out.replaceAll(form, REDACTED);
  return maskKeyLike(out, REDACTED);
}

/** Secrets shorter than this are not scrubbed: a 3-character "secret" would corrupt every document. */
const MIN_SECRET = 4;
/** Lists of secrets whose forms were computed, by their text; cleared when it holds this many. */
const FORMS_CACHE_SIZE = 256;
const formsCache = new Map<string, readonly string[]>();

/** The forms of every secret of the list, longest first (a webhook URL goes before the signature inside it). */
function formsOf(secrets: readonly string[]): readonly string[] {
  if (secrets.length === 0) return [];
  const cacheKey = secrets.join('\u0000');
  let forms = formsCache.get(cacheKey);
  if (!forms) {
    const all = new Set(secrets.filter((s) => s.length >= MIN_SECRET).flatMap(secretForms));
    forms = [...all].sort((a, b) => b.length - a.length);
    if (formsCache.size >= FORMS_CACHE_SIZE) formsCache.clear();
    formsCache.set(cacheKey, forms);
  }
  return forms;
}
