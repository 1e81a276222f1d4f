/**
 * A refused WebSocket upgrade (any status but 101), classified by its status and body as Azure's "Troubleshoot
 * common HTTP errors" guide and the field reports tell them apart: 429 rate limit and 503 no capacity (capacity,
 * with the `retry-after-ms` / `Retry-After` they carry); 401 key or token (or an identity without the data-plane
 * role); 403 a suspended resource ("temporarily blocked"), a network rule, a private endpoint, key auth turned off
 * or a missing role; 400 `OpperationNotSupported` (a model that cannot do realtime — Azure's spelling) or another bad
 * request; 404 a deployment or path that does not exist. Pure.
 */
import type { UpgradeResponseEntry } from '../trace/trace.js';
import { objAt, strAt } from '../json.js';
import type { ProblemKind } from './problems.js';
import { retryAfterOfHeaders } from './retryAfter.js';
import { throttleOf, type Throttle } from './throttle.js';

export interface UpgradeRefusal {
  /** What the refusal means, in the problem vocabulary (`service` for a service-side status). */
  kind: ProblemKind;
  status: number;
  /** The body's `error.code` and message (or its text), for matching and quoting. */
  code: string | undefined;
  message: string | undefined;
  /** 429 / 503: the throttle, its wait from `retry-after-ms` / `Retry-After` (else from the message). */
  throttle?: Throttle;
}

/** 403 bodies, in the order they are told apart (first match wins). */
const FORBIDDEN: readonly [ProblemKind, RegExp][] = [
  ['suspended', /temporarily blocked/i],
  ['private-endpoint', /public access is disabled|private endpoint/i],
  ['network', /virtual network|firewall|network (acl|rule)|ip address/i],
  ['key-auth-disabled', /AuthenticationTypeDisabled|key based authentication is disabled/i],
  ['role', /PermissionDenied|lacks the required data action/i],
];

/** The classification of a refused upgrade; `startEpochMs` dates the trace (for a `Retry-After` HTTP date). */
export function classifyUpgradeRefusal(upgrade: UpgradeResponseEntry, startEpochMs: number): UpgradeRefusal {
  const { code, message } = bodyError(upgrade.body);
  const text = `${code ?? ''} ${message ?? ''}`;
  const base = { status: upgrade.status, code, message };
  const status = upgrade.status;
  if (status === 429 || status === 503) {
    const said = throttleOf({ ...(code ? { code } : {}), ...(message ? { message } : {}) });
    const wait = retryAfterOfHeaders(upgrade.headers, startEpochMs + upgrade.t) ?? said?.retryAfterMs;
    const throttle: Throttle = {
      code: status === 429 ? 'rate_limited' : 'capacity_unavailable',
      ...(said?.limit ? { limit: said.limit } : {}),
      ...(wait !== undefined ? { retryAfterMs: wait } : {}),
      said: said?.said ?? '',
    };
    return { ...base, kind: status === 429 ? 'rate-limited' : 'capacity-unavailable', throttle };
  }
  if (status === 401)
    return { ...base, kind: /PermissionDenied|lacks the required data action/i.test(text) ? 'role' : 'auth' };
  if (status === 403) return { ...base, kind: FORBIDDEN.find(([, re]) => re.test(text))?.[0] ?? 'forbidden' };
  if (status === 400 && /Op+erationNotSupported|does not work with the specified model/i.test(text))
    return { ...base, kind: 'model-capability' };
  if (status === 404) return { ...base, kind: 'not-found' };
  if (status >= 300 && status < 400) return { ...base, kind: 'redirect' };
  if (status >= 400 && status < 500 && status !== 408) return { ...base, kind: 'bad-request' };
  return { ...base, kind: 'service' };
}

/** `error.code` and `error.message` of a JSON body (Azure and OpenAI both nest them), else the text itself. */
function bodyError(body: string | undefined): { code: string | undefined; message: string | undefined } {
  const text = body?.trim();
  if (!text) return { code: undefined, message: undefined };
  try {
    const parsed: unknown = JSON.parse(text);
    const err = objAt(parsed, 'error');
    if (err) return { code: strAt(err, 'code'), message: strAt(err, 'message') };
    return { code: undefined, message: strAt(parsed, 'message') ?? text };
  } catch {
    return { code: undefined, message: text };
  }
}
