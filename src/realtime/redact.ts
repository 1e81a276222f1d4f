/**
 * Secret hygiene. Keys, bearer tokens, SAS signatures and webhook URLs never reach a file or a log:
 * URLs lose secret query parameters, sensitive headers are masked, known secret values are scrubbed, and so is
 * anything that looks like a key even when nobody configured it (keyLike.ts).
 */
import { maskKeyLike } from './keyLike.js';

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
 * Replaces every occurrence of the given secret values (and their URL-encoded forms) in `text`, then masks
 * anything else that looks like a key or a bearer token (an OpenAI key the service echoed, a JWT, a SAS `sig=`).
 */
export function scrub(text: string, secrets: readonly string[]): string {
  let out = text;
  for (const s of secrets) {
    if (s.length < 4) continue;
    out = out.split(s).join(REDACTED);
    const enc = encodeURIComponent(s);
    if (enc !== s) out = out.split(enc).join(REDACTED);
  }
  return maskKeyLike(out, REDACTED);
}
