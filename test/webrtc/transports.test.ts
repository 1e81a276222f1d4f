/**
 * Targets with `transport: "both"` become a WebSocket and a WebRTC target in one group, and the round's
 * comparison says which transport a fault belongs to.
 */
import { describe, expect, it } from 'vitest';
import type { Finding } from '../../src/analysis/findings.js';
import type { Report } from '../../src/analysis/report.js';
import { parseTargets } from '../../src/config/targets.js';
import { ConfigError } from '../../src/errors.js';
import { targetTransport } from '../../src/probe/webrtc/factory.js';
import { compareGroups, tallyOf, type GroupMember } from '../../src/runner/comparison.js';

const finding = (code: Finding['code'], durationMs: number): Finding => ({
  code,
  severity: 'major',
  turn: 1,
  atMs: 1000,
  durationMs,
  message: code,
});
function report(
  transport: 'websocket' | 'webrtc',
  findings: Finding[],
  verdict: Report['verdict'] = findings.length ? 'fail' : 'pass',
): Report {
  return {
    verdict,
    findings: [],
    target: { host: 'res.openai.azure.com', deployment: 'gpt-realtime', transport },
    turns: [{ turn: 1, verdict, findings }],
    summary: { findingCodes: findings.map((f) => f.code) },
  } as unknown as Report;
}
const member = (name: string, r: Report, baseline = false): GroupMember => ({
  name,
  group: 'eu',
  baseline,
  tally: tallyOf(r),
});

describe('transport: both', () => {
  it('expands into a WebSocket and a WebRTC target in one group, validated', () => {
    const [ws, rtc, plain] = parseTargets(
      JSON.stringify([
        {
          name: 'eu',
          endpoint: 'wss://res.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
          auth: 'entra',
          transport: 'both',
          iceServers: ['turns:turn.example.com:443?transport=tcp'],
        },
        { name: 'us', endpoint: 'wss://res2.openai.azure.com/openai/v1/realtime?model=gpt-realtime', auth: 'entra' },
      ]),
    );
    expect([ws!.name, ws!.transport, ws!.group, ws!.baseline]).toEqual(['eu', 'websocket', 'eu', true]);
    expect([rtc!.name, rtc!.transport, rtc!.group, rtc!.baseline]).toEqual(['eu-webrtc', 'webrtc', 'eu', false]);
    expect(plain!.transport).toBeUndefined();
    expect(targetTransport(plain!)).toBe('websocket');
    expect(typeof targetTransport(rtc!)).toBe('function'); // a WebRTC factory carrying the TURN server
    expect(() =>
      parseTargets(JSON.stringify([{ name: 'x', endpoint: 'wss://a/v1/realtime', auth: 'none', transport: 'sip' }])),
    ).toThrow(ConfigError);
    expect(() =>
      parseTargets(
        JSON.stringify([{ name: 'x', endpoint: 'wss://a/v1/realtime', auth: 'none', iceServers: ['http://stun'] }]),
      ),
    ).toThrow(/iceServers/);
  });

  it('attributes a WebSocket-only gap to the WebSocket path and a WebRTC-only stall to the media path', () => {
    const wsGap = compareGroups([
      member('eu', report('websocket', [finding('silent_gap', 2600)]), true),
      member('eu-webrtc', report('webrtc', [])),
    ]);
    expect(wsGap.get('eu-webrtc')!.message).toBe(
      'eu (WebSocket) / eu-webrtc (WebRTC): WebRTC clean, WebSocket 2.6 s silent gap: the WebSocket path',
    );
    expect(wsGap.get('eu')!.baseline).toBe('eu-webrtc');
    const rtcStall = compareGroups([
      member('eu', report('websocket', []), true),
      member('eu-webrtc', report('webrtc', [finding('media_stall', 1500)])),
    ]);
    expect(rtcStall.get('eu-webrtc')!.message).toMatch(/: WebSocket clean, WebRTC 1\.5 s media stall: the media path$/);
    const both = compareGroups([
      member('eu', report('websocket', [finding('silent_gap', 2000)]), true),
      member('eu-webrtc', report('webrtc', [finding('silent_gap', 2100)])),
    ]);
    expect(both.get('eu')!.message).toMatch(/: both transports fail .*: the model or the service, not a transport$/);
    const blocked = compareGroups([
      member('eu', report('websocket', []), true),
      member('eu-webrtc', report('webrtc', [], 'error')),
    ]);
    expect(blocked.get('eu-webrtc')!.message).toMatch(
      /: WebSocket clean, WebRTC could not be probed: the media path \(UDP, TURN or DTLS\)$/,
    );
  });
});
