/**
 * Drift: has the service the canary watches changed? A fingerprint of what `session.created` declared (model,
 * voice, VAD defaults, output cap, audio formats) and of how the service behaved over the last day (p50 time to
 * first audio, p50 speaking rate), compared with the fingerprint of the last healthy run. A change becomes one
 * info finding — `model_changed` for the model string, `behaviour_changed` for the rest — reported once: the
 * state remembers what was announced. Pure: the state in, the next state and the findings out; no clock.
 */
import type { Trace } from '../trace/trace.js';
import type { Report } from './report.js';
import { numAt, objAt, strAt } from '../json.js';
import { median, ratio3 } from './fields.js';
import type { Finding } from './findings.js';

/** What the service declared in `session.created` (GA or beta shape). */
export interface Declared {
  model: string | null;
  voice: string | null;
  /** e.g. `server_vad 0.5/300/200` (type threshold/prefix padding/silence), or `none`. */
  vad: string | null;
  /** `inf` or a number of tokens, as declared. */
  maxOutputTokens: string | null;
  /** e.g. `audio/pcm@24000` or `pcm16`. */
  outputFormat: string | null;
}

/** One healthy run's behaviour sample. */
export interface BehaviourSample {
  at: string;
  firstAudioMs: number | null;
  /** Transcript characters per second of answer audio. */
  charsPerSecond: number | null;
}

export interface Behaviour {
  firstAudioP50Ms: number | null;
  charsPerSecondP50: number | null;
  samples: number;
}

/** Stored per (region, target): `fingerprint/<region>/<target>.json`. */
export interface FingerprintState {
  version: 1;
  /** What the last healthy run declared. */
  healthy?: { declared: Declared; runId: string; at: string };
  /** Healthy runs of the last 24 hours. */
  samples: BehaviourSample[];
  /** The behaviour last taken as the reference (set once enough samples exist, renewed when a change is announced). */
  reference?: Behaviour & { at: string };
  /** Declared fingerprints already announced (by key), so a change is reported once. */
  announced: string[];
}

const MIN_SAMPLES = 6;
const DAY_MS = 86_400_000;
/** Relative change of the day's p50 against the reference that counts as a change of behaviour. */
export const DRIFT_LIMITS = { firstAudio: 0.5, charsPerSecond: 0.2 } as const;

export function declaredOf(trace: Trace): Declared | undefined {
  const e = trace.entries.find((x) => x.kind === 'recv' && x.type === 'session.created');
  if (!e || e.kind !== 'recv') return undefined;
  const s = objAt(e.event, 'session');
  const td = objAt(s, 'audio', 'input', 'turn_detection') ?? objAt(s, 'turn_detection');
  const vad = td
    ? `${strAt(td, 'type') ?? '?'} ${numAt(td, 'threshold') ?? '?'}/${numAt(td, 'prefix_padding_ms') ?? '?'}/${numAt(td, 'silence_duration_ms') ?? '?'}`
    : s
      ? 'none'
      : null;
  const cap = s?.max_output_tokens ?? s?.max_response_output_tokens;
  const fmt = objAt(s, 'audio', 'output', 'format');
  return {
    model: strAt(s, 'model') ?? null,
    voice: strAt(s, 'audio', 'output', 'voice') ?? strAt(s, 'voice') ?? null,
    vad,
    maxOutputTokens: typeof cap === 'number' || typeof cap === 'string' ? String(cap) : null,
    outputFormat: fmt
      ? `${strAt(fmt, 'type') ?? '?'}@${numAt(fmt, 'rate') ?? '?'}`
      : (strAt(s, 'output_audio_format') ?? null),
  };
}

export function behaviourSample(report: Report): BehaviourSample {
  const m = report.turns.flatMap((t) =>
    t.metrics && t.metrics.audio.totalMs > 0 && t.metrics.transcript.length > 0 ? [t.metrics] : [],
  );
  const rates = m.map((x) => x.transcript.length / (x.audio.totalMs / 1000));
  return {
    at: report.times.startedAt,
    firstAudioMs: report.summary.medianFirstAudioMs,
    charsPerSecond: median(rates),
  };
}

export function behaviourOf(samples: readonly BehaviourSample[]): Behaviour {
  const fa = samples.map((s) => s.firstAudioMs).filter((x): x is number => x !== null);
  const cps = samples.map((s) => s.charsPerSecond).filter((x): x is number => x !== null);
  return {
    firstAudioP50Ms: median(fa),
    charsPerSecondP50: cps.length ? ratio3(median(cps)!) : null,
    samples: samples.length,
  };
}

const keyOf = (d: Declared): string => JSON.stringify([d.model, d.voice, d.vad, d.maxOutputTokens, d.outputFormat]);

export interface DriftStep {
  state: FingerprintState;
  findings: Finding[];
  declared: Declared | undefined;
}

/** Compares one run with the stored fingerprint; `healthy` runs update the reference. */
export function nextFingerprint(prev: FingerprintState | undefined, report: Report, trace: Trace): DriftStep {
  const state: FingerprintState = prev
    ? { ...prev, samples: [...prev.samples], announced: [...prev.announced] }
    : { version: 1, samples: [], announced: [] };
  const declared = declaredOf(trace);
  const findings: Finding[] = [];
  const healthy = report.verdict === 'pass' && report.confirmation?.outcome !== 'intermittent';
  const ref = state.healthy?.declared;
  if (declared && ref && keyOf(declared) !== keyOf(ref) && !state.announced.includes(keyOf(declared))) {
    if (declared.model !== ref.model)
      findings.push(
        info(
          'model_changed',
          `The service now declares model “${declared.model ?? 'none'}”; the last healthy run ` +
            `(${state.healthy!.runId}) declared “${ref.model ?? 'none'}”.`,
        ),
      );
    const rest = (['voice', 'vad', 'maxOutputTokens', 'outputFormat'] as const).filter((k) => declared[k] !== ref[k]);
    if (rest.length)
      findings.push(
        info(
          'behaviour_changed',
          `The service's declared defaults changed since the last healthy ` +
            `run: ${rest.map((k) => `${k} ${ref[k] ?? 'none'} → ${declared[k] ?? 'none'}`).join(', ')}.`,
        ),
      );
    state.announced = [...state.announced, keyOf(declared)].slice(-20);
  }
  if (healthy) {
    if (declared) state.healthy = { declared, runId: report.runId, at: report.times.startedAt };
    const now = Date.parse(report.times.startedAt);
    state.samples = [
      ...state.samples.filter((s) => now - Date.parse(s.at) < DAY_MS && s.at !== report.times.startedAt),
      behaviourSample(report),
    ];
    const day = behaviourOf(state.samples);
    if (!state.reference && day.samples >= MIN_SAMPLES) state.reference = { ...day, at: report.times.startedAt };
    else if (state.reference && day.samples >= MIN_SAMPLES) {
      const moved = changes(state.reference, day);
      if (moved.length) {
        findings.push(
          info(
            'behaviour_changed',
            `Over the last day the service behaves differently from ${state.reference.at.slice(0, 16)}Z: ${moved.join(', ')}.`,
          ),
        );
        state.reference = { ...day, at: report.times.startedAt };
      }
    }
  }
  return { state, findings, declared };
}

function changes(ref: Behaviour, day: Behaviour): string[] {
  const out: string[] = [];
  const rel = (a: number | null, b: number | null): number => (a && b ? Math.abs(b - a) / a : 0);
  if (rel(ref.firstAudioP50Ms, day.firstAudioP50Ms) > DRIFT_LIMITS.firstAudio)
    out.push(`p50 time to first audio ${Math.round(ref.firstAudioP50Ms!)} → ${Math.round(day.firstAudioP50Ms!)} ms`);
  if (rel(ref.charsPerSecondP50, day.charsPerSecondP50) > DRIFT_LIMITS.charsPerSecond)
    out.push(`speaking rate ${ref.charsPerSecondP50} → ${day.charsPerSecondP50} characters/s`);
  return out;
}

function info(code: 'model_changed' | 'behaviour_changed', message: string): Finding {
  return { code, severity: 'info', turn: null, message };
}
