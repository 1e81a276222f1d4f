/**
 * Acceptance for the media-path analysis over loopback: each RTP fault the simulator injects is found with the
 * finding that names its cause, at its position on the as-heard timeline (within 50 ms, plus what the probe's loop
 * lost on a busy machine); a DTLS failure and a call without media get their own findings and an error verdict
 * (exit 2), never a model outage.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace, type Finding, type FindingCode } from '../../src/analysis/index.js';
import { probeStalls } from '../../src/analysis/probeHealth.js';
import { entriesOfKind, type Trace } from '../../src/trace/trace.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { lostInTrace } from '../helpers/loadAllowance.js';
import { FAULT_AT_MS, probeWebRtc, startWebRtcSim } from './helpers.js';

const MEDIA: FindingCode[] = ['media_stall', 'media_loss', 'media_dtx', 'media_jitter'];
let sim: RunningSimulator;
const traces = new Map<string, Promise<Trace>>();
beforeAll(async () => {
  sim = await startWebRtcSim();
  // Three sessions at a time: the positions are judged to 50 ms, and the machine has two shared cores.
  const batch = (names: string[]): Promise<unknown> =>
    Promise.all(
      names.map((s) => {
        const p = probeWebRtc(sim, s === 't1-dtx' ? 'azure-ga' : 'openai-ga', s);
        traces.set(s, p);
        return p;
      }),
    );
  void batch(['t1-stall', 't1-loss', 'dtls-fail']).then(() => batch(['t1-dtx', 't1-jitter', 'rtp-no-media']));
});
afterAll(async () => sim?.close());

const mediaFindings = (t: Trace): Finding[] =>
  analyzeTrace(t)
    .turns.flatMap((x) => x.findings)
    .filter((f) => MEDIA.includes(f.code));

describe('RTP faults are told apart by cause', () => {
  it.each([
    ['t1-stall', 'media_stall', 1500],
    ['t1-loss', 'media_loss', 600],
    ['t1-dtx', 'media_dtx', 1200],
    ['t1-jitter', 'media_jitter', undefined],
  ] as const)('%s gives %s at the injected position', async (scenario, code, durationMs) => {
    const trace = await traces.get(scenario)!;
    const found = mediaFindings(trace);
    // The fault's own cause, at its place; no other cause claims that place. A loaded machine makes jitter of its
    // own (the simulator's sender shares this process's loop): a minor media_jitter anywhere, and — when the probe
    // recorded its loop blocked in this session — any media_jitter, near the fault too. Never another cause.
    const loaded = probeStalls(trace).length > 0;
    const machineJitter = (x: Finding): boolean => x.code === 'media_jitter' && (x.severity === 'minor' || loaded);
    // 50 ms, plus what the probe's loop lost in the session: packets it read late move the as-heard timeline
    const lost = lostInTrace(trace, 0, Infinity);
    const near = found.filter((x) => Math.abs(x.atMs! - FAULT_AT_MS) <= 300 + lost);
    const own = near
      .filter((x) => x.code === code)
      .sort((a, b) => Math.abs(a.atMs! - FAULT_AT_MS) - Math.abs(b.atMs! - FAULT_AT_MS));
    expect(own.length, JSON.stringify(found)).toBeGreaterThan(0);
    const f = own[0]!;
    expect(near.filter((x) => x !== f).every((x) => loaded && x.code === 'media_jitter')).toBe(true);
    expect(Math.abs(f.atMs! - FAULT_AT_MS)).toBeLessThanOrEqual(50 + lost);
    expect(found.filter((x) => x !== f).every(machineJitter)).toBe(true);
    if (durationMs !== undefined)
      expect(Math.abs(f.durationMs! - durationMs)).toBeLessThanOrEqual((code === 'media_stall' ? 150 : 40) + lost);
    const analysis = analyzeTrace(trace);
    // The generic WebSocket-style findings do not double-report what the media detectors explain.
    expect(analysis.turns[0]!.findings.map((x) => x.code)).not.toEqual(expect.arrayContaining(['delivery_stall']));
    expect(analysis.turns[0]!.findings.map((x) => x.code)).not.toEqual(expect.arrayContaining(['playback_underrun']));
    expect(analysis.verdict).not.toBe('error');
  });

  it('a DTLS failure is media_setup_failed naming the stage, with an error verdict', async () => {
    const trace = await traces.get('dtls-fail')!;
    expect(entriesOfKind(trace, 'webrtc-stage').find((e) => !e.ok)?.stage).toBe('dtls');
    const a = analyzeTrace(trace);
    expect(a.findings.map((f) => f.code)).toEqual(['media_setup_failed']);
    expect(a.findings[0]!.message).toMatch(/DTLS/);
    expect(a.verdict).toBe('error');
  });

  it('a call without RTP is no_media with an error verdict, not a missing-audio outage', async () => {
    const trace = await traces.get('rtp-no-media')!;
    expect(entriesOfKind(trace, 'timeout').some((e) => e.scope === 'media')).toBe(true);
    const a = analyzeTrace(trace);
    const codes = a.turns[0]!.findings.map((f) => f.code);
    expect(codes).toContain('no_media');
    expect(codes).not.toContain('no_audio');
    expect(a.turns[0]!.verdict).toBe('error');
    expect(a.verdict).toBe('error');
  });
});
