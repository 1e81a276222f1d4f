/**
 * bench:probe — 20 concurrent probe sessions against the simulator (in its own process). Prints p50 / p99 / max of
 * (probe receive time − simulator send time) for audio deltas: the error the recorder itself adds to every
 * gap it measures. Target: p99 ≤ 10 ms. Also the prompt pacing error of the same sessions (./pacing.ts): how late each
 * audio chunk left against the turn's audio clock. Targets: p50 ≤ 10 ms, p99 ≤ 30 ms, never early.
 *
 * Usage: npm run bench:probe [-- --sessions N --turns N]
 */
import { parseArgs } from 'node:util';
import { runProbe } from '../src/probe/session.js';
import { loadCatalog } from '../src/prompts/catalog.js';
import { resolveEndpoint, usableFlavours } from '../src/realtime/flavours.js';
import { lagStats, type LagStats } from './lag.js';
import { PACING_TARGET, pacingHolds, pacingStats } from './pacing.js';
import { startSimProcess } from './simProcess.js';

const { values } = parseArgs({
  options: { sessions: { type: 'string', default: '20' }, turns: { type: 'string', default: '2' } },
});
const sessions = Number(values.sessions);
const turns = Number(values.turns);

const sim = await startSimProcess('bench-key');
const prompts = loadCatalog();
const flavours = usableFlavours();
console.log(
  `bench:probe — ${sessions} concurrent sessions × ${turns} turns against the simulator (${flavours.length} flavours), node ${process.version}`,
);
const started = performance.now();
const traces = await Promise.all(
  Array.from({ length: sessions }, (_, i) => {
    const flavour = flavours[i % flavours.length]!;
    const endpoint = resolveEndpoint({ endpoint: sim.url(flavour) });
    return runProbe(
      { name: `s${i}`, endpoint, auth: { mode: 'api-key', key: 'bench-key' } },
      { prompts: [prompts[i % prompts.length]!], turns, settleMs: 50 },
    );
  }),
);
const wallS = (performance.now() - started) / 1000;
const sent = await sim.stop();

const stats: LagStats = lagStats(traces, sent);
console.log(
  `sessions completed: ${traces.filter((t) => t.entries.some((e) => e.kind === 'session-end' && e.reason === 'completed')).length}/${sessions} ` +
    `in ${wallS.toFixed(1)} s`,
);
console.log(`audio deltas matched: ${stats.count}`);
console.log(
  `receive − send lag:  p50 ${stats.p50.toFixed(2)} ms   p99 ${stats.p99.toFixed(2)} ms   max ${stats.max.toFixed(2)} ms   (target p99 ≤ 10 ms)`,
);
const pacing = pacingStats(traces);
console.log(
  `prompt pacing (${pacing.count} chunks, lateness vs the audio clock):  min ${pacing.min.toFixed(2)} ms   ` +
    `p50 ${pacing.p50.toFixed(2)} ms   p99 ${pacing.p99.toFixed(2)} ms   max ${pacing.max.toFixed(2)} ms   ` +
    `(target p50 ≤ ${PACING_TARGET.p50} ms, p99 ≤ ${PACING_TARGET.p99} ms, never early)`,
);
process.exitCode = stats.p99 <= 10 && pacingHolds(pacing) ? 0 : 1;
