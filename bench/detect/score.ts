/**
 * Scoring of one labeled run: did the analysis find one of the expected codes (expected.ts) with a failing
 * severity — in the faulty turn, or among the run-level findings for refusals — and classify the run in the expected
 * category where one is named, what it measured for each true
 * gap, failing findings on healthy turns, and the naive baseline, which only checks that each turn's
 * `response.done` says `completed` (a run that never got a turn counts as flagged).
 */
import {
  DEFAULT_DETECTION_CONFIG,
  isFailingSeverity,
  runCategory,
  type Finding,
  type RunAnalysis,
} from '../../src/analysis/index.js';
import type { RecvEntry, Trace } from '../../src/trace/trace.js';
import type { Case, TruthGap } from './corpus.js';

export interface GapMeasure {
  truth: TruthGap;
  /** The silent_gap finding that overlaps the true run most; undefined when none does. */
  found: { atMs: number; durationMs: number } | undefined;
}

export interface RunScore {
  case: Case;
  /** The probe or the analysis threw (counts as a miss / a false positive). */
  crashed: string | undefined;
  /** Faulty runs: an expected code was found where expected with a failing severity (and every true gap was found). */
  detected: boolean;
  /** An expected code was present but only as minor/info. */
  foundNonFailing: boolean;
  /** An `asHeard` fault the listener never heard (the buffered audio covered it): expected reported, turn passing. */
  covered: boolean;
  /** Codes of failing findings in the faulty turn, or of the run for run-level expectations (diagnostics). */
  faultyTurnCodes: string[];
  /** The run's category when the expectation names one and the analysis classified the run otherwise. */
  wrongCategory: string | undefined;
  /** Failing findings in turns that should be healthy (all turns of a healthy run; other ran turns of a faulty run; run-level findings of healthy runs). */
  healthyTurnFailures: Finding[];
  gaps: GapMeasure[];
  baselineDetected: boolean;
  baselineFalsePositive: boolean;
  /** Output audio of the run, ms. */
  audioMs: number;
}

function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.max(0, Math.min(a1, b1) - Math.max(a0, b0));
}

/** The naive detector: a turn is bad when it has no `response.done` or its status is not `completed`. */
export function baselineFlags(trace: Trace, turns: number): Map<number, boolean> {
  const flags = new Map<number, boolean>();
  for (let turn = 1; turn <= turns; turn++) {
    const dones = trace.entries.filter(
      (e): e is RecvEntry => e.kind === 'recv' && e.type === 'response.done' && e.turn === turn,
    );
    const ok =
      dones.length > 0 &&
      dones.every((e) => (e.event.response as { status?: unknown } | undefined)?.status === 'completed');
    flags.set(turn, !ok);
  }
  return flags;
}

/**
 * Whether a listener of turn `turn` ran out of audio for at least `underrunReportMs`, from the delta arrival times
 * alone: playback starts `jitterBufferMs` after the first delta, runs in real time and resumes when audio arrives.
 */
export function listenerRanDry(trace: Trace, turn: number): boolean {
  const { jitterBufferMs, underrunReportMs } = DEFAULT_DETECTION_CONFIG;
  const deltas = trace.entries.filter(
    (e): e is RecvEntry => e.kind === 'recv' && e.turn === turn && e.audio !== undefined,
  );
  let playedUntil = (deltas[0]?.t ?? 0) + jitterBufferMs;
  for (const d of deltas) {
    if (d.t - playedUntil >= underrunReportMs) return true;
    playedUntil = Math.max(playedUntil, d.t) + d.audio!.bytes / 48;
  }
  return false;
}

export function scoreRun(
  c: Case,
  trace: Trace | undefined,
  analysis: RunAnalysis | undefined,
  crashed?: string,
): RunScore {
  const audioMs = trace ? [...trace.outputAudio.values()].reduce((s, b) => s + b.length, 0) / 48 : 0;
  const base: RunScore = {
    case: c,
    crashed,
    detected: false,
    foundNonFailing: false,
    covered: false,
    faultyTurnCodes: [],
    wrongCategory: undefined,
    healthyTurnFailures: [],
    gaps: c.gaps.map((truth) => ({ truth, found: undefined })),
    baselineDetected: false,
    baselineFalsePositive: c.healthy,
    audioMs,
  };
  if (!trace || !analysis) return base;

  const faultTurn = c.expect?.turn;
  const healthyTurnFailures: Finding[] = [];
  if (c.healthy) healthyTurnFailures.push(...analysis.findings.filter((f) => isFailingSeverity(f.severity)));
  for (const t of analysis.turns) {
    if (t.turn === faultTurn || t.metrics === null) continue;
    healthyTurnFailures.push(...t.findings.filter((f) => isFailingSeverity(f.severity)));
  }

  let detected = false;
  let foundNonFailing = false;
  let covered = false;
  let faultyTurnCodes: string[] = [];
  let wrongCategory: string | undefined;
  const gaps: GapMeasure[] = base.gaps;
  if (c.expect) {
    const findings =
      c.expect.scope === 'run'
        ? analysis.findings
        : (analysis.turns.find((t) => t.turn === c.expect!.turn)?.findings ?? []);
    faultyTurnCodes = [...new Set(findings.filter((f) => isFailingSeverity(f.severity)).map((f) => f.code))];
    const codes: readonly string[] = c.expect.codes;
    const primary = findings.filter((f) => codes.includes(f.code));
    detected = primary.some((f) => isFailingSeverity(f.severity));
    foundNonFailing = !detected && primary.length > 0;
    // A fault the listener never heard is reported, and the turn passes.
    covered = c.expect.asHeard === true && !listenerRanDry(trace, c.expect.turn);
    if (covered) detected = primary.length > 0 && !findings.some((f) => isFailingSeverity(f.severity));
    for (const g of gaps) {
      const cands = findings.filter(
        (f) => f.code === 'silent_gap' && f.atMs !== undefined && f.durationMs !== undefined,
      );
      let best: Finding | undefined;
      let bestOverlap = 0;
      for (const f of cands) {
        const o = overlap(f.atMs!, f.atMs! + f.durationMs!, g.truth.atMs, g.truth.atMs + g.truth.durationMs);
        if (o > bestOverlap) [best, bestOverlap] = [f, o];
      }
      g.found = best ? { atMs: best.atMs!, durationMs: best.durationMs! } : undefined;
    }
    if (gaps.some((g) => g.found === undefined)) detected = false;
    const category = c.expect.category === undefined ? undefined : runCategory(trace, analysis);
    if (category !== c.expect.category) {
      wrongCategory = String(category);
      detected = false;
    }
  }

  const flags = baselineFlags(trace, c.prompts.length);
  return {
    ...base,
    detected,
    foundNonFailing,
    covered,
    faultyTurnCodes,
    wrongCategory,
    healthyTurnFailures,
    gaps,
    baselineDetected: faultTurn !== undefined && flags.get(faultTurn) === true,
    baselineFalsePositive: c.healthy && [...flags.values()].some(Boolean),
  };
}
