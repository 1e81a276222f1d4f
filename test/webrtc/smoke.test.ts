import { afterAll, beforeAll, expect, it } from 'vitest';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { loadCatalog } from '../../src/probe/prompts.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { runWebRtcProbe } from '../../src/probe/webrtc/driver.js';
import { readRtpLog } from '../../src/probe/webrtc/rtpLog.js';

let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: 'k-123456', log: (l) => console.log(l) });
});
afterAll(async () => sim?.close());

it('smoke', async () => {
  const endpoint = resolveEndpoint({ endpoint: sim.url('openai-ga') });
  const trace = await runWebRtcProbe({ name: 'x', endpoint, auth: { mode: 'api-key', key: 'k-123456' } }, { prompts: [loadCatalog()[0]!], turns: 1, webrtc: { ice: { bindAddress: '127.0.0.1' } } });
  for (const e of trace.entries) if (e.kind !== 'recv' || !e.type.includes('delta')) console.log(JSON.stringify(e).slice(0, 300));
  const log = readRtpLog(trace.rtp!.get(1)!);
  console.log('packets', log.length, 'pcm', trace.outputAudio.get(1)?.length, log.slice(0, 3));
  expect(log.length).toBeGreaterThan(10);
});
