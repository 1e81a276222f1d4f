/**
 * Where a target's WebRTC endpoints are, worked out from its (WebSocket) endpoint, for a flavour the table marks as
 * WebRTC-capable: `https://<host><path>/{client_secrets,calls}` and the sideband `wss://<host><path>?call_id=`.
 * `ws:` maps to `http:` (the simulator).
 */
import { ConfigError } from '../../errors.js';
import { flavourInfo, webrtcFlavours, type ResolvedEndpoint } from '../../realtime/flavours.js';

export interface WebRtcUrls {
  clientSecrets: URL;
  calls: URL;
  sideband(callId: string): URL;
}

/** Query parameters carried from the endpoint to the WebRTC URLs (the simulator's scenario). */
const CARRIED = ['scenario'];

export function webrtcUrls(endpoint: ResolvedEndpoint, o: { filter?: boolean } = {}): WebRtcUrls {
  if (!flavourInfo(endpoint.flavour).webrtc) {
    throw new ConfigError(
      'transport',
      `WebRTC needs a GA endpoint (${webrtcFlavours().join(' or ')}), not ${endpoint.flavour}`,
    );
  }
  const http = endpoint.url.protocol === 'ws:' ? 'http:' : 'https:';
  const prefix = endpoint.url.pathname.replace(/\/realtime\/?$/, '/realtime');
  const make = (path: string, protocol = http): URL => {
    const u = new URL(`${protocol}//${endpoint.url.host}${prefix}${path}`);
    for (const k of CARRIED) {
      const v = endpoint.url.searchParams.get(k);
      if (v !== null) u.searchParams.set(k, v);
    }
    return u;
  };
  const calls = make('/calls');
  if (o.filter) calls.searchParams.set('webrtcfilter', 'on');
  return {
    clientSecrets: make('/client_secrets'),
    calls,
    sideband(callId) {
      const u = make('', endpoint.url.protocol);
      u.searchParams.set('call_id', callId);
      return u;
    },
  };
}
