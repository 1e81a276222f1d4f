/**
 * RTP-level faults of the simulator's WebRTC side, as data, and the built-in WebRTC scenarios that use them.
 * A WebRTC scenario names an event scenario (`base`, any built-in or custom one: every existing fault kind
 * applies to the events and the audio) and adds what happens on the media path.
 *
 * `atMs` is audio time into the turn's response (20 ms frames), as in the event faults.
 */
import { ConfigError } from '../../errors.js';
import { isRecord } from '../../json.js';

export type MediaFault =
  /** The sender pauses for `durationMs` at `atMs`, then resumes: arrival gap, RTP seq +1 and timestamp +20 ms. */
  | { kind: 'rtp-stall'; atMs: number; durationMs: number }
  /** Packets of [atMs, atMs + durationMs) are lost: sequence and timestamp jump, their audio is gone. */
  | { kind: 'rtp-loss'; atMs: number; durationMs: number }
  /** Silence not sent (DTX) for `durationMs` at `atMs`: timestamp jumps, sequence does not. */
  | { kind: 'rtp-dtx'; atMs: number; durationMs: number }
  /** Each packet of [atMs, atMs + durationMs) leaves up to `jitterMs` late (order kept). */
  | { kind: 'rtp-jitter'; atMs: number; durationMs: number; jitterMs: number };

export interface WebRtcScenario {
  name: string;
  description: string;
  /** The event scenario the call plays (default `healthy`). */
  base?: string;
  /** Media faults per turn (index = turn − 1). */
  turns?: MediaFault[][];
  /** No RTP at all: events flow on the data channel, the audio never comes. */
  noMedia?: boolean;
  /** The SDP answer carries a wrong DTLS fingerprint: the client's DTLS handshake must fail. */
  dtlsFailure?: boolean;
}

export const BUILTIN_WEBRTC_SCENARIOS: Readonly<Record<string, WebRtcScenario>> = {
  'rtp-stall': {
    name: 'rtp-stall',
    description: 'Turn 2: the media sender pauses 1.5 s at 1 s of audio, then resumes (timestamps contiguous).',
    turns: [[], [{ kind: 'rtp-stall', atMs: 1000, durationMs: 1500 }]],
  },
  'rtp-loss': {
    name: 'rtp-loss',
    description: 'Turn 2: 600 ms of packets lost at 1 s of audio (sequence jump).',
    turns: [[], [{ kind: 'rtp-loss', atMs: 1000, durationMs: 600 }]],
  },
  'rtp-dtx': {
    name: 'rtp-dtx',
    description: 'Turn 2: a 1.2 s DTX hole at 1 s of audio (timestamp jump, no loss).',
    turns: [[], [{ kind: 'rtp-dtx', atMs: 1000, durationMs: 1200 }]],
  },
  'rtp-jitter': {
    name: 'rtp-jitter',
    description: 'Turn 2: packets up to 400 ms late for 1 s from 1 s of audio.',
    turns: [[], [{ kind: 'rtp-jitter', atMs: 1000, durationMs: 1000, jitterMs: 400 }]],
  },
  'rtp-no-media': { name: 'rtp-no-media', description: 'Events flow, no RTP ever arrives.', noMedia: true },
  'dtls-fail': {
    name: 'dtls-fail',
    description: 'The answer carries a wrong DTLS fingerprint: the DTLS handshake fails.',
    dtlsFailure: true,
  },
};

/** The media faults of `turn` (1-based). */
export function mediaFaultsForTurn(s: WebRtcScenario | undefined, turn: number): MediaFault[] {
  return s?.turns?.[turn - 1] ?? [];
}

const KINDS = ['rtp-stall', 'rtp-loss', 'rtp-dtx', 'rtp-jitter'] as const;

/** Validates a user-provided WebRTC scenario; errors name the field. */
export function validateWebRtcScenario(raw: unknown, path = 'webrtcScenario'): WebRtcScenario {
  if (!isRecord(raw)) throw new ConfigError(path, 'must be a JSON object');
  if (typeof raw.name !== 'string' || !/^[A-Za-z0-9._-]+$/.test(raw.name))
    throw new ConfigError(`${path}.name`, 'must be a name of letters, digits, ".", "_" and "-"');
  const turns = raw.turns ?? [];
  if (!Array.isArray(turns)) throw new ConfigError(`${path}.turns`, 'must be an array of fault arrays');
  turns.forEach((t: unknown, i) => {
    if (!Array.isArray(t)) throw new ConfigError(`${path}.turns[${i}]`, 'must be an array of faults');
    t.forEach((f: unknown, j) => {
      const p = `${path}.turns[${i}][${j}]`;
      if (!isRecord(f) || !(KINDS as readonly unknown[]).includes(f.kind))
        throw new ConfigError(`${p}.kind`, `must be one of ${KINDS.join(', ')}`);
      for (const k of ['atMs', 'durationMs', ...(f.kind === 'rtp-jitter' ? ['jitterMs'] : [])]) {
        const v = f[k];
        if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > 3_600_000)
          throw new ConfigError(`${p}.${k}`, 'must be a number of ms between 0 and 3600000');
      }
    });
  });
  return raw as unknown as WebRtcScenario;
}
