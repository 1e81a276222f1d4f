/**
 * Runs one labeled corpus of bench:detect: probes every case against the simulator thread (bounded concurrency,
 * longest first), analyses each trace, scores it against its labels, and checks the labels against the traces.
 * Also the per-corpus summary the report prints: recall per kind, false positives, gap measurement error.
 */
import { analyzeTrace, type DetectionConfig, type RunAnalysis } from '../../src/analysis/index.js';
import { runProbe } from '../../src/probe/session.js';
import type { Trace } from '../../src/trace/trace.js';
import { faultsForTurn } from '../../src/sim/index.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import type { SimProcess } from '../simProcess.js';
import type { Case, Corpus } from './corpus.js';
import { checkLabels } from './labels.js';
import { scoreRun, type RunScore } from './score.js';

export interface CorpusRun {
  name: string;
  corpus: Corpus;
  traces: Map<string, Trace>;
  analyses: Map<string, RunAnalysis>;
  scores: RunScore[];
  labelProblems: string[];
  probeWallS: number;
}

const SETTLE_MS = 400;

export async function runCorpus(
  name: string,
  corpus: Corpus,
  sim: SimProcess,
  key: string,
  concurrency: number,
  config: Partial<DetectionConfig> = {},
): Promise<CorpusRun> {
  const { cases } = corpus;
  const traces = new Map<string, Trace>();
  const probeErrors = new Map<string, string>();
  const queue = [...cases].sort((a, b) => b.estimateMs - a.estimateMs);
  const started = performance.now();
  let done = 0;
  const lane = async (): Promise<void> => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      try {
        const endpoint = resolveEndpoint({ endpoint: sim.url(c.flavour, c.scenario.name, c.deployment) });
        const trace = await runProbe(
          { name: c.id, endpoint, auth: { mode: 'api-key', key } },
          {
            prompts: c.prompts,
            turns: c.prompts.length,
            turnTimeoutMs: c.turnTimeoutMs,
            settleMs: SETTLE_MS,
            ...(c.outputFormat ? { outputFormat: c.outputFormat } : {}),
          },
        );
        traces.set(c.id, trace);
      } catch (err) {
        probeErrors.set(c.id, (err as Error).stack ?? String(err));
      }
      done++;
      if (done % 10 === 0 || done === cases.length)
        process.stdout.write(
          `  ${name}: probed ${done}/${cases.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
        );
    }
  };
  await Promise.all(Array.from({ length: concurrency }, lane));
  const probeWallS = (performance.now() - started) / 1000;

  const analyses = new Map<string, RunAnalysis>();
  const scores = cases.map((c) => {
    const trace = traces.get(c.id);
    if (!trace) return scoreRun(c, undefined, undefined, probeErrors.get(c.id) ?? 'no trace');
    try {
      const a = analyzeTrace(trace, config);
      analyses.set(c.id, a);
      return scoreRun(c, trace, a);
    } catch (err) {
      return scoreRun(c, trace, undefined, `analyzeTrace threw: ${(err as Error).stack ?? String(err)}`);
    }
  });
  const labelProblems = cases.flatMap((c) => {
    const trace = traces.get(c.id);
    return trace ? checkLabels(c, trace, corpus.spoken).map((p) => `${c.id}: ${p}`) : [];
  });
  return { name, corpus, traces, analyses, scores, labelProblems, probeWallS };
}

export interface KindStats {
  runs: number;
  hits: number;
  baselineHits: number;
  turns: string;
  flavours: string;
}

export interface CorpusSummary {
  perKind: Map<string, KindStats>;
  faulty: number;
  hits: number;
  baselineHits: number;
  healthy: number;
  falsePositives: RunScore[];
  baselineFalsePositives: number;
  collateral: RunScore[];
  gaps: {
    measured: number;
    total: number;
    meanDurErr: number;
    maxDurErr: number;
    meanPosErr: number;
    maxPosErr: number;
  };
  longestHealthySilenceMs: number;
  /**
   * Healthy turns with a spoken preamble and a pinned reasoning pause: |reasoning time measured − the plan's|, ms
   * (a turn whose reasoning time was not measured counts as Infinity).
   */
  reasoningErrors: number[];
}

const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : NaN);

export function summarize(r: CorpusRun): CorpusSummary {
  const perKind = new Map<string, KindStats>();
  for (const s of r.scores.filter((x) => !x.case.healthy)) {
    const k = perKind.get(s.case.kind) ?? { runs: 0, hits: 0, baselineHits: 0, turns: '', flavours: '' };
    k.runs++;
    if (s.detected) k.hits++;
    if (s.baselineDetected) k.baselineHits++;
    perKind.set(s.case.kind, k);
  }
  for (const [kind, k] of perKind) {
    const rs = r.scores.filter((s) => s.case.kind === kind);
    k.turns = [...new Set(rs.map((s) => s.case.expect!.turn))].sort().join(',');
    k.flavours = [...new Set(rs.map((s) => s.case.flavour))].sort().join(' ');
  }
  const faultyScores = r.scores.filter((s) => !s.case.healthy);
  const healthyScores = r.scores.filter((s) => s.case.healthy);
  const gaps = r.scores.flatMap((s) => s.gaps);
  const measured = gaps.filter((g) => g.found);
  const durErr = measured.map((g) => Math.abs(g.found!.durationMs - g.truth.durationMs));
  const posErr = measured.map((g) => Math.abs(g.found!.atMs - g.truth.atMs));
  return {
    perKind,
    faulty: faultyScores.length,
    hits: faultyScores.filter((s) => s.detected).length,
    baselineHits: faultyScores.filter((s) => s.baselineDetected).length,
    healthy: healthyScores.length,
    falsePositives: healthyScores.filter((s) => s.crashed || s.healthyTurnFailures.length > 0),
    baselineFalsePositives: healthyScores.filter((s) => s.baselineFalsePositive).length,
    collateral: faultyScores.filter((s) => s.healthyTurnFailures.length > 0),
    gaps: {
      measured: measured.length,
      total: gaps.length,
      meanDurErr: mean(durErr),
      maxDurErr: measured.length === gaps.length ? max(durErr) : Infinity,
      meanPosErr: mean(posErr),
      maxPosErr: max(posErr),
    },
    reasoningErrors: healthyScores.flatMap((s) => reasoningErrors(s.case, r.analyses.get(s.case.id))),
    longestHealthySilenceMs: Math.max(
      0,
      ...healthyScores.flatMap(
        (s) => r.analyses.get(s.case.id)?.turns.map((t) => t.metrics?.silence.longestSilentRunMs ?? 0) ?? [0],
      ),
    ),
  };
}

/** Per healthy turn of `c` that spoke a preamble before a pinned pause: how far the measured reasoning time is off. */
function reasoningErrors(c: Case, a: RunAnalysis | undefined): number[] {
  const pinned = c.scenario.reasoning?.reasoningMs;
  if (pinned === undefined || !c.planned) return [];
  return c.planned.flatMap((p, i) => {
    if (!p.preamble || faultsForTurn(c.scenario, i + 1).length) return [];
    const ms = a?.turns.find((t) => t.turn === i + 1)?.metrics?.timing.reasoningMs;
    return [ms === null || ms === undefined ? Infinity : Math.abs(ms - pinned)];
  });
}

/** One line per miss / false positive, with what was found instead. */
export function problemLines(r: CorpusRun): string[] {
  const lines: string[] = [];
  for (const s of r.scores.filter((x) => !x.case.healthy && !x.detected)) {
    const c: Case = s.case;
    const why = s.crashed
      ? `crashed: ${s.crashed.split('\n')[0]}`
      : s.wrongCategory !== undefined
        ? `found [${s.faultyTurnCodes.join(', ')}] but classified ${s.wrongCategory}, expected ${c.expect!.category}`
        : s.covered
          ? `the buffered audio covered it: expected ${c.expect!.codes.join(' or ')} reported and the turn passing, ` +
            `got failing [${s.faultyTurnCodes.join(', ')}]`
          : s.foundNonFailing
            ? `${c.expect!.codes.join('|')} found but not failing`
            : `expected ${c.expect!.codes.join(' or ')}${c.expect!.scope === 'run' ? ' (run level)' : ''}, got [${s.faultyTurnCodes.join(', ')}]`;
    const gapInfo = s.gaps
      .map(
        (g) =>
          ` truth ${g.truth.atMs.toFixed(0)}+${g.truth.durationMs.toFixed(0)} ms, found ${g.found ? `${g.found.atMs}+${g.found.durationMs} ms` : 'none'}`,
      )
      .join(';');
    lines.push(`MISS ${c.id} (${c.flavour}, ${c.note}): ${why}${gapInfo}`);
  }
  for (const s of r.scores.filter((x) => x.healthyTurnFailures.length > 0 || (x.case.healthy && x.crashed))) {
    const f = s.healthyTurnFailures
      .map((x) => `turn ${x.turn ?? '-'} ${x.code}/${x.severity}: ${x.message}`)
      .join(' | ');
    lines.push(
      `${s.case.healthy ? 'FALSE POSITIVE' : 'HEALTHY-TURN FAILURE'} ${s.case.id} (${s.case.flavour}, ${s.case.note}): ${s.crashed ?? f}`,
    );
  }
  return lines;
}
