/**
 * What the response said, in text: the audio transcript (or, for text-only responses, the output text), and how
 * much of it arrived after the audio had stopped.
 */
import { BYTES_PER_MS } from '../audio/wav.js';
import type { TranscriptMetrics } from './metrics.js';
import type { AudioDelta, ResponseView, TextDelta } from './turnView.js';

/** Collapses whitespace runs and trims: the form the speaking rate is measured on. */
export function normalizeText(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** The turn's transcript: per item, the `.done` text when present, else the concatenated deltas. */
export function transcriptMetrics(responses: readonly ResponseView[]): TranscriptMetrics {
  const audio = normalizeText(responses.map((r) => joinItems(r.transcriptDeltas, r.transcriptDone)).join(' '));
  if (audio) return { text: audio, length: audio.length, source: 'audio_transcript' };
  const text = normalizeText(responses.map((r) => joinItems(r.textDeltas, r.textDone)).join(' '));
  if (text) return { text, length: text.length, source: 'output_text' };
  return { text: '', length: 0, source: 'none' };
}

function joinItems(deltas: readonly TextDelta[], done: readonly TextDelta[]): string {
  const order: (string | undefined)[] = [];
  for (const d of [...deltas, ...done]) if (!order.includes(d.itemId)) order.push(d.itemId);
  return order.map((itemId) => itemText(deltas, done, itemId)).join(' ');
}

/** One item's text: its `.done` text when present, else its deltas. */
function itemText(deltas: readonly TextDelta[], done: readonly TextDelta[], itemId: string | undefined): string {
  const final = done.find((d) => d.itemId === itemId && d.text.trim() !== '');
  return final
    ? final.text
    : deltas
        .filter((d) => d.itemId === itemId)
        .map((d) => d.text)
        .join('');
}

/** The audio transcript of one item (whitespace collapsed); empty when it has none. */
export function itemTranscript(responses: readonly ResponseView[], itemId: string | null): string {
  if (itemId === null) return '';
  return normalizeText(responses.map((r) => itemText(r.transcriptDeltas, r.transcriptDone, itemId)).join(' '));
}

/** Transcript characters (whitespace collapsed) received after the last audio delta of each response. */
export function trailingTranscriptChars(responses: readonly ResponseView[]): number {
  let chars = 0;
  for (const r of responses) {
    const last = r.deltas[r.deltas.length - 1];
    if (!last) continue;
    const after = r.transcriptDeltas
      .filter((d) => d.t > last.t)
      .map((d) => d.text)
      .join('');
    chars += normalizeText(after).length;
  }
  return chars;
}

/**
 * Transcript characters (whitespace collapsed) that arrived after the audio had gone past `positionMs` of the turn's
 * output audio: after the first delta that starts at or beyond that position. Text the service sent while the audio
 * it sent beside it was already past that point (e.g. silent).
 */
export function transcriptCharsAfterPosition(
  responses: readonly ResponseView[],
  deltas: readonly AudioDelta[],
  positionMs: number,
): number {
  let bytes = 0;
  let passedAt: number | undefined;
  for (const d of deltas) {
    if (bytes / BYTES_PER_MS >= positionMs) {
      passedAt = d.t;
      break;
    }
    bytes += d.audio.bytes;
  }
  if (passedAt === undefined) return 0;
  const after = responses
    .flatMap((r) => r.transcriptDeltas.filter((d) => d.t > passedAt!))
    .map((d) => d.text)
    .join('');
  return normalizeText(after).length;
}
