/**
 * Real PCM16LE 24 kHz mono for tests: tones at a given RMS level, digital silence, low-level noise, and
 * speech-like bursts with natural pauses. Deterministic (noise from a fixed-seed LCG).
 */
export const BYTES_PER_MS = 48;
const SAMPLES_PER_MS = 24;

/** A sine whose RMS is `dbfs` (default −20 dBFS), `ms` long, starting at phase 0. */
export function tone(ms: number, o: { dbfs?: number; hz?: number } = {}): Buffer {
  const n = Math.round(ms * SAMPLES_PER_MS);
  const amp = 32768 * 10 ** ((o.dbfs ?? -20) / 20) * Math.SQRT2;
  const hz = o.hz ?? 220;
  const out = Buffer.alloc(n * 2);
  for (let i = 0; i < n; i++) out.writeInt16LE(Math.round(amp * Math.sin((2 * Math.PI * hz * i) / 24000)), i * 2);
  return out;
}

/** Digital silence. */
export function silence(ms: number): Buffer {
  return Buffer.alloc(Math.round(ms * SAMPLES_PER_MS) * 2);
}

/** Uniform white noise with RMS `dbfs` (default −60 dBFS). */
export function noise(ms: number, dbfs = -60, seed = 12345): Buffer {
  const n = Math.round(ms * SAMPLES_PER_MS);
  const peak = 32768 * 10 ** (dbfs / 20) * Math.sqrt(3);
  const out = Buffer.alloc(n * 2);
  let s = seed >>> 0;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out.writeInt16LE(Math.round(peak * ((s / 2 ** 32) * 2 - 1)), i * 2);
  }
  return out;
}

/** Word and pause lengths (ms) cycled by {@link speech}: natural pauses from 100 up to 800 ms. */
export const SPEECH_PATTERN: readonly (readonly [word: number, pause: number])[] = [
  [300, 120],
  [260, 150],
  [340, 800],
  [280, 100],
  [320, 600],
];

/**
 * Speech-like audio exactly `ms` long: −20 dBFS tone bursts ("words") separated by natural pauses of −60 dBFS
 * noise, always starting and ending with a word (so it has no leading or trailing silence).
 */
export function speech(ms: number, pattern = SPEECH_PATTERN): Buffer {
  const parts: Buffer[] = [];
  let left = ms;
  for (let i = 0; left > 0; i++) {
    const [word, pause] = pattern[i % pattern.length]!;
    if (left <= word + pause + 200) {
      parts.push(tone(left, { hz: 180 + (i % 5) * 20 }));
      break;
    }
    parts.push(tone(word, { hz: 180 + (i % 5) * 20 }), noise(pause, -60, i + 1));
    left -= word + pause;
  }
  return Buffer.concat(parts);
}

export function concat(...parts: Buffer[]): Buffer {
  return Buffer.concat(parts);
}

/** Duration of PCM16 24 kHz audio in ms. */
export function msOf(pcm: Buffer): number {
  return pcm.length / BYTES_PER_MS;
}
