/**
 * The output audio format: the one the probe asked for (`session.update`) and the one the service declared, against
 * the one its bytes say it sent. Usage accounts for output audio in time (20 tokens per second), so the
 * bytes per usage-implied millisecond name the format: PCM16 at 24 kHz is 48 bytes per ms, G.711 (μ-law or A-law,
 * 8 kHz) 8 — a format the service ignored shows as a ×6 or ×1/6 ratio (field-2026-12.md F2, §5.1).
 */
import type { Trace } from '../trace/trace.js';
import { BYTES_PER_MS } from '../audio/wav.js';
import { sessionOutputFormat } from '../realtime/events.js';

/** The audio formats the realtime services speak, by how many bytes a millisecond of each takes. */
export type FormatFamily = 'pcm16' | 'g711';

export const FORMAT_BYTES_PER_MS: Readonly<Record<FormatFamily, number>> = { pcm16: BYTES_PER_MS, g711: 8 };

/** Human names, for messages. */
export const FORMAT_NAMES: Readonly<Record<FormatFamily, string>> = {
  pcm16: 'PCM16 at 24 kHz',
  g711: 'G.711 at 8 kHz',
};

/** The family of a wire format name (GA `audio/pcm`, `audio/pcmu`, `audio/pcma`; beta `pcm16`, `g711_ulaw`, `g711_alaw`). */
export function formatFamily(name: string | null): FormatFamily | undefined {
  if (name === 'audio/pcm' || name === 'pcm16') return 'pcm16';
  if (name === 'audio/pcmu' || name === 'audio/pcma' || name === 'g711_ulaw' || name === 'g711_alaw') return 'g711';
  return undefined;
}

/**
 * The output formats in force before trace time `t`: the last one the probe asked for in a `session.update`, and the
 * last one the service declared (`session.updated` / `session.created`); null when none names one.
 */
export function outputFormats(trace: Trace, t: number): { requested: string | null; declared: string | null } {
  let requested: string | null = null;
  let declared: string | null = null;
  for (const e of trace.entries) {
    if (e.t > t) break;
    if (e.kind === 'send' && e.type === 'session.update') requested = sessionOutputFormat(e.event) ?? requested;
    if (e.kind === 'recv' && (e.type === 'session.updated' || e.type === 'session.created'))
      declared = sessionOutputFormat(e.event) ?? declared;
  }
  return { requested, declared };
}

/** The format whose bytes per ms `bytesPerMs` is within a factor `tolerance` of; undefined when none is. */
export function formatOfRatio(bytesPerMs: number, tolerance: number): FormatFamily | undefined {
  return (Object.keys(FORMAT_BYTES_PER_MS) as FormatFamily[]).find((f) => {
    const r = bytesPerMs / FORMAT_BYTES_PER_MS[f];
    return r >= 1 / tolerance && r <= tolerance;
  });
}
