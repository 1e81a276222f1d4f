/**
 * bench:fanout — queue mode end to end on this machine: 1,000 simulator targets on 200 simulated deployments, each
 * deployment with a session budget, 1-turn probes; the built app's planner (run once by the host stand-in, as the
 * timer would) and N prober processes (N = 1, 2, 4) draining the queue, against Azurite's queue and blob services
 * and the simulator in a process of its own. For each N it prints the due probes against what became of them
 * (published, or not probed with the reason from the index: nothing may be silently lost), the busiest 60 s any
 * deployment saw against its budget (from the budget counters, and from the sessions' own start times), and per
 * prober process its peak RSS, its recorder timing error (p99 of receive − simulator send for audio deltas) and
 * its throughput. Exit code 1 when a probe is lost or a budget was exceeded.
 *
 * Time is compressed, and the output says so: one planner window (now → the end of the next minute, 60–120 s) of a
 * 5-minute schedule, so about a quarter of the targets are due per N; the prompt is the first second of
 * count-to-twenty and the simulator answers a short sentence at 6× real time.
 *
 * Usage: npm run bench:fanout [-- --targets 1000 --deployments 200 --per-minute 2 --every 5m --processes 1,2,4]
 */
import { fork, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';
import { BlobServiceClient, type ContainerClient } from '@azure/storage-blob';
import { encodeWav } from '../src/audio/wav.js';
import { readPromptWav } from '../src/prompts/catalog.js';
import { busiestMinute, type QuotaCounter } from '../src/runner/quotaCounter.js';
import type { RunSummary } from '../src/runSummary.js';
import type { Trace } from '../src/trace/trace.js';
import { parseEvents } from '../src/trace/traceFile.js';
import { openStore } from '../src/store/openStore.js';
import { startAzurite, type Azurite } from '../test/helpers/azurite.js';
import type { HostReport } from './functionsHost.js';
import { lagStats } from './lag.js';
import { startSimProcess } from './simProcess.js';

const { values } = parseArgs({
  options: {
    targets: { type: 'string', default: '1000' },
    deployments: { type: 'string', default: '200' },
    'per-minute': { type: 'string', default: '2' },
    every: { type: 'string', default: '5m' },
    processes: { type: 'string', default: '1,2,4' },
    'late-ms': { type: 'string', default: '30000' },
  },
});
const TARGETS = Number(values.targets);
const DEPLOYMENTS = Number(values.deployments);
const PER_MINUTE = Number(values['per-minute']);
const HOST = join(import.meta.dirname, 'functionsHost.js');
const ROOT = join(import.meta.dirname, '../..');
const KEY = 'fanout-bench-key';
const LOGS = join(ROOT, 'test-artifacts/bench-fanout');

const work = await mkdtemp(join(tmpdir(), 'rc-bench-fanout-'));
const prompt = join(work, 'one-second.wav');
await writeFile(prompt, encodeWav(readPromptWav(join(ROOT, 'prompts/count-to-twenty.wav')).subarray(0, 48_000)));

console.log(
  `bench:fanout — ${TARGETS} simulator targets on ${DEPLOYMENTS} deployments (budget ${PER_MINUTE} session(s) a minute each), ` +
    `every ${values.every}, 1-turn probes; node ${process.version}, load average ${loadavg()[0]!.toFixed(2)}`,
);
console.log(
  '  time compressed: one planner window (now → the end of the next minute) of the schedule per N; a 1 s prompt, ' +
    'answers at 6× real time; host.json bounds each prober process to 8 + 4 messages',
);
let failed = false;
for (const n of values.processes!.split(',').map(Number)) {
  // a fresh Azurite for each N: its in-memory store holds 256 MB, and one N's runs (audio, event logs, reports) take
  // much of it — the third N on a shared one met "Size limit … will be exceeded" and spooled its runs
  const azurite = await startAzurite({ queue: true });
  try {
    failed = (await runFanout(n, azurite)) || failed;
  } finally {
    await azurite.stop();
  }
}
await rm(work, { recursive: true, force: true });
process.exit(failed ? 1 : 0);

interface Proc {
  child: ChildProcess;
  reports: (HostReport & { at: number })[];
  exited: Promise<void>;
}

function startHost(args: string[], env: Record<string, string>): Proc {
  const child = fork(HOST, args, { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const reports: Proc['reports'] = [];
  child.on('message', (r: HostReport) => reports.push({ ...r, at: Date.now() }));
  return { child, reports, exited: new Promise((r) => child.once('exit', () => r())) };
}

async function stopHost(p: Proc): Promise<void> {
  if (p.child.exitCode === null && p.child.connected) p.child.send({ stop: true });
  const kill = setTimeout(() => p.child.kill('SIGKILL'), 60_000);
  await p.exited;
  clearTimeout(kill);
}

/** One N: returns true when a probe was lost or a budget exceeded. */
async function runFanout(n: number, azurite: Azurite): Promise<boolean> {
  const blobs = BlobServiceClient.fromConnectionString(azurite.connectionString);
  const sim = await startSimProcess(KEY, {
    scenarios: {
      short: {
        name: 'short',
        description: 'a short answer, 6× real time',
        delivery: { speed: 6, burstMs: 500 },
        answer: 'One, two, three.',
      },
    },
  });
  const region = `fanout-n${n}`;
  const container = blobs.getContainerClient(region);
  await container.createIfNotExists();
  const targets = Array.from({ length: TARGETS }, (_, i) => ({
    name: `fo-${String(i).padStart(4, '0')}`,
    endpoint: sim.url('openai-ga', 'short', `gpt-realtime-dep-${i % DEPLOYMENTS}`),
    auth: 'api-key',
    secretSetting: 'FANOUT_KEY',
    every: values.every,
    maxSessionsPerMinute: PER_MINUTE,
  }));
  const deploymentOf = new Map(targets.map((t, i) => [t.name, `gpt-realtime-dep-${i % DEPLOYMENTS}`]));
  const config = JSON.stringify({ targets });
  await container.getBlockBlobClient('config/fanout-targets.json').upload(config, Buffer.byteLength(config));
  const env: Record<string, string> = {
    FANOUT_KEY: KEY,
    CANARY_MODE: 'queue',
    CANARY_REGION: region,
    CANARY_QUEUE: azurite.connectionString,
    CANARY_QUEUE_NAME: region,
    CANARY_STORAGE_CONNECTION_STRING: azurite.connectionString,
    CANARY_CONTAINER: region,
    CANARY_CONFIG_BLOB: 'config/fanout-targets.json',
    CANARY_TURNS: '1',
    CANARY_PROMPTS: prompt,
    CANARY_TURN_TIMEOUT_MS: '15000',
    CANARY_CONFIRM_RETRIES: '0',
    CANARY_PROBE_LATE_MS: values['late-ms']!,
    CANARY_SPOOL_DIR: join(work, `spool-${n}`),
  };
  const started = Date.now();
  const planner = startHost(['--timer', 'canaryPlanner'], env);
  const probers = Array.from({ length: n }, () => startHost(['--queue', '--lease-seconds', '30'], env));
  await planner.exited;
  const planned = planner.reports.find((r) => r.event === 'invocation');
  if (!planned || planned.event !== 'invocation' || !planned.ok) {
    console.log(`N=${n}: the planner failed: ${planned?.event === 'invocation' ? planned.error : 'no invocation'}`);
    await Promise.all(probers.map(stopHost));
    await sim.stop();
    return true;
  }
  const plan = planned.result as {
    due: number;
    enqueued: number;
    toMs: number;
    fromMs: number;
    skipped: Record<string, number>;
  };
  // every due probe ends as one index line: wait for them (bounded: the window, the lateness, the last sessions)
  const until = plan.toMs + Number(values['late-ms']) + 60_000;
  const unique = (l: RunSummary[]): number => new Set(l.map((s) => `${s.runId}/${s.target}`)).size;
  while (Date.now() < until && unique(await indexLines(container, region)) < plan.due)
    await new Promise((r) => setTimeout(r, 2_000));
  await Promise.all(probers.map(stopHost)); // each finishes what it runs first
  // writes a process spooled while the store was too slow go up with its next message; these processes have none
  const spool = openStore(
    { kind: 'connection-string', connectionString: azurite.connectionString, container: region },
    env.CANARY_SPOOL_DIR!,
  );
  const before = unique(await indexLines(container, region));
  const flushed = await spool.flush();
  const lines = await indexLines(container, region);
  const wallS = (Date.now() - started) / 1000;
  const sent = await sim.stop();

  const published = lines.filter((s) => !s.notProbed);
  const reasons = new Map<string, number>();
  for (const s of lines.filter((x) => x.notProbed)) {
    // the kind, and what the headline adds to it ("queue: stale", "queue: not enqueued", "quota")
    const detail = (s.headline ?? '').replace(/^not probed: /, '').replace(/ \(.*$/, '');
    const reason = detail === s.notProbed ? detail : `${s.notProbed}: ${detail}`;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
  }
  const duplicates = lines.length - unique(lines);
  const lost = plan.due - unique(lines);
  console.log(
    `\nN=${n} prober process(es): window ${new Date(plan.fromMs).toISOString().slice(11, 19)}–` +
      `${new Date(plan.toMs).toISOString().slice(11, 19)} (${Math.round((plan.toMs - plan.fromMs) / 1000)} s), ` +
      `wall ${wallS.toFixed(0)} s, load average ${loadavg()[0]!.toFixed(2)}`,
  );
  console.log(
    `  due ${plan.due} (enqueued ${plan.enqueued}) = probed ${published.length} + not probed ${lines.length - published.length}` +
      `${reasons.size ? ` (${[...reasons].map(([r, c]) => `${c} ${r}`).join(', ')})` : ''}` +
      ` + lost ${lost}` +
      (unique(lines) > before
        ? `; ${unique(lines) - before} of these lines were spooled (the store too slow) and uploaded after the probers stopped (${flushed.uploaded} write(s))`
        : '') +
      (duplicates ? `; ${duplicates} line(s) written twice by a retried message (readers de-duplicate)` : '') +
      `${Object.keys(plan.skipped).length ? `; planner skipped: ${JSON.stringify(plan.skipped)}` : ''}`,
  );

  // the busiest 60 s of any deployment: the budget's own counters (claims), and the sessions' start times
  let busiestClaims = 0;
  for await (const b of container.listBlobsFlat({ prefix: 'quota/deployment/' })) {
    const c = JSON.parse((await container.getBlobClient(b.name).downloadToBuffer()).toString()) as QuotaCounter;
    for (const at of c.recent) busiestClaims = Math.max(busiestClaims, busiestMinute(c.recent, at));
  }
  const traces = new Map<string, Trace>();
  for (const s of published) {
    const gz = await container
      .getBlobClient(s.reportPath.replace(/report\.json$/, 'events.jsonl.gz'))
      .downloadToBuffer()
      .catch(() => undefined);
    if (gz)
      traces.set(`${s.runId}/${s.target}`, {
        ...parseEvents(gunzipSync(gz).toString('utf8')),
        outputAudio: new Map(),
        promptAudio: new Map(),
      });
  }
  const starts = new Map<string, number[]>();
  for (const [key, t] of traces) {
    const dep = deploymentOf.get(key.split('/')[1]!)!;
    starts.set(dep, [...(starts.get(dep) ?? []), t.meta.startEpochMs]);
  }
  let busiestStarts = 0;
  for (const list of starts.values())
    for (const at of list) busiestStarts = Math.max(busiestStarts, busiestMinute(list, at));
  console.log(
    `  busiest 60 s of any deployment: ${busiestClaims} session(s) claimed, ${busiestStarts} started (budget ${PER_MINUTE})`,
  );

  probers.forEach((p, i) => {
    const inv = p.reports.filter((r) => r.event === 'invocation');
    const mine = inv.flatMap((r) => {
      const s = (r.result as { summary?: RunSummary } | undefined)?.summary;
      const t = s ? traces.get(`${s.runId}/${s.target}`) : undefined;
      return t ? [t] : [];
    });
    const lag = lagStats(mine, sent);
    const first = Math.min(...inv.map((r) => r.at - (r.event === 'invocation' ? r.ms : 0)));
    const last = Math.max(...inv.map((r) => r.at));
    const perMin = inv.length && last > first ? (inv.length / (last - first)) * 60_000 : 0;
    const stopped = p.reports.find((r) => r.event === 'stopped');
    const rss = stopped?.event === 'stopped' ? `${(stopped.maxRssBytes / 1024 / 1024).toFixed(0)} MB` : 'unknown';
    const errors = inv.filter((r) => r.event === 'invocation' && !r.ok).length;
    console.log(
      `  prober ${i + 1}: ${inv.length} message(s)${errors ? ` (${errors} failed, retried)` : ''}, ${mine.length} probed, ` +
        `${perMin.toFixed(0)} a minute while busy; peak RSS ${rss}; timing error p99 ${lag.p99.toFixed(1)} ms ` +
        `(p50 ${lag.p50.toFixed(1)}, max ${lag.max.toFixed(0)}, ${lag.count} audio deltas)`,
    );
  });
  // what the processes warned about, without names and numbers: a retried message, a budget counter unavailable…
  const said = new Map<string, number>();
  for (const r of probers.flatMap((p) => p.reports))
    if (r.event === 'log' && (r.level === 'warning' || r.level === 'error')) {
      const key = `${r.level}: ${r.text
        .replace(/fo-\d+/g, '<target>')
        .replace(/\d+/g, 'N')
        .slice(0, 140)}`;
      said.set(key, (said.get(key) ?? 0) + 1);
    }
  for (const r of probers.flatMap((p) => p.reports))
    if (r.event === 'invocation' && !r.ok)
      said.set(`failed invocation: ${r.error}`, (said.get(`failed invocation: ${r.error}`) ?? 0) + 1);
  for (const [text, count] of [...said].sort((a, b) => b[1] - a[1]).slice(0, 6)) console.log(`  ${count} × ${text}`);
  // every line in full, in the order it was said, for the cause behind a count above
  const logFile = join(LOGS, `n${n}.log`);
  await mkdir(LOGS, { recursive: true });
  await writeFile(
    logFile,
    [planner, ...probers]
      .flatMap((p, i) => p.reports.map((r) => ({ r, who: i === 0 ? 'planner' : `prober ${i}` })))
      .sort((a, b) => a.r.at - b.r.at)
      .map(
        ({ r, who }) =>
          `${new Date(r.at).toISOString()} ${who} ${r.event === 'log' ? `${r.level}: ${r.text}` : JSON.stringify(r)}`,
      )
      .join('\n') + '\n',
  );
  console.log(`  every line the processes said: ${logFile}`);
  return lost !== 0 || busiestClaims > PER_MINUTE || busiestStarts > PER_MINUTE;
}

async function indexLines(container: ContainerClient, region: string): Promise<RunSummary[]> {
  const out: RunSummary[] = [];
  for await (const b of container.listBlobsFlat({ prefix: 'index/' })) {
    const text = (await container.getBlobClient(b.name).downloadToBuffer()).toString('utf8');
    for (const line of text.split('\n'))
      if (line.trim()) {
        const s = JSON.parse(line) as RunSummary;
        if (s.region === region) out.push(s);
      }
  }
  return out;
}
