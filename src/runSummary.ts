/**
 * What the sinks need to know about one target's run: the verdict and the key numbers, without the trace.
 * The round builds one per target from its report.json; alert state, cards, webhooks, telemetry and the
 * daily index all consume this shape (one line of `index/<yyyy-mm-dd>.jsonl` is exactly one RunSummary).
 */
import type { RunCategory, RunProblem } from './analysis/category.js';
import type { FindingCode, Verdict } from './analysis/findings.js';

export interface RunSummary {
  runId: string;
  /** ISO UTC time the probe started. */
  startedAt: string;
  durationMs: number;
  /** Where the canary ran (CANARY_REGION). */
  region: string;
  target: string;
  flavour: string;
  host: string;
  deployment: string | undefined;
  group: string | undefined;
  baseline: boolean;
  verdict: Verdict;
  /**
   * What kind of problem a non-passing run is (report.json's `problem.category`): `incident` (the service
   * misbehaved), `configuration` (the canary could not authenticate or was misconfigured: a refused key, a missing
   * role, a network rule, a suspended resource, a model that cannot do realtime, a missing secret, an unknown prompt)
   * or `capacity` (rate limited, or no capacity: transient, counted by K-of-N like an incident). Configuration and
   * capacity problems are alerted with their own title and text, never as a service outage and never with a support
   * case. Absent in older summaries: read as `incident`.
   */
  category?: RunCategory;
  /**
   * A configuration or capacity problem: its kind, what happened, what to do, the setting to fix (as the target's
   * configuration names it) and the wait the service asked for. Absent for a pass, an incident and older summaries.
   */
  problem?: Omit<RunProblem, 'category'>;
  /** Distinct finding codes, most severe first (e.g. ["silent_gap", "playback_underrun"]). */
  findingCodes: FindingCode[];
  /** One-line human description of the worst problem, e.g. "2.3 s of silence at 4.1 s into the answer". */
  headline: string | undefined;
  turns: number;
  failingTurns: number;
  /** Longest silent gap inside the answer audio, ms (0 when none). */
  longestGapMs: number;
  /** Worst audio coverage of a turn: received audio ÷ audio the transcript implies (1 = complete). */
  coverage: number | undefined;
  /** Median time to first audio over the turns, ms. */
  timeToFirstAudioMs: number | undefined;
  /**
   * Per turn, in turn order, the turns that measured it: time to first audio and time to the final answer's first
   * audio (ms; report.json `turns[].metrics.timing.firstAudioMs` / `finalAnswerMs`; without phases the two are the
   * same). The dashboard's p50 / p95 per target and day. Absent for a run without analysis and in older lines.
   */
  timing?: { firstAudioMs: number[]; finalAnswerMs: number[] };
  sessionId: string | undefined;
  /** WebRTC: the call id `rtc_…` (report.json `correlation.callId`); support asks for it. Absent over the WebSocket. */
  callId?: string;
  /** Request / correlation ids from the upgrade response headers (apim-request-id, x-request-id, …). */
  requestIds: Record<string, string>;
  /** The comparison of this target with its group's baseline in the same round, if any. */
  comparison: string | undefined;
  /** Blob path (or local relative path) of the run's report.json and report.html. */
  reportPath: string;
  reportHtmlPath: string;
  /** What the run cost in USD (its `usage` at the price table's prices; confirmation probes included); absent when the model has no price. */
  costUsd?: number;
  /** The model the run talked to (session.created `session.model`, else the deployment). */
  model?: string;
  /** Set when the run has a `model_retiring` finding: the model, its retirement day and the replacement its source names. */
  retirement?: { model: string; retiresOn: string; replacement?: string };
  /**
   * The target was not probed this round (an index line says so, its `headline` the reason; no alert state): the
   * daily spend `budget` was spent, a session `quota` (per deployment or key) was used up, or the `round full` — more
   * targets were due than the round could probe (they are probed in rotation). In queue mode, `queue`: the planner
   * could not enqueue the probe, or its message was dequeued past its `notAfter` (stale).
   */
  notProbed?: NotProbedKind;
  /** Probes of this run: 1, or 2+ when a failure was re-probed to confirm it (CANARY_CONFIRM_RETRIES). */
  attempts?: number;
  /** The first probe failed and its confirmation passed: the verdict is `pass`, the first failure's evidence is kept. */
  intermittent?: boolean;
  /**
   * Set while a mute (CANARY_MUTE) covers the target: the run is probed and reported, its notifications are held
   * (src/sinks/alerts/mute.ts). `scope` is what the mute covers (`target aoai-sweden`, `group gpt-realtime`).
   */
  muted?: { until: string; scope: string; reason?: string };
}

/** Why a target was not probed (see {@link RunSummary.notProbed}). */
export type NotProbedKind = 'budget' | 'quota' | 'round full' | 'queue';

/** The figures of a summary with no probe behind it (a notice, a target not probed): nothing measured. */
export function noRunFigures(): Pick<
  RunSummary,
  | 'durationMs'
  | 'findingCodes'
  | 'turns'
  | 'failingTurns'
  | 'longestGapMs'
  | 'coverage'
  | 'timeToFirstAudioMs'
  | 'sessionId'
  | 'requestIds'
  | 'comparison'
> {
  return {
    durationMs: 0,
    findingCodes: [],
    turns: 0,
    failingTurns: 0,
    longestGapMs: 0,
    coverage: undefined,
    timeToFirstAudioMs: undefined,
    sessionId: undefined,
    requestIds: {},
    comparison: undefined,
  };
}
