/**
 * The trace as analysis may trust it. A trace read back from disk, hand-edited, or recorded from a hostile service
 * can hold anything where a field should be; analysis must judge it, never throw on it. Entries without a kind or
 * a finite time are dropped; fields the detectors read are coerced to their declared types (a string where a
 * string belongs, a plain object for payloads, audio refs only when their numbers are usable). Pure: the input is
 * not modified.
 */
import { isRecord } from '../json.js';
import type { Trace, TraceEntry, TraceMeta, TracePrompt } from '../trace/trace.js';

type Loose = Record<string, unknown>;

const str = (v: unknown, fallback = ''): string => (typeof v === 'string' ? v : fallback);
const optStr = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown, fallback: number): number => (typeof v === 'number' && Number.isFinite(v) ? v : fallback);
const count = (v: unknown): boolean => typeof v === 'number' && Number.isSafeInteger(v) && v >= 0;
const int = (v: unknown, fallback: number): number => (count(v) ? (v as number) : fallback);
const oneOf = <T extends string>(v: unknown, allowed: readonly T[], fallback: T): T =>
  allowed.includes(v as T) ? (v as T) : fallback;

const OUTCOMES = ['response-done', 'timeout', 'closed', 'skipped'] as const;

function headers(v: unknown): Record<string, string> {
  if (!isRecord(v)) return {};
  const out: Record<string, string> = {};
  for (const [k, x] of Object.entries(v)) if (typeof x === 'string' || typeof x === 'number') out[k] = String(x);
  return out;
}

/** One entry, coerced; undefined when it cannot be an entry at all. */
function entry(raw: unknown): TraceEntry | undefined {
  if (!isRecord(raw) || typeof raw.kind !== 'string' || typeof raw.t !== 'number' || !Number.isFinite(raw.t))
    return undefined;
  const e: Loose = { ...raw, turn: int(raw.turn, 0) };
  switch (raw.kind) {
    case 'recv': {
      if (typeof raw.type !== 'string') return undefined;
      e.wireType = str(raw.wireType, raw.type);
      e.size = num(raw.size, 0);
      e.event = isRecord(raw.event) ? raw.event : {};
      for (const k of ['responseId', 'itemId'] as const) if (typeof raw[k] !== 'string') delete e[k];
      const a = raw.audio;
      if (isRecord(a) && count(a.offset) && count(a.bytes))
        e.audio = {
          offset: a.offset,
          bytes: a.bytes,
          ...(count(a.wireBytes) ? { wireBytes: a.wireBytes } : {}),
          responseId: optStr(a.responseId),
          itemId: optStr(a.itemId),
        };
      else delete e.audio;
      break;
    }
    case 'send':
      e.type = str(raw.type);
      e.event = isRecord(raw.event) ? raw.event : {};
      break;
    case 'recv-invalid':
      e.problem = str(raw.problem, 'malformed-json');
      e.size = num(raw.size, 0);
      e.preview = str(raw.preview);
      break;
    case 'upgrade-request':
      e.url = str(raw.url);
      e.headers = headers(raw.headers);
      break;
    case 'upgrade-response':
      e.status = int(raw.status, 0);
      e.statusText = str(raw.statusText);
      e.headers = headers(raw.headers);
      if (raw.body !== undefined) e.body = str(raw.body);
      break;
    case 'close':
      e.code = int(raw.code, 1006);
      e.reason = str(raw.reason);
      e.initiatedBy = raw.initiatedBy === 'client' ? 'client' : 'server';
      break;
    case 'socket-error':
      e.errorClass = str(raw.errorClass, 'other');
      e.code = optStr(raw.code);
      e.message = str(raw.message);
      break;
    case 'timeout':
      e.scope = str(raw.scope);
      e.waitingFor = str(raw.waitingFor);
      e.afterMs = num(raw.afterMs, 0);
      break;
    case 'turn-start':
      e.promptId = str(raw.promptId);
      break;
    case 'turn-end':
      e.outcome = oneOf(raw.outcome, OUTCOMES, 'closed');
      break;
    case 'session-end':
      e.reason = str(raw.reason, 'aborted');
      break;
    case 'ping':
    case 'pong':
      e.from = raw.from === 'client' ? 'client' : 'server';
      break;
    case 'probe-stall':
      if (!(num(raw.durationMs, -1) > 0)) return undefined;
      break;
    case 'limit-exceeded':
      e.limit = str(raw.limit, 'unknown');
      e.value = num(raw.value, 0);
      e.max = num(raw.max, 0);
      break;
  }
  return e as unknown as TraceEntry;
}

function meta(raw: TraceMeta): TraceMeta {
  const m: Loose = isRecord(raw) ? raw : {};
  const prompts: TracePrompt[] = (Array.isArray(m.prompts) ? m.prompts : []).flatMap((p: unknown) =>
    isRecord(p) && typeof p.turn === 'number' && Number.isFinite(p.turn)
      ? [
          {
            ...(p as unknown as TracePrompt),
            id: str(p.id),
            text: optStr(p.text),
            expect: Array.isArray(p.expect) ? p.expect.filter((x): x is string => typeof x === 'string') : [],
          },
        ]
      : [],
  );
  const options = isRecord(m.options) ? m.options : {};
  const target = isRecord(m.target) ? m.target : {};
  return {
    ...(m as unknown as TraceMeta),
    target: {
      ...(target as unknown as TraceMeta['target']),
      name: str(target.name),
      flavour: str(target.flavour, 'openai-ga') as TraceMeta['target']['flavour'],
    },
    options: {
      ...(options as unknown as TraceMeta['options']),
      modality: options.modality === 'text' ? 'text' : 'audio',
      turnDetection: str(options.turnDetection, 'manual') as TraceMeta['options']['turnDetection'],
    },
    prompts,
  };
}

/** The trace with every entry in a shape analysis can rely on. */
export function sanitizeTrace(trace: Trace): Trace {
  const entries = Array.isArray(trace.entries) ? trace.entries.flatMap((e) => entry(e) ?? []) : [];
  const outputAudio = trace.outputAudio instanceof Map ? trace.outputAudio : new Map<number, Buffer>();
  return { ...trace, meta: meta(trace.meta), entries, outputAudio };
}
