/**
 * The optional live lookup of a model's retirement (CANARY_MODEL_LOOKUP=on): for an OpenAI target, OpenAI's
 * `GET /v1/models/{id}` and its `shutdown_date` (field-2026-12.md §1.1), at most once a day per model — the answer
 * is kept in the store (`models/<service>/<model>.json`, claimed under its ETag so regions do not all ask) — and
 * under its own short deadline. It runs beside the probe, never in front of it; a failure is a log line and the
 * shipped table (with CANARY_MODEL_RETIREMENTS) is used as it is. A date it finds is a row added over the table's.
 */
import { request } from 'undici';
import { withDeadline } from '../deadline.js';
import {
  splitModelVersion,
  withRetirementChanges,
  type ModelRetirement,
  type RetirementChange,
} from '../realtime/lifecycle.js';
import { serviceOf } from '../realtime/flavours.js';
import type { ProbeTarget } from '../probe/session.js';
import type { ArtifactStore } from '../store/artifactStore.js';
import { modelCheckPath } from '../store/layout.js';

/** The whole lookup (cache, request, cache update) gives up after this. */
export const MODEL_LOOKUP_TIMEOUT_MS = 5_000;
/** A model is asked about again once its last answer (or failure) is this old. */
export const MODEL_LOOKUP_EVERY_MS = 86_400_000;
/** The most of an answer read. */
const MAX_BODY = 64 * 1024;

/** `models/<service>/<model>.json`: the last time the model was asked about, and what came back. */
export interface ModelCheck {
  version: 1;
  model: string;
  /** When the last lookup was claimed or answered (ISO). */
  checkedAt: string;
  outcome: 'claimed' | 'ok' | 'failed';
  /** The last `shutdown_date` OpenAI gave (`null`: none planned); absent until an answer came. */
  shutdownDate?: string | null;
  /** Why the last lookup failed (a status or an error class; never a body or a key). */
  error?: string;
}

export interface ModelLookupOptions {
  enabled: boolean;
  store: ArtifactStore;
  /** The round's clock: "once a day" is measured on it. */
  now: () => Date;
  warn: (message: string) => void;
  timeoutMs?: number;
}

/** The retirement table for one target: `base` plus what the live lookup found; never rejects, bounded. */
export type RetirementsFor = (target: ProbeTarget, base: readonly ModelRetirement[]) => Promise<ModelRetirement[]>;

export function modelLookup(o: ModelLookupOptions): RetirementsFor {
  const asked = new Map<string, Promise<RetirementChange[]>>();
  const timeoutMs = o.timeoutMs ?? MODEL_LOOKUP_TIMEOUT_MS;
  return async (target, base) => {
    const model = target.endpoint.deployment;
    if (!o.enabled || serviceOf(target.endpoint.flavour) !== 'openai' || !model || target.auth.mode === 'entra')
      return [...base];
    let rows = asked.get(model);
    if (!rows) {
      rows = withDeadline(`model lookup of ${model}`, timeoutMs, (signal) => lookUp(o, target, model, signal)).catch(
        (err: unknown) => {
          o.warn(
            `model lookup of ${model} (${target.name}) failed: ${(err as Error).message}; the retirement table is used as it is`,
          );
          return [];
        },
      );
      asked.set(model, rows);
    }
    return withRetirementChanges(base, await rows);
  };
}

async function lookUp(
  o: ModelLookupOptions,
  target: ProbeTarget,
  model: string,
  signal: AbortSignal,
): Promise<RetirementChange[]> {
  const path = modelCheckPath('openai', model);
  const now = o.now();
  let claimed = false;
  const seen = await o.store.updateJson<ModelCheck>(path, (cur) => {
    claimed = !(cur && now.getTime() - Date.parse(cur.checkedAt) < MODEL_LOOKUP_EVERY_MS);
    return claimed ? { ...cur, version: 1, model, checkedAt: now.toISOString(), outcome: 'claimed' } : cur!;
  });
  if (!claimed) return rowsOf(seen, now);
  let answer: Pick<ModelCheck, 'outcome' | 'shutdownDate' | 'error'>;
  try {
    answer = { outcome: 'ok', shutdownDate: await shutdownDate(target, model, signal) };
  } catch (err) {
    answer = { outcome: 'failed', error: (err as Error).message };
  }
  const stored = await o.store.updateJson<ModelCheck>(path, (cur) => ({
    ...cur,
    version: 1,
    model,
    checkedAt: now.toISOString(),
    ...answer,
  }));
  if (answer.error) throw new Error(answer.error);
  return rowsOf(stored, now);
}

/** OpenAI's `shutdown_date` of `model` (`null`: none), from `GET …/v1/models/{id}` beside the realtime endpoint. */
async function shutdownDate(target: ProbeTarget, model: string, signal: AbortSignal): Promise<string | null> {
  const url = new URL(target.endpoint.url);
  url.protocol = url.protocol === 'wss:' ? 'https:' : 'http:';
  url.pathname = url.pathname.replace(/\/realtime\/?$/, '') + `/models/${encodeURIComponent(model)}`;
  url.search = '';
  const auth = target.auth;
  const key = auth.mode === 'api-key' ? auth.key : auth.mode === 'bearer' ? auth.token : undefined;
  const res = await request(url, {
    method: 'GET',
    headers: key ? { authorization: `Bearer ${key}` } : {},
    signal,
  });
  const chunks: Buffer[] = [];
  let bytes = 0;
  for await (const chunk of res.body as AsyncIterable<Buffer>) {
    bytes += chunk.length;
    if (bytes > MAX_BODY) {
      res.body.destroy();
      throw new Error(`the answer is larger than ${MAX_BODY} bytes`);
    }
    chunks.push(chunk);
  }
  if (res.statusCode !== 200) throw new Error(`HTTP ${res.statusCode}`);
  let body: unknown;
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'));
  } catch {
    throw new Error('the answer is not JSON');
  }
  const date = (body as { shutdown_date?: unknown } | null)?.shutdown_date;
  if (date === undefined || date === null) return null;
  if (typeof date !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(date) || Number.isNaN(Date.parse(date)))
    throw new Error('its shutdown_date is not a day (YYYY-MM-DD)');
  return date;
}

/** The row a stored answer gives: the shutdown day of the model (every version, or the one its id names). */
function rowsOf(check: ModelCheck, now: Date): RetirementChange[] {
  if (typeof check.shutdownDate !== 'string') return [];
  const { model, version } = splitModelVersion(check.model);
  return [
    {
      service: 'openai',
      model,
      ...(version ? { version } : {}),
      retiresOn: check.shutdownDate,
      source: `OpenAI GET /v1/models/${check.model} (shutdown_date)`,
      checkedOn: (Number.isNaN(Date.parse(check.checkedAt)) ? now.toISOString() : check.checkedAt).slice(0, 10),
    },
  ];
}
