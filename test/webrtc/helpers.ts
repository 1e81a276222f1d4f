/**
 * Shared set-up of the WebRTC tests: the simulator with short answers (so a turn plays out in seconds over
 * real-time RTP) and WebRTC scenarios that put each RTP fault on turn 1, and a probe over loopback.
 */
import { loadCatalog, type PromptSpec } from '../../src/prompts/catalog.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { webrtcTransportWith } from '../../src/probe/webrtc/factory.js';
import type { WebRtcOptions } from '../../src/probe/webrtc/transport.js';
import { entriesOfKind, type Trace } from '../../src/trace/trace.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import type { WebRtcScenario } from '../../src/sim/webrtc/mediaFaults.js';

export const KEY = 'webrtc-test-key-7c2e';
export const FAULT_AT_MS = 1000;

export const TURN1_FAULTS: Record<string, WebRtcScenario> = {
  't1-stall': {
    name: 't1-stall',
    description: '',
    turns: [[{ kind: 'rtp-stall', atMs: FAULT_AT_MS, durationMs: 1500 }]],
  },
  't1-loss': { name: 't1-loss', description: '', turns: [[{ kind: 'rtp-loss', atMs: FAULT_AT_MS, durationMs: 600 }]] },
  't1-dtx': { name: 't1-dtx', description: '', turns: [[{ kind: 'rtp-dtx', atMs: FAULT_AT_MS, durationMs: 1200 }]] },
  't1-jitter': {
    name: 't1-jitter',
    description: '',
    turns: [[{ kind: 'rtp-jitter', atMs: FAULT_AT_MS, durationMs: 1000, jitterMs: 400 }]],
  },
};

/** The catalogue with short answers that still carry each prompt's expected words. */
export function shortCatalog(): PromptSpec[] {
  return loadCatalog().map((p) => ({
    ...p,
    answer: `Sure. One, two, three, four, five, six, seven. ${p.expect.join(', ')}.`,
  }));
}

export async function startWebRtcSim(): Promise<RunningSimulator> {
  const sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    catalog: shortCatalog(),
    webrtc: { scenarios: TURN1_FAULTS },
  });
  await new Promise((r) => setTimeout(r, 500)); // let the simulator render its answers before the first turn
  return sim;
}

/** One probe session over WebRTC through the shared scripted session (the `webrtc` transport). */
export function probeWebRtc(
  sim: RunningSimulator,
  flavour: 'openai-ga' | 'azure-ga',
  scenario: string | undefined,
  o: Partial<ProbeOptions> = {},
  webrtc: WebRtcOptions = {},
): Promise<Trace> {
  const endpoint = resolveEndpoint({ endpoint: sim.url(flavour, { scenario }) });
  return runProbe(
    { name: `${flavour}-webrtc-${scenario ?? 'healthy'}`, endpoint, auth: { mode: 'api-key', key: KEY } },
    {
      prompts: shortCatalog(),
      turns: 1,
      turnTimeoutMs: 20_000,
      settleMs: 200,
      // these tests judge the media, not how fast the handshake is: werift's ICE and DTLS run in this process's
      // JavaScript, and beside two busy loops they can take longer than production's 10 s
      connectTimeoutMs: 60_000,
      ...o,
      transport: webrtcTransportWith({ mediaTimeoutMs: 3_000, ...webrtc }),
    },
  );
}

/** The trace's WebRTC stages, one line each: what a failed assertion on a session that never got going shows. */
export function stagesOf(trace: Trace): string {
  return entriesOfKind(trace, 'webrtc-stage')
    .map((e) => JSON.stringify(e))
    .join('\n');
}
