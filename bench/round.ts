/**
 * bench:round — one scheduled round over 50 simulator targets × 3 turns in one process (the simulator on its
 * own thread, as a remote service). Prints wall time, peak memory and the recorder's timing error
 * (p99 of receive − simulator send for audio deltas). Targets: round ≤ 5 min, p99 ≤ 20 ms, memory ≤ 512 MB.
 *
 * Usage: npm run bench:round [-- --targets N --concurrency N]
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { loadSettings } from '../src/config/settings.js';
import { runRound } from '../src/runner/round.js';
import { createNotifier, createStore } from '../src/runner/roundDeps.js';
import { parseEvents } from '../src/probe/traceFile.js';
import type { Trace } from '../src/probe/trace.js';
import { lagStats } from './lag.js';
import { startSimThread } from './simWorker.js';

const { values } = parseArgs({ options: { targets: { type: 'string', default: '50' }, concurrency: { type: 'string', default: '16' } } });
const count = Number(values.targets);
const flavours = ['azure-ga', 'azure-preview', 'openai-ga'] as const;
const faults = ['silent-gap', 'truncated', 'stall'];

const sim = await startSimThread('bench-key');
const out = await mkdtemp(join(tmpdir(), 'rc-bench-round-'));
const targets = Array.from({ length: count }, (_, i) => ({
  name: `target-${String(i).padStart(2, '0')}`,
  endpoint: sim.url(flavours[i % flavours.length]!, i % 10 === 9 ? faults[(i / 10) % faults.length | 0] : undefined),
  flavour: flavours[i % flavours.length],
  auth: 'api-key',
  secretSetting: 'BENCH_KEY',
  group: `g${i % 5}`,
  baseline: i < 5,
}));
const env = {
  BENCH_KEY: 'bench-key', CANARY_REGION: 'bench', CANARY_OUTPUT_DIR: out, CANARY_SPOOL_DIR: join(out, '.spool'),
  CANARY_TARGETS: JSON.stringify(targets), CANARY_TURNS: '3', CANARY_CONCURRENCY: values.concurrency,
};
const settings = loadSettings(env);
const quiet = { info: () => undefined, warn: (m: string) => console.warn(m), error: (m: string) => console.error(m) };
const store = createStore(settings, quiet);

const loop = monitorEventLoopDelay({ resolution: 5 });
loop.enable();
let peakRss = 0;
const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 100);
console.log(`bench:round — ${count} simulator targets × 3 turns, concurrency ${values.concurrency}, node ${process.version}`);
const started = performance.now();
const result = await runRound(settings, settings.targets!, { store, env, log: quiet, notify: createNotifier(settings, store, quiet), onProgress: (l) => process.stdout.write(`\r  ${l.padEnd(60)}`) });
const wallS = (performance.now() - started) / 1000;
clearInterval(sampler);
loop.disable();
peakRss = Math.max(peakRss, process.resourceUsage().maxRSS * 1024);
const sent = await sim.stop();

const traces: Trace[] = [];
for (const o of result.outcomes) {
  const gz = await store.get(o.summary.reportPath.replace('report.json', 'events.jsonl.gz'));
  if (gz) traces.push({ ...parseEvents(gunzipSync(gz).toString('utf8')), outputAudio: new Map(), promptAudio: new Map() });
}
const lag = lagStats(traces, sent);
const verdicts = result.outcomes.reduce<Record<string, number>>((acc, o) => ({ ...acc, [o.summary.verdict]: (acc[o.summary.verdict] ?? 0) + 1 }), {});
console.log(`\nround wall time:   ${wallS.toFixed(1)} s   (target ≤ 300 s)`);
console.log(`peak memory (RSS): ${(peakRss / 1024 / 1024).toFixed(0)} MB   (target ≤ 512 MB)`);
console.log(`timing error:      p50 ${lag.p50.toFixed(2)} ms   p99 ${lag.p99.toFixed(2)} ms   max ${lag.max.toFixed(2)} ms over ${lag.count} audio deltas   (target p99 ≤ 20 ms)`);
console.log(`event-loop delay:  p99 ${(loop.percentile(99) / 1e6).toFixed(1)} ms   max ${(loop.max / 1e6).toFixed(1)} ms (probe process)`);
console.log(`verdicts:          ${JSON.stringify(verdicts)} (every 10th target has an injected fault); not probed: ${result.notProbed.length}`);
await rm(out, { recursive: true, force: true });
process.exitCode = wallS <= 300 && peakRss <= 512 * 1024 * 1024 && lag.p99 <= 20 ? 0 : 1;
