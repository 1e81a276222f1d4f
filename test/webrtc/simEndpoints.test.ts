/**
 * The simulator's WebRTC endpoints as HTTP: ephemeral keys, the call's refusals (key, content type, SDP, method),
 * the unified multipart form through the probe, and the sideband WebSocket that sees every event of a call.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { received } from '../../src/trace/trace.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { KEY, probeWebRtc, shortCatalog } from './helpers.js';

let sim: RunningSimulator;
const callIds: string[] = [];
beforeAll(async () => {
  sim = await startSimulator({
    port: 0,
    apiKey: KEY,
    catalog: shortCatalog(),
    log: (l) => void (/call (rtc_\w+): scenario/.exec(l)?.[1] && callIds.push(/call (rtc_\w+)/.exec(l)![1]!)),
  });
});
afterAll(async () => sim?.close());

const http = (path: string): string => `http://127.0.0.1:${sim.port}${path}`;
const post = (path: string, headers: Record<string, string>, body: string): Promise<Response> =>
  fetch(http(path), { method: 'POST', headers, body });

describe('WebRTC endpoints of the simulator', () => {
  it('mints ephemeral keys at both paths, with the standard key only', async () => {
    const ok = await post(
      '/openai/v1/realtime/client_secrets',
      { 'api-key': KEY, 'content-type': 'application/json' },
      JSON.stringify({ session: { type: 'realtime', model: 'gpt-realtime' } }),
    );
    expect(ok.status).toBe(200);
    const body = (await ok.json()) as { value: string; expires_at: number; session: { type: string } };
    expect(body.value).toMatch(/^ek_/);
    expect(body.expires_at).toBeGreaterThan(Date.now() / 1000);
    expect(body.session.type).toBe('realtime');
    const bad = await post(
      '/v1/realtime/client_secrets',
      { authorization: 'Bearer wrong-key', 'content-type': 'application/json' },
      '{}',
    );
    expect(bad.status).toBe(401);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe('invalid_api_key');
  });

  it('refuses calls without a live ephemeral key, with the wrong content type, without an audio offer, or not POSTed', async () => {
    const ek = (
      (await (await post('/v1/realtime/client_secrets', { authorization: `Bearer ${KEY}` }, '{}')).json()) as {
        value: string;
      }
    ).value;
    expect(
      (
        await post(
          '/v1/realtime/calls',
          { authorization: 'Bearer ek_not-minted', 'content-type': 'application/sdp' },
          'v=0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\n',
        )
      ).status,
    ).toBe(401);
    expect(
      (
        await post(
          '/openai/v1/realtime/calls',
          { authorization: `Bearer ${ek}`, 'content-type': 'application/sdp' },
          'v=0\r\nm=audio 9 x 111\r\n',
        )
      ).status,
    ).toBe(401); // an OpenAI key on the Azure path
    expect(
      (await post('/v1/realtime/calls', { authorization: `Bearer ${ek}`, 'content-type': 'text/plain' }, 'v=0')).status,
    ).toBe(400);
    const noAudio = await post(
      '/v1/realtime/calls',
      { authorization: `Bearer ${ek}`, 'content-type': 'application/sdp' },
      'v=0\r\n',
    );
    expect(noAudio.status).toBe(400);
    expect(((await noAudio.json()) as { error: { code: string } }).error.code).toBe('invalid_offer');
    expect((await fetch(http('/v1/realtime/calls'))).status).toBe(405);
  });

  it('answers the unified multipart form, and a sideband WebSocket sees every event of the call', async () => {
    const sideband: string[] = [];
    const trace = probeWebRtc(sim, 'openai-ga', undefined, {}, { unified: true });
    const deadline = Date.now() + 10_000;
    while (!callIds.length && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const ws = new WebSocket(`ws://127.0.0.1:${sim.port}/v1/realtime?call_id=${callIds[0]}`, {
      headers: { authorization: `Bearer ${KEY}` },
    });
    ws.on('message', (d) => sideband.push(String((JSON.parse(d.toString()) as { type: string }).type)));
    const t = await trace;
    expect(
      t.entries.filter((e) => e.kind === 'http-exchange').map((e) => e.kind === 'http-exchange' && [e.stage, e.status]),
    ).toEqual([['call', 201]]);
    expect(received(t, 'response.done', 1)).toHaveLength(1);
    expect(sideband).toEqual(
      expect.arrayContaining(['response.done', 'output_audio_buffer.started', 'output_audio_buffer.stopped']),
    );
    expect(sideband).not.toContain('response.output_audio.delta'); // audio travels as RTP only
    const refused = await new Promise<number>((resolve) => {
      const w = new WebSocket(`ws://127.0.0.1:${sim.port}/v1/realtime?call_id=rtc_unknown`, {
        headers: { authorization: `Bearer ${KEY}` },
      });
      w.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      w.on('error', () => resolve(-1));
    });
    expect(refused).toBe(404);
    ws.close();
  });
});
