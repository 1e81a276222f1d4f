/**
 * Azure's `webrtcfilter=on` and the sideband WebSocket (`?call_id=`), over loopback against the simulator (real
 * werift peers, real Opus): with the filter the data channel carries only the filter's ~11 event types, so the
 * probe completes its turns only because the sideband brings response.created / response.done; without the
 * filter both paths carry the same events and the trace keeps each once.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseTargets } from '../../src/config/targets.js';
import { entriesOfKind, received, type Trace } from '../../src/trace/trace.js';
import type { RunningSimulator } from '../../src/sim/index.js';
import { KEY, probeWebRtc, startWebRtcSim } from './helpers.js';

let sim: RunningSimulator;
let filtered: Promise<Trace>;
let both: Promise<Trace>;
let unfilteredNoSideband: Promise<Trace>;
beforeAll(async () => {
  sim = await startWebRtcSim();
  filtered = probeWebRtc(sim, 'azure-ga', undefined, { turns: 2 }, { filter: true });
  both = probeWebRtc(sim, 'openai-ga', undefined, { turns: 1 }, { sideband: true });
  unfilteredNoSideband = probeWebRtc(sim, 'azure-ga', undefined, { turns: 1 });
});
afterAll(async () => {
  await sim?.close();
});

const eventIds = (t: Trace): string[] => entriesOfKind(t, 'recv').map((e) => String(e.event.event_id));

describe('WebRTC sideband', () => {
  it('with webrtcfilter=on, the sideband brings the events the data channel does not, and both turns complete', async () => {
    const trace = await filtered;
    const http = entriesOfKind(trace, 'http-exchange');
    expect(http.map((e) => [e.stage, e.status])).toEqual([
      ['client-secret', 200],
      ['call', 201],
      ['sideband', 101],
    ]);
    const calls = new URL(http[1]!.url);
    expect(calls.searchParams.get('webrtcfilter')).toBe('on');
    const sideband = new URL(http[2]!.url);
    const callId = entriesOfKind(trace, 'webrtc-call')[0]!.callId;
    expect(sideband.pathname).toBe('/openai/v1/realtime');
    expect(sideband.searchParams.get('call_id')).toBe(callId);
    expect(http[2]!.requestHeaders['api-key']).toBe('[redacted]');
    expect(JSON.stringify(trace.entries)).not.toContain(KEY);

    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    expect(received(trace, 'session.created')).toHaveLength(1); // not in the filter: only the sideband has it
    for (const turn of [1, 2]) {
      expect(received(trace, 'response.created', turn)).toHaveLength(1);
      expect(received(trace, 'response.done', turn)).toHaveLength(1);
      expect(received(trace, 'output_audio_buffer.stopped', turn)).toHaveLength(1); // on both paths, recorded once
      expect(trace.outputAudio.get(turn)!.length).toBeGreaterThan(24_000 * 2); // the audio still comes over RTP
    }
    const ids = eventIds(trace);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it('without the filter, events that come on both paths are recorded once', async () => {
    const [trace, plain] = await Promise.all([both, unfilteredNoSideband]);
    expect(entriesOfKind(trace, 'http-exchange').map((e) => e.stage)).toEqual(['client-secret', 'call', 'sideband']);
    expect(entriesOfKind(trace, 'turn-end')[0]!.outcome).toBe('response-done');
    const ids = eventIds(trace);
    expect(new Set(ids).size).toBe(ids.length);
    // the same kinds of events as a data-channel-only session, no more
    const types = (t: Trace): string[] => [...new Set(entriesOfKind(t, 'recv').map((e) => e.type))].sort();
    expect(types(trace)).toEqual(types(plain));
  });

  it('targets take webrtcFilter and sideband for WebRTC only, the filter for Azure only', () => {
    const base = {
      name: 'a',
      endpoint: 'wss://x.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
      auth: 'api-key',
      secretSetting: 'K',
    };
    expect(parseTargets(JSON.stringify([{ ...base, transport: 'webrtc', webrtcFilter: true }]))[0]).toMatchObject({
      webrtcFilter: true,
    });
    expect(() => parseTargets(JSON.stringify([{ ...base, webrtcFilter: true }]))).toThrow(/webrtcFilter.*WebRTC only/);
    expect(() =>
      parseTargets(JSON.stringify([{ ...base, transport: 'webrtc', flavour: 'openai-ga', webrtcFilter: true }])),
    ).toThrow(/Azure's data-channel filter/);
    expect(() => parseTargets(JSON.stringify([{ ...base, transport: 'webrtc', sideband: 'yes' }]))).toThrow(
      /sideband: must be true or false/,
    );
  });
});
