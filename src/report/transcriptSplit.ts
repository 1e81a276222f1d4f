/**
 * The transcript of a turn, split where the audio stopped: when the answer's audio was cut short, the text whose
 * transcript deltas arrived after the response's last audio delta is what the service "said" but nobody heard.
 * Pure, from the trace's receive times; the report's own transcript is used when nothing was cut.
 */
import type { ReportTurn } from '../analysis/report.js';
import type { RecvEntry, Trace } from '../probe/trace.js';
import { EV } from '../realtime/events.js';

export interface TranscriptParts {
  /** What the audio covered (or the whole transcript when nothing was cut). */
  heard: string;
  /** Text that arrived after the audio stopped; empty when nothing was cut or nothing came after. */
  afterAudio: string;
  /** The audio was cut short (an `audio_truncated` finding, a response that did not complete, or a dropped socket). */
  cutShort: boolean;
}

/** The transcript of `turn`, split at the end of its audio when the audio was cut short. */
export function transcriptParts(trace: Trace, turn: ReportTurn): TranscriptParts {
  const m = turn.metrics;
  const whole = m?.transcript.text ?? '';
  const status = m?.terminal.status;
  const cutShort =
    turn.findings.some((f) => f.code === 'audio_truncated') ||
    (status !== null && status !== undefined && status !== 'completed') ||
    (m?.connection.closedDuringTurn ?? false);
  if (!m || !cutShort || m.audio.bytes === 0) return { heard: whole, afterAudio: '', cutShort };

  const entries = trace.entries.filter((e): e is RecvEntry => e.kind === 'recv' && e.turn === turn.turn);
  const lastAudio = new Map<string, number>();
  for (const e of entries) if (e.type === EV.audioDelta) lastAudio.set(responseOf(e), e.t);
  const heard: string[] = [];
  const after: string[] = [];
  for (const e of entries) {
    if (e.type !== EV.transcriptDelta) continue;
    const text = typeof e.event.delta === 'string' ? e.event.delta : '';
    const last = lastAudio.get(responseOf(e));
    (last !== undefined && e.t > last ? after : heard).push(text);
  }
  const afterText = squash(after.join(''));
  // Without timed deltas (only a `.done` transcript) the cut cannot be located in the text.
  if (!afterText) return { heard: whole, afterAudio: '', cutShort };
  return { heard: squash(heard.join('')), afterAudio: afterText, cutShort };
}

function responseOf(e: RecvEntry): string {
  const id = e.event.response_id ?? e.audio?.responseId;
  return typeof id === 'string' ? id : '';
}

function squash(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}
