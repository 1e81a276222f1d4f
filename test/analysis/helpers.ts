/** Shared fixtures for the analysis tests. */
import { analyzeTrace, type DetectionConfig, type DetectionHistory } from '../../src/analysis/index.js';
import type { RunAnalysis } from '../../src/analysis/metrics.js';
import { buildReport } from '../../src/analysis/report.js';
import { reportErrors } from './schema.js';
import {
  answer,
  concat,
  silence,
  speech,
  TraceBuilder,
  type AnswerSpec,
  type BuilderOptions,
  type Played,
} from './traceBuilder.js';

/** The reference answer to count-to-twenty: 151 characters. */
export const COUNT =
  'One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve. Thirteen. Fourteen. Fifteen. Sixteen. Seventeen. Eighteen. Nineteen. Twenty.';

/** A session with one manual turn at t = 100 (`response.create` at 110), closed by the probe afterwards. */
export function oneTurn(spec: Omit<AnswerSpec, 'turn' | 'at'>, o: BuilderOptions = {}): { b: TraceBuilder; p: Played } {
  const b = new TraceBuilder(o).connect();
  const p = answer(b, { turn: 1, at: 100, ...spec });
  if (p.doneAt !== undefined) b.close(p.endAt + 5, 1000, 'probe finished', 'client').sessionEnd(p.endAt + 6);
  return { b, p };
}

/** Analyses a builder's trace — and checks that its report validates against schema/report.schema.json. */
export function analyze(
  b: TraceBuilder,
  config: Partial<DetectionConfig> = {},
  history?: DetectionHistory,
): RunAnalysis {
  const trace = b.build();
  const analysis = analyzeTrace(trace, config, history);
  const errors = reportErrors(buildReport(trace, analysis));
  if (errors.length) throw new Error(`report does not validate against the schema:\n${errors.join('\n')}`);
  return analysis;
}

/** The findings of turn `n` (1-based). */
export function turnFindings(a: RunAnalysis, n = 1) {
  return a.turns[n - 1]!.findings;
}

/** Three 10 s answers; the second has a 2.3 s silent gap at 4.1 s. */
export function gapInTurn2Of3(): TraceBuilder {
  const b = new TraceBuilder().connect();
  let at = 100;
  for (let turn = 1; turn <= 3; turn++) {
    const pcm = turn === 2 ? concat(speech(4100), silence(2300), speech(3600)) : speech(10_000);
    at = answer(b, { turn, at, pcm, transcript: COUNT }).endAt + 1;
  }
  return b.close(at, 1000, '', 'client');
}
