/**
 * Acceptance for the WebRTC transport over loopback (real werift peers, real Opus): each GA flavour completes
 * three turns against the simulator, with every HTTP exchange recorded, the call id, the data-channel events,
 * per-packet RTP logs and per-turn WAVs; no secret reaches any artifact.
 */
import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { entriesOfKind, received, type Trace } from '../../src/trace/trace.js';
import { readTrace, writeTrace } from '../../src/trace/traceFile.js';
import { readRtpLog } from '../../src/trace/rtpLog.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { cleanupTempDirs, tempDir } from '../helpers/tempDirs.js';
import { KEY, probeWebRtc, stagesOf, startWebRtcSim } from './helpers.js';

let sim: RunningSimulator;
const traces = new Map<string, Promise<Trace>>();
const udpSockets = (): number => process.getActiveResourcesInfo().filter((r) => r === 'UDPWrap').length;
let udpBefore = 0;
beforeAll(async () => {
  udpBefore = udpSockets();
  sim = await startWebRtcSim();
  traces.set('openai-ga', probeWebRtc(sim, 'openai-ga', undefined, { turns: 3 }));
  traces.set('azure-ga', probeWebRtc(sim, 'azure-ga', undefined, { turns: 3 }));
});
afterAll(async () => {
  await sim?.close();
  await cleanupTempDirs();
});

describe('WebRTC against the simulator', () => {
  it.each(['openai-ga', 'azure-ga'] as const)('%s completes three turns over WebRTC', async (flavour) => {
    const trace = await traces.get(flavour)!;
    expect(trace.meta.target.transport).toBe('webrtc');
    expect(
      entriesOfKind(trace, 'turn-end').map((e) => e.outcome),
      stagesOf(trace),
    ).toEqual(['response-done', 'response-done', 'response-done']);
    expect(entriesOfKind(trace, 'session-end')[0]!.reason).toBe('completed');

    const http = entriesOfKind(trace, 'http-exchange');
    expect(http.map((e) => [e.stage, e.status])).toEqual([
      ['client-secret', 200],
      ['call', 201],
    ]);
    const prefix = flavour === 'azure-ga' ? '/openai/v1/realtime' : '/v1/realtime';
    expect(new URL(http[0]!.url).pathname).toBe(`${prefix}/client_secrets`);
    expect(new URL(http[1]!.url).pathname).toBe(`${prefix}/calls`);
    expect(http[0]!.requestHeaders[flavour === 'azure-ga' ? 'api-key' : 'authorization']).toBe('[redacted]');
    expect(http[1]!.requestHeaders.authorization).toBe('[redacted]');
    expect(http[1]!.headers['x-request-id']).toMatch(/^req_/);
    const call = entriesOfKind(trace, 'webrtc-call')[0]!;
    expect(call.callId).toMatch(/^rtc_/);
    expect(call.location).toBe(`/v1/realtime/calls/${call.callId}`);
    expect(entriesOfKind(trace, 'webrtc-stage').map((e) => [e.stage, e.ok])).toEqual([
      ['gather', true],
      ['ice', true],
      ['dtls', true],
      ['datachannel', true],
      ['media', true],
    ]);

    expect(received(trace, 'session.created')).toHaveLength(1);
    for (const turn of [1, 2, 3]) {
      expect((received(trace, 'response.done', turn)[0]!.event.response as { status: string }).status).toBe(
        'completed',
      );
      const started = received(trace, 'output_audio_buffer.started', turn)[0]!;
      const stopped = received(trace, 'output_audio_buffer.stopped', turn)[0]!;
      expect(stopped.t - started.t).toBeGreaterThan(2_000); // played out in real time …
      expect(stopped.t).toBeGreaterThan(received(trace, 'response.done', turn)[0]!.t); // … and after response.done
      const log = readRtpLog(trace.rtp!.get(turn)!);
      const pcm = trace.outputAudio.get(turn)!;
      expect(log.length).toBeGreaterThan(100);
      expect(pcm.length).toBe(log.reduce((s, r) => s + r.pcmBytes, 0));
      expect(log[0]!.marker).toBe(true);
      expect(log.every((r, i) => i === 0 || ((r.seq - log[i - 1]!.seq + 0x10000) & 0xffff) === 1)).toBe(true);
      expect(log.every((r, i) => i === 0 || r.timestamp - log[i - 1]!.timestamp === 960)).toBe(true);
      expect(rms(pcm)).toBeGreaterThan(0.01); // decoded speech, not silence
    }
    const analysis = analyzeTrace(trace);
    expect(
      analysis.turns.flatMap((t) => t.findings).filter((f) => f.severity === 'major' || f.severity === 'critical'),
    ).toEqual([]);
    expect(analysis.verdict).toBe('pass');
  });

  it('writes rtp logs beside the WAVs, reads them back, and no secret reaches any file', async () => {
    const trace = await traces.get('openai-ga')!;
    const dir = await tempDir('webrtc-trace-');
    const written = await writeTrace(dir, trace, [KEY]);
    expect(written).toEqual(expect.arrayContaining(['events.jsonl', 'turn-1.wav', 'rtp-1.bin', 'rtp-3.bin']));
    const back = await readTrace(dir);
    expect(back.rtp!.get(2)!.equals(trace.rtp!.get(2)!)).toBe(true);
    expect(analyzeTrace(back).verdict).toBe('pass');
    const ek = /"value":"(ek_[^"]+)"/.exec(JSON.stringify(trace.entries))?.[1];
    expect(ek).toBeUndefined();
    for (const name of await readdir(dir)) {
      const text = (await readFile(join(dir, name))).toString('latin1');
      expect(text).not.toContain(KEY);
      expect(text).not.toMatch(/ek_[A-Za-z0-9]{10,}/);
    }
  });
  it('hanging up frees every UDP socket of the call, on the probe and the simulator side', async () => {
    await Promise.all(traces.values());
    const until = Date.now() + 5_000;
    while (udpSockets() > udpBefore && Date.now() < until) await new Promise((r) => setTimeout(r, 50));
    // A long-lived Functions host runs thousands of calls: none may leave a bound socket behind.
    expect(udpSockets()).toBe(udpBefore);
  });
});

function rms(pcm: Buffer): number {
  let sum = 0;
  for (let i = 0; i + 1 < pcm.length; i += 2) sum += (pcm.readInt16LE(i) / 32768) ** 2;
  return Math.sqrt(sum / Math.max(1, pcm.length / 2));
}
