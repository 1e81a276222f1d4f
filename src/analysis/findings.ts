/**
 * Findings: the stable, public vocabulary of what went wrong. Alerts, dashboards and queries key on the codes,
 * so a code is never renamed or reused for something else.
 */

/** Every finding code, in the order reports list them. */
export const FINDING_CODES = [
  'connection_rejected',
  'connection_dropped',
  'server_error_event',
  'missing_response_done',
  'response_not_completed',
  'no_audio',
  'missing_audio_done',
  'audio_truncated',
  'silent_gap',
  'delivery_stall',
  'playback_underrun',
  'slow_first_audio',
  'expected_content_missing',
  'silent_tail',
  'probe_stall',
  'session_limit_exceeded',
  'implausible_usage',
  // WebRTC (src/analysis/media): the media path, told apart by cause.
  'media_setup_failed',
  'no_media',
  'media_stall',
  'media_loss',
  'media_dtx',
  'media_jitter',
  'model_changed',
  'behaviour_changed',
] as const;

export type FindingCode = (typeof FINDING_CODES)[number];

/** `critical` and `major` fail a verdict; `minor` and `info` are reported but do not. */
export type Severity = 'critical' | 'major' | 'minor' | 'info';

export const SEVERITIES: readonly Severity[] = ['critical', 'major', 'minor', 'info'];

/** `error` means the probe could not run (e.g. the upgrade was rejected), not that the service misbehaved. */
export type Verdict = 'pass' | 'fail' | 'error';

/** One thing that went wrong, with the numbers. */
export interface Finding {
  code: FindingCode;
  severity: Severity;
  /** 1-based turn, or null for a run-level finding. */
  turn: number | null;
  /**
   * Position in the turn's output audio, in ms of audio, for the audio findings (`silent_gap`, `playback_underrun`,
   * `audio_truncated`, `delivery_stall`); absent otherwise.
   */
  atMs?: number;
  /** How long the problem lasted, in ms (silence length, missing audio, stall, latency …), where it applies. */
  durationMs?: number;
  /** When it happened on the trace clock (ms since the session started), where it applies. */
  traceMs?: number;
  /** One sentence with the numbers, for humans. */
  message: string;
}

/** Whether a finding of this severity fails its turn and the run. */
export function isFailing(severity: Severity): boolean {
  return severity === 'critical' || severity === 'major';
}

const CODE_ORDER = new Map<FindingCode, number>(FINDING_CODES.map((c, i) => [c, i]));

/** Stable order: by turn (run-level first), then by code order, then by time or position. */
export function sortFindings(findings: Finding[]): Finding[] {
  return [...findings].sort(
    (a, b) =>
      (a.turn ?? 0) - (b.turn ?? 0) ||
      (CODE_ORDER.get(a.code) ?? 0) - (CODE_ORDER.get(b.code) ?? 0) ||
      (a.traceMs ?? a.atMs ?? 0) - (b.traceMs ?? b.atMs ?? 0),
  );
}

/** Distinct codes of `findings`, most severe first, then in code order. */
export function findingCodes(findings: readonly Finding[]): FindingCode[] {
  const rank = (f: Finding): number => SEVERITIES.indexOf(f.severity) * 100 + FINDING_CODES.indexOf(f.code);
  return [...new Set([...findings].sort((a, b) => rank(a) - rank(b)).map((f) => f.code))];
}
