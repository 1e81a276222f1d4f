/**
 * Serves the dashboard and the run reports from the reports container, so alerts can link to stable URLs
 * (`https://<app>/dashboard`, `https://<app>/reports/runs/…/report.html`) instead of SAS links that expire.
 *
 * Read-only and path-checked: only the dashboard (`index.html`) and files under `runs/` with a known artifact
 * extension are served; alert state, the ledger, spooled data, config blobs and anything outside the container
 * are refused. In Azure the app sits behind App Service Authentication (Entra ID, see infra/modules/region.bicep),
 * and the handler answers only when `CANARY_REPORTS_HTTP=on` (which the Bicep sets only together with that auth)
 * and only to a request that sign-in let through (its `x-ms-client-principal` header), so the reports are never public
 * by accident — not even with the setting on and the sign-in off. No registration side effect here (see ../functions/reportsHttp.ts).
 */
import type { HttpRequest, HttpResponseInit, InvocationContext } from '@azure/functions';
import { loadStorageSettings } from '../config/settings.js';
import { isRecord } from '../json.js';
import { openReader, type ArtifactReader } from '../store/artifactReader.js';
import { contentTypeFor, DASHBOARD_PATH, RUNS_ROOT } from '../store/layout.js';

type Env = Record<string, string | undefined>;

/** Extensions of the artifacts a report links to. Everything else under runs/ is refused. */
const SERVED = /\.(html|json|wav|gz|zip|jsonl|bin)$/;
const SEGMENT = /^[A-Za-z0-9][A-Za-z0-9._@-]*$/;
const MAX_PATH = 512;

/**
 * The page may run its own inline script and style and load audio and JSON from this origin — nothing from
 * anywhere else, no framing, no forms, no plugins.
 */
export const REPORTS_CSP =
  "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src 'self' data:; media-src " +
  "'self'; connect-src 'self'; font-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** The blob path a request asks for, or why it is refused. Pure: exported for tests. */
export function checkedPath(raw: string | undefined): { path: string } | { refused: string } {
  if (raw === undefined || raw === '') return { path: DASHBOARD_PATH };
  let path: string;
  try {
    path = decodeURIComponent(raw);
  } catch {
    return { refused: 'malformed percent-encoding' };
  }
  if (path.length > MAX_PATH) return { refused: 'path too long' };
  if (path === DASHBOARD_PATH) return { path };
  const segments = path.split('/');
  if (segments[0] !== RUNS_ROOT) return { refused: `only the dashboard and ${RUNS_ROOT}/… are served` };
  if (!segments.every((s) => SEGMENT.test(s) && s !== '.' && s !== '..'))
    return { refused: 'path segments must be plain names' };
  if (!SERVED.test(path)) return { refused: 'not a report artifact' };
  return { path };
}

/** A `Range: bytes=…` header as an inclusive [start, end] within `size`; `undefined` = whole body, `null` = unsatisfiable. */
export function byteRange(header: string | null, size: number): [number, number] | undefined | null {
  const m = /^bytes=(\d*)-(\d*)$/.exec(header?.trim() ?? '');
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  const start = m[1] === '' ? Math.max(0, size - Number(m[2])) : Number(m[1]);
  const end = m[1] !== '' && m[2] !== '' ? Math.min(Number(m[2]), size - 1) : size - 1;
  return start <= end && start < size ? [start, end] : null;
}

/** Upper bound of the principal header we decode (App Service's are a few KB). */
const MAX_PRINCIPAL = 16 * 1024;

/**
 * Whether App Service Authentication signed the caller in: it sets `x-ms-client-principal` (base64 JSON with a
 * `claims` array) on every authenticated request and removes one a client sends, so a request without it did not
 * pass the sign-in — App Service Authentication is off, or the request reached the app another way.
 */
export function signedIn(principal: string | null): boolean {
  if (!principal || principal.length > MAX_PRINCIPAL) return false;
  try {
    const decoded: unknown = JSON.parse(Buffer.from(principal, 'base64').toString('utf8'));
    return isRecord(decoded) && Array.isArray(decoded.claims);
  } catch {
    return false;
  }
}

const SECURITY_HEADERS = {
  'content-security-policy': REPORTS_CSP,
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'cache-control': 'private, max-age=60',
};

function plain(status: number, text: string): HttpResponseInit {
  return { status, headers: { ...SECURITY_HEADERS, 'content-type': 'text/plain; charset=utf-8' }, body: `${text}\n` };
}

export function makeReportsHandler(env: () => Env = () => process.env, reader?: ArtifactReader) {
  let cached: ArtifactReader | undefined = reader;
  return async function reportsHttp(request: HttpRequest, context: InvocationContext): Promise<HttpResponseInit> {
    const e = env();
    if (e.CANARY_REPORTS_HTTP?.trim() !== 'on')
      return plain(
        404,
        'Reports over HTTP are off (CANARY_REPORTS_HTTP is not "on"; the Bicep turns it on together with Entra sign-in).',
      );
    if (!signedIn(request.headers.get('x-ms-client-principal')))
      return plain(
        401,
        'Sign-in required: no App Service Authentication identity (x-ms-client-principal) on this request. Turn on ' +
          'App Service Authentication (Entra ID) for the app; the Bicep does so together with CANARY_REPORTS_HTTP=on.',
      );
    if (request.method !== 'GET' && request.method !== 'HEAD')
      return { ...plain(405, 'Only GET and HEAD.'), headers: { ...SECURITY_HEADERS, allow: 'GET, HEAD' } };
    const checked = checkedPath(request.params.path);
    if ('refused' in checked) return plain(404, `Not served: ${checked.refused}.`);
    try {
      cached ??= openReader(loadStorageSettings(e));
      const artifact = await cached(checked.path);
      if (!artifact) return plain(404, 'No such report artifact.');
      const range = byteRange(request.headers.get('range'), artifact.size);
      if (range === null)
        return { status: 416, headers: { ...SECURITY_HEADERS, 'content-range': `bytes */${artifact.size}` } };
      const [start, end] = range ?? [0, artifact.size - 1];
      const headers: Record<string, string> = {
        ...SECURITY_HEADERS,
        'content-type': contentTypeFor(checked.path),
        'content-length': String(Math.max(0, end - start + 1)),
        'accept-ranges': 'bytes',
        ...(artifact.etag ? { etag: artifact.etag } : {}),
        ...(range ? { 'content-range': `bytes ${start}-${end}/${artifact.size}` } : {}),
      };
      if (request.method === 'HEAD' || artifact.size === 0) return { status: range ? 206 : 200, headers };
      const body = await artifact.read(start, end);
      return { status: range ? 206 : 200, headers, body: body as HttpResponseInit['body'] };
    } catch (err) {
      context.error(`reports: reading ${checked.path} failed: ${err instanceof Error ? err.message : String(err)}`);
      return plain(502, 'The reports store could not be read; try again shortly.');
    }
  };
}

/** The handler the Functions host calls (reads process.env). */
export const reportsHttp = makeReportsHandler();
