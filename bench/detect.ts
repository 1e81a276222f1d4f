/**
 * bench:detect — the labeled detection benchmark (issues 3, 9 and 19). Three corpora, generated with the simulator
 * in its own process and judged side by side:
 *   - original: the simulator's old beliefs (100–200 ms deltas, bursts at 4×): every original fault kind at
 *     several positions and sizes, in later turns of multi-turn sessions and in both dialects, and healthy runs
 *     with natural pauses, bursty / jittery delivery, two-item answers and late deltas (detect/corpus.ts);
 *   - real-wire: the 2026 service as captured (200–500 ms deltas in bursts far ahead of real time, 20 audio tokens
 *     per second, GA order): lost last deltas, silent tails, a failed response after partial output, Azure's
 *     output cap, OpenAI's refusals after the 101, the original kinds at real delta sizes, and healthy answers
 *     with natural pauses up to ~900 ms (detect/realWire.ts);
 *   - reasoning: gpt-realtime-2.1 and -mini (preambles, reasoning pauses of 0.5–8 s, two generations for one turn,
 *     multi-turn, both dialects, an honest μ-law session) and every fault of issue 19 — long reasoning, preamble
 *     only, a silent second generation, a hole inside the final answer, capacity, RPM / RPD limits, 429 / 503 / 403 /
 *     400 upgrades, a retired model, repeated audio, the session cap, `audio/pcmu` ignored (detect/reasoning.ts).
 * Prints recall per fault kind (the expected code, and where expected.ts names one, the run's category), false
 * positives on healthy runs, gap measurement error against the simulator's own speech plan, analysis speed, and the
 * naive baseline (`response.done.status == "completed"`). Exits non-zero when a target is missed on a corpus that was
 * run.
 *
 * Targets: recall 100 %, zero false positives, gap duration and position error ≤ 50 ms, analysis ≥ 1000× real time.
 *
 * Usage: npm run bench:detect [-- --corpus original|real-wire|reasoning|all --concurrency N --verbose --audio-tokens-per-second N]
 * (`--audio-tokens-per-second` overrides the analysis's default output audio token rate, e.g. 20 as documented.)
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { analyzeTrace } from '../src/analysis/index.js';
import { loadCatalog } from '../src/prompts/catalog.js';
import { SEED, buildCorpus, type Corpus } from './detect/corpus.js';
import { expectationOf } from './detect/expected.js';
import { buildRealWireCorpus } from './detect/realWire.js';
import { buildReasoningCorpus } from './detect/reasoning.js';
import { problemLines, runCorpus, summarize, type CorpusRun, type CorpusSummary } from './detect/run.js';
import { startSimProcess } from './simProcess.js';

const { values } = parseArgs({
  options: {
    concurrency: { type: 'string', default: '6' },
    verbose: { type: 'boolean', default: false },
    corpus: { type: 'string', default: 'all' },
    'audio-tokens-per-second': { type: 'string' },
  },
});
const tps = values['audio-tokens-per-second'] === undefined ? undefined : Number(values['audio-tokens-per-second']);
if (tps !== undefined && !(tps > 0))
  throw new Error(`--audio-tokens-per-second must be a positive number, got "${values['audio-tokens-per-second']}"`);
const config = tps === undefined ? {} : { audioTokensPerSecond: tps };
const concurrency = Math.max(1, Number(values.concurrency));
const BUILDERS: Readonly<Record<string, (base: ReturnType<typeof loadCatalog>) => Corpus>> = {
  original: buildCorpus,
  'real-wire': buildRealWireCorpus,
  reasoning: buildReasoningCorpus,
};
const chosen = values.corpus === 'all' ? Object.keys(BUILDERS) : [values.corpus ?? ''];
if (!chosen.every((name) => Object.hasOwn(BUILDERS, name)))
  throw new Error(`--corpus must be original, real-wire, reasoning or all, got "${values.corpus}"`);
const KEY = 'bench-detect-key';

const base = loadCatalog();
const corpora: [string, Corpus][] = chosen.map((name) => [name, BUILDERS[name]!(base)]);

console.log(`bench:detect — labeled detection benchmark, node ${process.version}, ${availableParallelism()} CPUs`);
for (const [name, c] of corpora) {
  const faulty = c.cases.filter((x) => !x.healthy);
  const kinds = new Set(faulty.map((x) => x.kind)).size;
  const turns = c.cases.reduce((s, x) => s + x.prompts.length, 0);
  console.log(
    `  ${name}: ${faulty.length} faulty runs (${kinds} ` +
      `kinds, ${faulty.filter((x) => x.prompts.length > 1).length} in multi-turn sessions) + ${c.cases.length - faulty.length} healthy runs; ${turns} turns`,
  );
}

const sim = await startSimProcess(KEY, {
  scenarios: Object.assign({}, ...corpora.map(([, c]) => c.scenarios)),
  catalog: corpora[0]![1].catalog,
  seed: SEED,
  recordSends: false,
});
const runs: CorpusRun[] = [];
for (const [name, c] of corpora) runs.push(await runCorpus(name, c, sim, KEY, concurrency, config));
if (tps !== undefined) console.log(`analysis with audioTokensPerSecond = ${tps} (overriding the default)`);
await sim.stop();
for (const r of runs)
  console.log(
    `probed ${r.name}: ${r.corpus.cases.length} runs in ${r.probeWallS.toFixed(1)} s (concurrency ${concurrency}, simulator in its own process, seed ${SEED})`,
  );
const sums: CorpusSummary[] = runs.map(summarize);

// --- Analysis speed: analyzeTrace alone over every trace, repeated for a stable figure (this thread's CPU time).
const allTraces = runs.flatMap((r) => [...r.traces.values()]);
const audioMsPerPass = allTraces.reduce(
  (s, t) => s + [...t.outputAudio.values()].reduce((x, b) => x + b.length, 0) / 48,
  0,
);
for (const t of allTraces) analyzeTrace(t, config);
let passes = 0;
let cpuMs = 0;
const cpu0 = process.threadCpuUsage();
while (passes < 3 || (cpuMs < 3000 && passes < 200)) {
  for (const t of allTraces) analyzeTrace(t, config);
  passes++;
  const d = process.threadCpuUsage(cpu0);
  cpuMs = (d.user + d.system) / 1000;
}
const speedX = (audioMsPerPass * passes) / cpuMs;

// --- Report, corpora side by side.
const pct = (a: number, b: number): string => (b ? `${((100 * a) / b).toFixed(0)} %` : '');
const pad = (s: string | number, n: number): string => String(s).padEnd(n);
const lpad = (s: string | number, n: number): string => String(s).padStart(n);
const cell = (a: number, b: number): string => (b ? `${lpad(`${a}/${b}`, 5)} ${lpad(pct(a, b), 5)}` : lpad('—', 11));
const W = 21;
/** One line of the table: the label, then one right-aligned column a value. */
const row = (label: string, values: readonly (string | number)[]): string =>
  `${pad(label, 70)}${values.map((v) => lpad(v, W)).join('')}`;
console.log('');
console.log(
  row('recall per fault kind (failing, where expected)', [
    ...runs.map((r) => r.name),
    ...runs.map((r) => `baseline ${r.name}`),
  ]),
);
const kinds = [...new Set(sums.flatMap((s) => [...s.perKind.keys()]))];
for (const kind of kinds) {
  const e = expectationOf(kind);
  const label =
    `  ${pad(kind, 24)} → ${e.codes.join(' | ')}${e.scope === 'run' ? ' (run)' : ''}` +
    `${e.asHeard ? ' (if heard)' : ''}${e.category ? ` [${e.category}]` : ''}`;
  const k = sums.map((s) => s.perKind.get(kind));
  console.log(
    row(label, [
      ...k.map((x) => (x ? cell(x.hits, x.runs) : '—')),
      ...k.map((x) => (x ? cell(x.baselineHits, x.runs) : '—')),
    ]),
  );
}
console.log(
  row('  all fault kinds', [
    ...sums.map((s) => cell(s.hits, s.faulty)),
    ...sums.map((s) => cell(s.baselineHits, s.faulty)),
  ]),
);
console.log(
  row('false positives on healthy runs (any failing finding)', [
    ...sums.map((s) => `${s.falsePositives.length}/${s.healthy}`),
    ...sums.map((s) => `${s.baselineFalsePositives}/${s.healthy}`),
  ]),
);
console.log(
  `${pad('failing findings on the healthy turns of faulty runs', 70)}${sums
    .map((s) =>
      lpad(
        s.collateral.reduce((n, x) => n + x.healthyTurnFailures.length, 0),
        W,
      ),
    )
    .join('')}`,
);
console.log(
  `${pad('longest silent run measured on a healthy run', 70)}${sums.map((s) => lpad(`${s.longestHealthySilenceMs.toFixed(0)} ms`, W)).join('')}`,
);
const f1 = (x: number): string => (Number.isFinite(x) ? x.toFixed(1) : '∞');
console.log(
  `${pad('silent gaps measured', 70)}${sums.map((s) => lpad(`${s.gaps.measured}/${s.gaps.total}`, W)).join('')}`,
);
console.log(
  `${pad('  gap duration error, mean / max (ms)', 70)}${sums.map((s) => lpad(`${f1(s.gaps.meanDurErr)} / ${f1(s.gaps.maxDurErr)}`, W)).join('')}`,
);
console.log(
  `${pad('  gap position error, mean / max (ms)', 70)}${sums.map((s) => lpad(`${f1(s.gaps.meanPosErr)} / ${f1(s.gaps.maxPosErr)}`, W)).join('')}`,
);
console.log(
  row(
    'reasoning time error vs the plan, turns / mean / max (ms)',
    sums.map((s) =>
      s.reasoningErrors.length
        ? `${s.reasoningErrors.length} / ${f1(s.reasoningErrors.reduce((a, b) => a + b, 0) / s.reasoningErrors.length)} / ${f1(Math.max(...s.reasoningErrors))}`
        : '—',
    ),
  ),
);
console.log(
  row(
    'label check: runs whose labels match their trace',
    runs.map(
      (r) => `${r.traces.size - new Set(r.labelProblems.map((p) => p.split(':')[0])).size}/${r.corpus.cases.length}`,
    ),
  ),
);
console.log('');
console.log(
  `analysis speed: ${passes} passes over ${allTraces.length} traces (${(audioMsPerPass / 60_000).toFixed(1)} ` +
    `min of audio each) in ${(cpuMs / 1000).toFixed(2)} s CPU → ${speedX.toFixed(0)}× real time`,
);

for (const r of runs) {
  const lines = [...problemLines(r), ...r.labelProblems.map((p) => `LABEL MISMATCH ${p}`)];
  if (lines.length || values.verbose) console.log(`\n${r.name}:`);
  for (const l of lines) console.log(`  ${l}`);
  if (values.verbose) {
    for (const s of r.scores) {
      const a = r.analyses.get(s.case.id);
      const turns =
        a?.turns
          .map((t) => `${t.turn}:${t.verdict}[${t.findings.map((f) => `${f.code}/${f.severity}`).join(' ')}]`)
          .join(' ') ?? '-';
      const run =
        a?.findings
          .filter((f) => f.turn === null)
          .map((f) => `${f.code}/${f.severity}`)
          .join(' ') ?? '';
      console.log(
        `    ${pad(s.case.id, 26)} ${pad(s.case.flavour, 13)} ${pad(s.case.note, 70)} ${turns}${run ? ` run[${run}]` : ''}`,
      );
    }
  }
}

// --- Targets, per corpus.
console.log('\ntargets:');
let ok = true;
runs.forEach((r, i) => {
  const s = sums[i]!;
  const targets: [string, string, boolean][] = [
    ['recall 100 %', `${pct(s.hits, s.faulty)} (${s.hits}/${s.faulty})`, s.hits === s.faulty],
    ['zero false positives', `${s.falsePositives.length} of ${s.healthy} healthy runs`, s.falsePositives.length === 0],
    [
      'gap duration error ≤ 50 ms',
      `max ${f1(s.gaps.maxDurErr)} ms, mean ${f1(s.gaps.meanDurErr)} ms`,
      s.gaps.maxDurErr <= 50,
    ],
    [
      'gap position error ≤ 50 ms',
      `max ${f1(s.gaps.maxPosErr)} ms, mean ${f1(s.gaps.meanPosErr)} ms`,
      !(s.gaps.maxPosErr > 50),
    ],
    ...(s.reasoningErrors.length
      ? [
          [
            'reasoning time within 50 ms',
            `max ${f1(Math.max(...s.reasoningErrors))} ms over ${s.reasoningErrors.length} healthy turns`,
            Math.max(...s.reasoningErrors) <= 50,
          ] as [string, string, boolean],
        ]
      : []),
    [
      'labels match the traces',
      `${r.labelProblems.length} problems, ${r.corpus.cases.length - r.traces.size} runs without a trace`,
      r.labelProblems.length === 0 && r.traces.size === r.corpus.cases.length,
    ],
  ];
  for (const [name, got, pass] of targets) {
    console.log(`  ${pass ? 'PASS' : 'FAIL'}  ${pad(r.name, 10)} ${pad(name, 28)} ${got}`);
    ok &&= pass;
  }
});
console.log(
  `  ${speedX >= 1000 ? 'PASS' : 'FAIL'}  ${pad('all', 10)} ${pad('analysis ≥ 1000× real time', 28)} ${speedX.toFixed(0)}×`,
);
ok &&= speedX >= 1000;
process.exitCode = ok ? 0 : 1;
