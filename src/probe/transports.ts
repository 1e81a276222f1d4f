/**
 * The transports the probe knows, by kind: one line per transport. `runProbe` resolves
 * `ProbeOptions.transport` here, so a new transport plugs in without touching the session.
 */
import { ConfigError } from '../errors.js';
import type { TransportKind } from '../trace/trace.js';
import type { TransportFactory } from './transport.js';
import { webrtcTransport } from './webrtc/factory.js';
import { webSocketTransport } from './websocket.js';

const FACTORIES: Partial<Record<TransportKind, TransportFactory>> = {
  websocket: webSocketTransport,
  webrtc: webrtcTransport,
};

/** The factory of a transport kind; ConfigError when this build has none for it. */
export function transportFactory(kind: TransportKind): TransportFactory {
  const f = FACTORIES[kind];
  if (!f)
    throw new ConfigError(
      'transport',
      `"${kind}" is not available in this build (known: ${Object.keys(FACTORIES).join(', ')})`,
    );
  return f;
}
