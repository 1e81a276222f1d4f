/**
 * bench:webrtc — 8 concurrent WebRTC sessions (real werift peers, real Opus) against the simulator in its own
 * process, so the probe's CPU and memory are the probe's alone. Prints setup time (session start → data channel
 * open) p50 / max, RTP arrival error against the simulator's send time p50 / p99 / max (target p99 ≤ 5 ms), the
 * probe's CPU per session and its peak RSS.
 *
 * Usage: npm run bench:webrtc [-- --sessions N --turns N]
 */
import { fork } from 'node:child_process';
import { cpus, loadavg } from 'node:os';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { loadCatalog } from '../src/prompts/catalog.js';
import { runProbe } from '../src/probe/session.js';
import { entriesOfKind, type Trace } from '../src/trace/trace.js';
import { readRtpLog } from '../src/trace/rtpLog.js';
import { flavourUrl, resolveEndpoint, webrtcFlavours } from '../src/realtime/flavours.js';
import { startSimulator } from '../src/sim/index.js';

const KEY = 'bench-webrtc-key';
const TARGET_P99_MS = 5;
type SimMessage = { port: number } | { sent: [string, number][] };

if (process.argv[2] === '--sim-process') {
  const sent: [string, number][] = [];
  const sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    webrtc: { onRtpSend: ({ callId, seq, epochMs }) => void sent.push([`${callId}/${seq}`, epochMs]) },
  });
  process.send?.({ port: sim.port });
  process.on('message', async () => {
    await sim.close();
    process.send?.({ sent }, () => process.exit(0));
  });
} else {
  await main();
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sessions: { type: 'string', default: '8' }, turns: { type: 'string', default: '1' } },
  });
  const sessions = Number(values.sessions);
  const turns = Number(values.turns);
  const child = fork(fileURLToPath(import.meta.url), ['--sim-process'], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const next = (): Promise<SimMessage> =>
    new Promise((resolve) => child.once('message', (m) => resolve(m as SimMessage)));
  const { port } = (await next()) as { port: number };
  await new Promise((r) => setTimeout(r, 2_000)); // the simulator renders its answers first
  console.log(
    `bench:webrtc — ${sessions} concurrent WebRTC sessions × ${turns} turn(s), simulator in its own process, node ${process.version}`,
  );
  const [load1] = loadavg();
  console.log(
    `machine: ${cpus().length} cores, load average ${load1!.toFixed(2)} at the start (a busy machine inflates the arrival tail)`,
  );
  const prompts = loadCatalog();
  const flavours = webrtcFlavours();
  const cpu0 = process.cpuUsage();
  const t0 = performance.now();
  const traces = await Promise.all(
    Array.from({ length: sessions }, (_, i) => {
      const flavour = flavours[i % flavours.length]!;
      const endpoint = resolveEndpoint({
        endpoint: flavourUrl(flavour, `ws://127.0.0.1:${port}`, 'gpt-realtime').toString(),
      });
      return runProbe(
        { name: `s${i}`, endpoint, auth: { mode: 'api-key', key: KEY } },
        { prompts: [prompts[i % prompts.length]!], turns, transport: 'webrtc' },
      );
    }),
  );
  const wallMs = performance.now() - t0;
  const cpu = process.cpuUsage(cpu0);
  const maxRssMiB = process.resourceUsage().maxRSS / 1024;
  child.send('stop');
  const { sent } = (await next()) as { sent: [string, number][] };
  const sendAt = new Map(sent);

  const completed = traces.filter((t) => entriesOfKind(t, 'session-end')[0]?.reason === 'completed').length;
  const setup = traces.flatMap((t) =>
    entriesOfKind(t, 'webrtc-stage')
      .filter((e) => e.stage === 'datachannel' && e.ok)
      .map((e) => e.t),
  );
  const errors = traces.flatMap(arrivalErrors(sendAt));
  const packets = traces.reduce(
    (s, t) => s + [...(t.rtp ?? new Map<number, Buffer>()).values()].reduce((n, b) => n + readRtpLog(b).length, 0),
    0,
  );
  const cpuPct = ((cpu.user + cpu.system) / 1000 / wallMs) * 100;
  console.log(
    `sessions completed: ${completed}/${sessions} in ${(wallMs / 1000).toFixed(1)} s; RTP packets received: ${packets}, matched to a send: ${errors.length}`,
  );
  console.log(`setup (start → data channel open): p50 ${fmt(pct(setup, 50))} ms   max ${fmt(Math.max(...setup))} ms`);
  console.log(
    `RTP arrival − send:  p50 ${fmt(pct(errors, 50))} ms   p99 ${fmt(pct(errors, 99))} ms   ` +
      `max ${fmt(Math.max(...errors))} ms   (target p99 ≤ ${TARGET_P99_MS} ms)`,
  );
  console.log(
    `probe CPU: ${cpuPct.toFixed(1)} % of one core in all, ${(cpuPct / sessions).toFixed(1)} % per session; peak RSS ${maxRssMiB.toFixed(0)} MiB`,
  );
  process.exitCode = completed === sessions && pct(errors, 99) <= TARGET_P99_MS ? 0 : 1;
}

/** Arrival epoch − send epoch for every packet of a trace the simulator logged (keyed by call id and sequence). */
function arrivalErrors(sendAt: Map<string, number>): (t: Trace) => number[] {
  return (t) => {
    const callId = entriesOfKind(t, 'webrtc-call')[0]?.callId;
    if (!callId) return [];
    return [...(t.rtp ?? new Map<number, Buffer>()).values()].flatMap((b) =>
      readRtpLog(b).flatMap((r) => {
        const sent = sendAt.get(`${callId}/${r.seq}`);
        return sent === undefined ? [] : [t.meta.startEpochMs + r.t - sent];
      }),
    );
  };
}

function pct(xs: number[], p: number): number {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.max(0, Math.ceil((p / 100) * s.length) - 1)]!;
}

function fmt(x: number): string {
  return x.toFixed(2);
}
