import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { loadCatalog } from '../../src/probe/prompts.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { runWebRtcProbe } from '../../src/probe/webrtc/driver.js';
import { analyzeTrace } from '../../src/analysis/index.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: 'k-123456', catalog: loadCatalog().map((p) => ({ ...p, answer: 'Sure. One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten.' })), webrtc: { scenarios: {
    s: { name: 's', description: '', turns: [[{ kind: 'rtp-stall', atMs: 1000, durationMs: 1500 }]] },
    l: { name: 'l', description: '', turns: [[{ kind: 'rtp-loss', atMs: 1000, durationMs: 600 }]] },
    d: { name: 'd', description: '', turns: [[{ kind: 'rtp-dtx', atMs: 1000, durationMs: 1200 }]] },
    j: { name: 'j', description: '', turns: [[{ kind: 'rtp-jitter', atMs: 1000, durationMs: 1000, jitterMs: 400 }]] },
  } } });
  await new Promise((r) => setTimeout(r, 1500));
});
afterAll(async () => sim?.close());

it('smoke', async () => {
  const run = async (scenario: string) => {
    const endpoint = resolveEndpoint({ endpoint: sim.url('openai-ga', { scenario }) });
    const trace = await runWebRtcProbe({ name: 'x', endpoint, auth: { mode: 'api-key', key: 'k-123456' } }, { prompts: [loadCatalog()[1]!], turns: 1, webrtc: { ice: { bindAddress: '127.0.0.1' }, mediaTimeoutMs: 3000 } });
    const a = analyzeTrace(trace);
    console.log(scenario, a.verdict, JSON.stringify([...a.findings, ...a.turns.flatMap((t) => t.findings)].map(f => [f.code, f.severity, f.atMs, f.durationMs, f.message.slice(0, 90)])), trace.entries.filter(e => e.kind === 'probe-stall').map(e => e.kind === 'probe-stall' && e.durationMs));
  };
  await Promise.all(['s', 'l', 'd', 'j', 'rtp-no-media', 'dtls-fail', 'healthy'].map(run));
  expect(1).toBe(1);
});
