/**
 * Detection: a trace in, metrics, findings and verdicts out. Pure — no I/O, no clock, no randomness — so the
 * same trace always gives the same analysis, in production, in the benchmark and in tests.
 */
import { itemIdOf } from '../trace/ids.js';
import type { CloseEntry, Trace, TraceEntry } from '../trace/trace.js';
import { resolveConfig, type DetectionConfig } from './config.js';
import { connectionMetrics } from './connection.js';
import { RUN_DETECTORS, TURN_DETECTORS } from './detectors/index.js';
import { neverRan } from './detectors/connection.js';
import { sortFindings, type Finding } from './findings.js';
import { sanitizeTrace } from './sanitize.js';
import { MODEL_RETIREMENTS, type ModelRetirement } from '../realtime/lifecycle.js';
import { learnRates, type DetectionHistory } from './history.js';
import { withModelLifecycle } from './lifecycle.js';
import { analyzeWebRtc, isWebRtcTrace } from './media/index.js';
import type { RunAnalysis, TurnAnalysis } from './metrics.js';
import { measureTurn } from './turnMetrics.js';
import { buildTurnViews, type TurnView } from './turnView.js';
import { runVerdict, turnVerdict } from './verdict.js';

export { DEFAULT_DETECTION_CONFIG, resolveConfig, type DetectionConfig } from './config.js';
export {
  FINDING_CODES,
  SEVERITIES,
  findingCodes,
  isFailingSeverity,
  type Finding,
  type FindingCode,
  type Severity,
  type Verdict,
} from './findings.js';
export {
  historySamples,
  learnRates,
  type DetectionHistory,
  type HistorySample,
  type TargetHistory,
} from './history.js';
export type * from './metrics.js';
export { runCategory } from './category.js';
export { FATAL_SESSION_ERROR_CODES, REFUSAL_CLOSE_CODES } from './refusal.js';

/**
 * Analyses a trace: per-turn metrics and findings, run-level findings, verdicts.
 * @param config overrides of {@link DEFAULT_DETECTION_CONFIG}
 * @param history the target's healthy past turns, to learn its speaking rate and usage ratio
 * @param retirements the model-retirement table the run's model is looked up in (./lifecycle.ts)
 */
export function analyzeTrace(
  input: Trace,
  config: Partial<DetectionConfig> = {},
  history?: DetectionHistory,
  retirements: readonly ModelRetirement[] = MODEL_RETIREMENTS,
): RunAnalysis {
  const trace = sanitizeTrace(input);
  const cfg = resolveConfig(config);
  if (isWebRtcTrace(trace))
    return withModelLifecycle(
      trace,
      analyzeWebRtc(trace, cfg, (heard) => analyzeTrace(heard, config, history, [])),
      retirements,
    );
  const views = buildTurnViews(trace);
  const close = trace.entries.find((e): e is CloseEntry => e.kind === 'close');
  const connection = connectionMetrics(trace);
  const runFound = RUN_DETECTORS.flatMap((d) => d.detect({ trace, views, connection, close, config: cfg }));
  const turns = views.map((view) =>
    analyzeTurn(
      trace,
      view,
      cfg,
      history,
      close,
      runFound.filter((f) => f.turn === view.turn),
    ),
  );
  const findings = sortFindings(runFound.filter((f) => f.turn === null));
  return withModelLifecycle(
    trace,
    { turns, findings, verdict: runVerdict(turns, findings), connection, config: cfg },
    retirements,
  );
}

function analyzeTurn(
  trace: Trace,
  view: TurnView,
  config: DetectionConfig,
  history: DetectionHistory | undefined,
  close: CloseEntry | undefined,
  attributed: Finding[],
): TurnAnalysis {
  const base = {
    turn: view.turn,
    promptId: view.promptId ?? null,
    outcome: view.end?.outcome ?? (view.start ? 'unfinished' : 'not-started'),
    responseIds: unique(view.responses.map((r) => r.id)),
    itemIds: unique(view.entries.map(outputItemId)),
  } as const;
  if (neverRan(view)) return { ...base, metrics: null, findings: sortFindings(attributed), verdict: 'error' };
  const rates = learnRates(history, trace.meta.target.name, base.promptId, config);
  const metrics = measureTurn(trace, view, config, rates, close);
  const ctx = { trace, view, metrics, config, modality: trace.meta.options.modality };
  const findings = sortFindings([...attributed, ...TURN_DETECTORS.flatMap((d) => d.detect(ctx))]);
  return { ...base, metrics, findings, verdict: turnVerdict(findings, view.responses.length > 0) };
}

/** The output item a `response.*` event names, if any. */
function outputItemId(e: TraceEntry): string | undefined {
  if (e.kind !== 'recv' || !e.type.startsWith('response.')) return undefined;
  return itemIdOf(e);
}

function unique(ids: (string | undefined)[]): string[] {
  return [...new Set(ids.filter((id): id is string => id !== undefined))];
}
