/**
 * bench:detect — the labeled detection benchmark (issue 3). Generates a corpus with the simulator (on its own
 * thread): faulty runs covering every fault kind at several positions and sizes, in later turns of multi-turn
 * sessions and in both dialects, and healthy runs with natural pauses, bursty / jittery delivery, two-item answers
 * and late deltas within the grace period (see detect/corpus.ts). Probes each (bounded concurrency), analyses each
 * trace, and prints recall per fault kind, false positives on healthy runs, gap measurement error against the
 * simulator's own speech plan, analysis speed, and the same corpus judged by a naive baseline that only checks
 * `response.done.status == "completed"`. Exits non-zero when a target is missed.
 *
 * Targets: recall 100 %, zero false positives, gap duration error ≤ 50 ms, analysis ≥ 1000× real time.
 *
 * Usage: npm run bench:detect [-- --concurrency N --verbose]
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { analyzeTrace, type RunAnalysis } from '../src/analysis/index.js';
import { loadCatalog } from '../src/probe/prompts.js';
import { runProbe } from '../src/probe/session.js';
import type { Trace } from '../src/probe/trace.js';
import { resolveEndpoint } from '../src/realtime/flavours.js';
import { FAULT_KINDS, PRIMARY, SEED, buildCorpus, dialectOf, naturalPauses } from './detect/corpus.js';
import { checkLabels } from './detect/labels.js';
import { scoreRun, type RunScore } from './detect/score.js';
import { startSimThread } from './simWorker.js';

const { values } = parseArgs({ options: { concurrency: { type: 'string', default: '6' }, verbose: { type: 'boolean', default: false } } });
const concurrency = Math.max(1, Number(values.concurrency));
const KEY = 'bench-detect-key';
const SETTLE_MS = 400;

const corpus = buildCorpus(loadCatalog());
const { cases } = corpus;
const faulty = cases.filter((c) => !c.healthy);
const healthy = cases.filter((c) => c.healthy);
const turnsTotal = cases.reduce((s, c) => s + c.prompts.length, 0);

console.log(`bench:detect — labeled detection benchmark, node ${process.version}, ${availableParallelism()} CPUs`);
const byTurn = [1, 2, 3].map((t) => faulty.filter((c) => c.expect?.turn === t).length);
const ga = faulty.filter((c) => dialectOf(c.flavour) === 'ga').length;
console.log(
  `corpus: ${faulty.length} faulty runs (${FAULT_KINDS.length} kinds; fault in turn 1/2/3: ${byTurn.join('/')}; in a multi-turn session: ${faulty.filter((c) => c.prompts.length > 1).length}; ` +
    `GA dialect ${ga}, beta dialect ${faulty.length - ga}) + ${healthy.length} healthy runs (${healthy.filter((c) => c.prompts.length > 1).length} multi-turn); ${turnsTotal} turns; answers 8–10 s`,
);

// --- Probe every case against the simulator on its own thread, longest first, `concurrency` at a time.
const sim = await startSimThread(KEY, { scenarios: corpus.scenarios, catalog: corpus.catalog, seed: SEED, recordSends: false });
const traces = new Map<string, Trace>();
const probeErrors = new Map<string, string>();
const queue = [...cases].sort((a, b) => b.estimateMs - a.estimateMs);
const started = performance.now();
let done = 0;
async function lane(): Promise<void> {
  for (let c = queue.shift(); c; c = queue.shift()) {
    try {
      const endpoint = resolveEndpoint({ endpoint: sim.url(c.flavour, c.scenario.name), dialect: c.flavour === 'openai-beta' ? 'beta' : undefined });
      const trace = await runProbe(
        { name: c.id, endpoint, auth: { mode: 'api-key', key: KEY } },
        { prompts: c.prompts, turns: c.prompts.length, turnTimeoutMs: c.turnTimeoutMs, settleMs: SETTLE_MS },
      );
      traces.set(c.id, trace);
    } catch (err) {
      probeErrors.set(c.id, (err as Error).stack ?? String(err));
    }
    done++;
    if (done % 10 === 0 || done === cases.length) process.stdout.write(`  probed ${done}/${cases.length} (${((performance.now() - started) / 1000).toFixed(0)} s)\n`);
  }
}
await Promise.all(Array.from({ length: concurrency }, lane));
const probeWallS = (performance.now() - started) / 1000;
await sim.stop();
console.log(`probed ${cases.length} runs in ${probeWallS.toFixed(1)} s (concurrency ${concurrency}, simulator on its own thread, seed ${SEED})`);

// --- Analyse and score (the simulator is stopped: nothing else runs on this thread now).
const analyses = new Map<string, RunAnalysis>();
const scores: RunScore[] = cases.map((c) => {
  const trace = traces.get(c.id);
  if (!trace) return scoreRun(c, undefined, undefined, probeErrors.get(c.id) ?? 'no trace');
  try {
    const a = analyzeTrace(trace);
    analyses.set(c.id, a);
    return scoreRun(c, trace, a);
  } catch (err) {
    return scoreRun(c, trace, undefined, `analyzeTrace threw: ${(err as Error).stack ?? String(err)}`);
  }
});

// --- The labels must describe what the simulator did (checked on the traces, not with the analysis under test).
const labelProblems = cases.flatMap((c) => {
  const trace = traces.get(c.id);
  return trace ? checkLabels(c, trace, corpus.spoken).map((p) => `${c.id}: ${p}`) : [];
});

// --- Analysis speed: analyzeTrace alone, over the whole corpus, repeated for a stable figure (this thread's CPU time).
const allTraces = [...traces.values()];
const audioMsPerPass = allTraces.reduce((s, t) => s + [...t.outputAudio.values()].reduce((x, b) => x + b.length, 0) / 48, 0);
for (const t of allTraces) analyzeTrace(t); // warm-up
let passes = 0;
const cpu0 = process.threadCpuUsage();
const wall0 = performance.now();
let cpuMs = 0;
while (passes < 5 || (cpuMs < 3000 && passes < 200)) {
  for (const t of allTraces) analyzeTrace(t);
  passes++;
  const d = process.threadCpuUsage(cpu0);
  cpuMs = (d.user + d.system) / 1000;
}
const analysisWallMs = performance.now() - wall0;
const audioS = (audioMsPerPass * passes) / 1000;
const speedX = audioS / (cpuMs / 1000);

// --- Report.
const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(1)} %` : '—');
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const lpad = (s: string | number, n: number): string => String(s).padStart(n);

console.log('');
console.log(`recall per fault kind (primary code, failing severity, in the faulty turn)      analysis            baseline (status == completed)`);
let recallHits = 0;
let baseHits = 0;
for (const kind of FAULT_KINDS) {
  const rs = scores.filter((s) => s.case.kind === kind);
  const hit = rs.filter((s) => s.detected).length;
  const bh = rs.filter((s) => s.baselineDetected).length;
  recallHits += hit;
  baseHits += bh;
  const turns = [...new Set(rs.map((s) => s.case.expect!.turn))].sort().join(',');
  const dialects = [...new Set(rs.map((s) => dialectOf(s.case.flavour)))].sort().join('+');
  console.log(
    `  ${pad(kind, 18)} ${pad(`→ ${PRIMARY[kind]}`, 26)} ${lpad(rs.length, 2)} runs, turns ${pad(turns, 5)} ${pad(dialects, 7)}  ${lpad(`${hit}/${rs.length}`, 5)} ${lpad(pct(hit, rs.length), 7)}       ${lpad(`${bh}/${rs.length}`, 5)} ${lpad(pct(bh, rs.length), 7)}`,
  );
}
console.log(`  ${pad('all fault kinds', 45)} ${lpad(faulty.length, 2)} runs                       ${lpad(`${recallHits}/${faulty.length}`, 5)} ${lpad(pct(recallHits, faulty.length), 7)}       ${lpad(`${baseHits}/${faulty.length}`, 5)} ${lpad(pct(baseHits, faulty.length), 7)}`);

const healthyScores = scores.filter((s) => s.case.healthy);
const fpRuns = healthyScores.filter((s) => s.crashed || s.healthyTurnFailures.length > 0);
const baseFp = healthyScores.filter((s) => s.baselineFalsePositive).length;
console.log(`false positives on healthy runs (any failing finding)                               ${lpad(`${fpRuns.length}/${healthyScores.length}`, 5)}                 ${lpad(`${baseFp}/${healthyScores.length}`, 5)}`);
const collateral = scores.filter((s) => !s.case.healthy && s.healthyTurnFailures.length > 0);
const healthyTurnsOfFaulty = scores.filter((s) => !s.case.healthy).reduce((n, s) => n + (analyses.get(s.case.id)?.turns.filter((t) => t.turn !== s.case.expect?.turn && t.metrics !== null).length ?? 0), 0);
console.log(`  (also: failing findings on the ${healthyTurnsOfFaulty} healthy turns of faulty runs: ${collateral.reduce((n, s) => n + s.healthyTurnFailures.length, 0)})`);
const healthyPauses = healthyScores.flatMap((s) => s.case.prompts.flatMap((p) => naturalPauses(corpus.spoken.get(p.id)!)));
const longestMeasured = Math.max(...healthyScores.flatMap((s) => analyses.get(s.case.id)?.turns.map((t) => t.metrics?.silence.longestSilentRunMs ?? 0) ?? [0]));
console.log(`  healthy runs: longest natural pause in the speech plan ${Math.max(...healthyPauses).toFixed(0)} ms; longest silent run measured ${longestMeasured.toFixed(0)} ms`);

const gaps = scores.flatMap((s) => s.gaps);
const measured = gaps.filter((g) => g.found);
const durErr = measured.map((g) => Math.abs(g.found!.durationMs - g.truth.durationMs));
const posErr = measured.map((g) => Math.abs(g.found!.atMs - g.truth.atMs));
const mean = (xs: number[]): number => (xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN);
const max = (xs: number[]): number => (xs.length ? Math.max(...xs) : NaN);
console.log('');
console.log(`silent gaps: ${measured.length}/${gaps.length} true gaps measured (injected 1.0–4.0 s; ${gaps.filter((g) => g.truth.noise).length} of −60 dBFS noise)`);
console.log(`  duration error: mean ${mean(durErr).toFixed(1)} ms, max ${max(durErr).toFixed(1)} ms    position error: mean ${mean(posErr).toFixed(1)} ms, max ${max(posErr).toFixed(1)} ms`);
for (const placement of ['in-word', 'in-pause', 'at-word-end'] as const) {
  const gs = measured.filter((g) => g.truth.placement === placement);
  if (!gs.length) continue;
  const de = gs.map((g) => Math.abs(g.found!.durationMs - g.truth.durationMs));
  const pe = gs.map((g) => Math.abs(g.found!.atMs - g.truth.atMs));
  console.log(`  ${pad(placement, 12)} n=${lpad(gs.length, 2)}: duration error mean ${mean(de).toFixed(1)} / max ${max(de).toFixed(1)} ms, position error mean ${mean(pe).toFixed(1)} / max ${max(pe).toFixed(1)} ms`);
}

console.log('');
console.log(
  `analysis speed: ${passes} passes over ${allTraces.length} traces (${(audioMsPerPass / 60_000).toFixed(1)} min of audio each) in ${(cpuMs / 1000).toFixed(2)} s CPU (${(analysisWallMs / 1000).toFixed(2)} s wall) → ` +
    `${(audioS / 60 / (cpuMs / 1000)).toFixed(1)} min of audio per CPU second = ${speedX.toFixed(0)}× real time`,
);

// --- Misses and false positives, with what was found instead.
const misses = scores.filter((s) => !s.case.healthy && !s.detected);
if (misses.length || fpRuns.length || collateral.length || values.verbose) console.log('');
for (const s of misses) {
  const why = s.crashed ? `crashed: ${s.crashed.split('\n')[0]}` : s.foundNonFailing ? `${s.case.expect!.code} found but not failing` : `expected ${s.case.expect!.code}, got [${s.faultyTurnCodes.join(', ')}]`;
  const gapInfo = s.gaps.map((g) => ` truth ${g.truth.atMs.toFixed(0)}+${g.truth.durationMs.toFixed(0)} ms, found ${g.found ? `${g.found.atMs}+${g.found.durationMs} ms` : 'none'}`).join(';');
  console.log(`MISS ${s.case.id} (${s.case.flavour}, ${s.case.note}): ${why}${gapInfo}`);
}
for (const s of [...fpRuns, ...collateral]) {
  const f = s.healthyTurnFailures.map((x) => `turn ${x.turn ?? '-'} ${x.code}/${x.severity}: ${x.message}`).join(' | ');
  console.log(`${s.case.healthy ? 'FALSE POSITIVE' : 'HEALTHY-TURN FAILURE'} ${s.case.id} (${s.case.flavour}, ${s.case.note}): ${s.crashed ?? f}`);
}
if (values.verbose) {
  for (const s of scores) {
    const a = analyses.get(s.case.id);
    const turns = a?.turns.map((t) => `${t.turn}:${t.verdict}[${t.findings.map((f) => `${f.code}/${f.severity}`).join(' ')}]`).join(' ') ?? '-';
    const g = s.gaps.map((x) => ` gap truth ${x.truth.atMs.toFixed(1)}+${x.truth.durationMs.toFixed(1)} found ${x.found ? `${x.found.atMs}+${x.found.durationMs}` : '-'}`).join('');
    console.log(`  ${pad(s.case.id, 22)} ${pad(s.case.flavour, 13)} ${pad(s.case.note, 70)} ${turns}${g}`);
  }
}

// --- Targets.
const recall = faulty.length ? recallHits / faulty.length : 0;
const maxDurErr = measured.length === gaps.length ? max(durErr) : Infinity;
const targets: [string, string, boolean][] = [
  ['recall 100 %', `${(recall * 100).toFixed(1)} % (${recallHits}/${faulty.length})`, recallHits === faulty.length],
  ['zero false positives', `${fpRuns.length} of ${healthyScores.length} healthy runs`, fpRuns.length === 0],
  ['gap duration error ≤ 50 ms', `max ${Number.isFinite(maxDurErr) ? maxDurErr.toFixed(1) : '∞'} ms, mean ${mean(durErr).toFixed(1)} ms`, maxDurErr <= 50],
  ['analysis ≥ 1000× real time', `${speedX.toFixed(0)}×`, speedX >= 1000],
];
console.log('');
console.log(`label check: ${traces.size - new Set(labelProblems.map((p) => p.split(':')[0])).size}/${traces.size} runs answered with the planned answer, gaps where labelled in the received audio`);
for (const p of labelProblems) console.log(`  LABEL MISMATCH ${p}`);
console.log('targets:');
for (const [name, got, ok] of targets) console.log(`  ${ok ? 'PASS' : 'FAIL'}  ${pad(name, 28)} ${got}`);
console.log(`baseline (status == completed): recall ${pct(baseHits, faulty.length)}, false positives ${baseFp}/${healthyScores.length}`);
process.exitCode = targets.every(([, , ok]) => ok) && labelProblems.length === 0 && traces.size === cases.length ? 0 : 1;

