/**
 * WebRTC turn-taking like a real client (issue 20 §1), over loopback with real werift peers: the answers are longer
 * than the next prompt, so an answer is still playing out when its `response.done` has long come. The next prompt
 * waits for the playout, so a healthy 3-turn probe passes for every GA flavour (first audio measured from the
 * moment the service could answer), and an RTP stall on turn 2 is still found on turn 2.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { BYTES_PER_MS } from '../../src/audio/wav.js';
import { loadCatalog, type PromptSpec } from '../../src/prompts/catalog.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { entriesOfKind, received, type Trace } from '../../src/trace/trace.js';
import { KEY, probeWebRtc, stagesOf } from './helpers.js';

/** Prompts of 0.8–1.7 s (told apart by length) whose answers take ~9 s to play. */
function longAnswers(): PromptSpec[] {
  return loadCatalog().map((p, i) => ({
    ...p,
    pcm: p.pcm.subarray(0, (800 + 300 * i) * BYTES_PER_MS),
    answer: `Sure. One, two, three, four, five, six, seven, eight, nine, ten, eleven, twelve. ${p.expect.join(', ')}.`,
  }));
}

let sim: RunningSimulator;
const traces = new Map<string, Promise<Trace>>();
beforeAll(async () => {
  const catalog = longAnswers();
  sim = await startSimulator({ port: 0, apiKey: KEY, catalog });
  await new Promise((r) => setTimeout(r, 500)); // let the simulator render its answers
  const o = { turns: 3, prompts: catalog, turnTimeoutMs: 30_000 };
  const healthy = ['openai-ga', 'azure-ga'] as const;
  for (const flavour of healthy) traces.set(flavour, probeWebRtc(sim, flavour, undefined, o));
  // two calls at a time: the machine has two shared cores, and media timing is judged to the packet
  const stall = Promise.allSettled(healthy.map((f) => traces.get(f)!));
  traces.set(
    'rtp-stall',
    stall.then(() => probeWebRtc(sim, 'azure-ga', 'rtp-stall', o)),
  );
});
afterAll(async () => sim?.close());

const failing = (trace: Trace, turn: number) =>
  analyzeTrace(trace).turns[turn - 1]!.findings.filter((f) => f.severity === 'major' || f.severity === 'critical');

describe('WebRTC turn-taking', () => {
  it.each(['openai-ga', 'azure-ga'] as const)('%s: a healthy 3-turn probe passes', async (flavour) => {
    const trace = await traces.get(flavour)!;
    expect(
      entriesOfKind(trace, 'turn-end').map((e) => e.outcome),
      stagesOf(trace),
    ).toEqual(['response-done', 'response-done', 'response-done']);
    for (const turn of [1, 2]) {
      const done = received(trace, 'response.done', turn)[0]!;
      const stopped = received(trace, 'output_audio_buffer.stopped', turn)[0]!;
      const next = entriesOfKind(trace, 'turn-start')[turn]!;
      expect(stopped.t - done.t).toBeGreaterThan(2_000); // the answer played on long after response.done …
      expect(next.t).toBeGreaterThanOrEqual(stopped.t); // … and the next prompt waited for it
    }
    // each create waited behind its prompt's RTP: the turn's clock starts when it left
    expect(entriesOfKind(trace, 'turn-clock').map((e) => [e.turn, e.cause])).toEqual([
      [1, 'sent'],
      [2, 'sent'],
      [3, 'sent'],
    ]);
    const analysis = analyzeTrace(trace);
    expect(
      analysis.turns.flatMap((t) => t.findings).filter((f) => f.severity !== 'info' && f.severity !== 'minor'),
    ).toEqual([]);
    expect(analysis.verdict).toBe('pass');
    for (const t of analysis.turns) expect(t.metrics!.timing.firstAudioMs).toBeLessThan(3_000);
  });

  it('an RTP stall on turn 2 is found on turn 2, and only there', async () => {
    const trace = await traces.get('rtp-stall')!;
    const stalls = analyzeTrace(trace)
      .turns.flatMap((t) => t.findings)
      .filter((f) => f.code === 'media_stall');
    // where in the answer, to the packet, is test/webrtc/faults.test.ts's to judge; here: which turn
    expect(new Set(stalls.map((f) => f.turn))).toEqual(new Set([2]));
    expect(failing(trace, 1)).toEqual([]);
    expect(failing(trace, 3)).toEqual([]);
  });
});
