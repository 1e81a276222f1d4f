/**
 * The WebRTC transport as the session's TransportFactory (registered as `webrtc` in src/probe/transports.ts).
 * Decoded output audio goes to the recorder's per-turn output audio. Offline defaults: no STUN server, and for a
 * loopback endpoint (the simulator) host candidates on 127.0.0.1 only.
 */
import type { TransportKind } from '../../trace/trace.js';
import type { TransportFactory } from '../transport.js';
import type { IceConfig } from '../../media/webrtc.js';
import type { WebRtcOptions } from './transport.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The ICE configuration for an endpoint when the target sets none. */
export function defaultIce(host: string): IceConfig {
  return LOOPBACK.has(host) ? { bindAddress: '127.0.0.1' } : {};
}

export function webrtcTransportWith(options: WebRtcOptions = {}): TransportFactory {
  // werift and the Opus codec load on the first WebRTC session only: a WebSocket-only round never pays their ~40 MB
  return async (ctx) => {
    const { WebRtcTransport } = await import('./transport.js');
    return new WebRtcTransport({
      endpoint: ctx.endpoint,
      headers: ctx.headers,
      rec: ctx.rec,
      waiter: ctx.waiter,
      secrets: [...ctx.secrets],
      connectTimeoutMs: ctx.connectTimeoutMs,
      sink: { appendPcm: (turn, pcm, t) => ctx.rec.recordOutputPcm(turn, pcm, {}, t)?.offset },
      options: { ...options, ice: options.ice ?? defaultIce(ctx.endpoint.url.hostname) },
    });
  };
}

export const webrtcTransport: TransportFactory = webrtcTransportWith();

/** The transport a configured target asks for (`both` has been expanded into two targets by parseTargets). */
export function targetTransport(t: {
  transport?: TransportKind | 'both';
  iceServers?: string[];
  webrtcFilter?: boolean;
  sideband?: boolean;
}): TransportKind | TransportFactory {
  if (t.transport !== 'webrtc') return 'websocket';
  const options: WebRtcOptions = {
    ...(t.iceServers?.length ? { ice: { iceServers: t.iceServers.map((urls) => ({ urls })) } } : {}),
    ...(t.webrtcFilter ? { filter: true } : {}),
    ...(t.sideband ? { sideband: true } : {}),
  };
  return Object.keys(options).length ? webrtcTransportWith(options) : 'webrtc';
}
