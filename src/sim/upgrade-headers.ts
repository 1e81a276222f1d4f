/**
 * The headers each provider puts on its upgrade response (101 or refusal), as captured. OpenAI (LLMGW,
 * 2026-09-18): Cloudflare's `server`, `cf-ray`, `set-cookie: __cf_bm=…`, `x-openai-proxy-wasm`, `cf-cache-status`,
 * `alt-svc`, `strict-transport-security`, `x-content-type-options`, and no `x-request-id` or `openai-version`.
 * Azure (REST responses; the realtime 101 is unconfirmed): `apim-request-id`, `x-request-id`, `x-ms-region`, and
 * an echo of the client's `x-ms-client-request-id`.
 */
import type { IncomingMessage } from 'node:http';
import type { Rng } from './random.js';

const HEX = '0123456789abcdef';
const COOKIE_CHARS = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz._-';
/** A client request id is echoed only when it looks like one (a uuid or similar), never arbitrary text. */
const CLIENT_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

function chars(rng: Rng, alphabet: string, n: number): string {
  let out = '';
  for (let i = 0; i < n; i++) out += alphabet[Math.floor(rng.next() * alphabet.length)];
  return out;
}

/** The provider's upgrade headers for one request. */
export function upgradeHeaders(
  azure: boolean,
  req: IncomingMessage,
  mintId: (prefix: string) => string,
  rng: Rng,
): Record<string, string> {
  if (azure) {
    const id = mintId('req');
    const headers: Record<string, string> = { 'apim-request-id': id, 'x-request-id': id, 'x-ms-region': 'Simulator' };
    const raw = req.headers['x-ms-client-request-id'];
    const clientId = Array.isArray(raw) ? raw[0] : raw;
    if (clientId !== undefined && CLIENT_REQUEST_ID.test(clientId)) headers['x-ms-client-request-id'] = clientId;
    return headers;
  }
  const expires = new Date(Date.now() + 30 * 60_000).toUTCString();
  return {
    server: 'cloudflare',
    'cf-ray': `${chars(rng, HEX, 16)}-SIM`,
    'set-cookie':
      `__cf_bm=${chars(rng, COOKIE_CHARS, 43)}-${Math.floor(Date.now() / 1000)}-1.0.1.1-${chars(rng, COOKIE_CHARS, 40)};` +
      ` path=/; expires=${expires}; domain=.api.openai.com; HttpOnly; Secure; SameSite=None`,
    'x-openai-proxy-wasm': 'v0.1',
    'cf-cache-status': 'DYNAMIC',
    'strict-transport-security': 'max-age=31536000; includeSubDomains; preload',
    'x-content-type-options': 'nosniff',
    'alt-svc': 'h3=":443"; ma=86400',
  };
}
