/**
 * Latency of a turn: from `response.create` sent (manual turns; from the turn's clock when the probe recorded a later
 * one: a refused create sent again, a WebRTC create that left behind the prompt audio or the previous answer's
 * playout), or from the end of speech in server-VAD mode (the `input_audio_buffer.speech_stopped` receive time,
 * else the last append sent), to the first audio delta and to `response.done`; on a reasoning model also to the final
 * answer's first audio.
 */
import type { TurnDetection } from '../realtime/events.js';
import { EV } from '../realtime/events.js';
import { ms1 } from './fields.js';
import type { TimingAnchor, TimingMetrics } from './metrics.js';
import type { PhaseMeasure } from './phases.js';
import { cancelledByProbe } from './terminal.js';
import type { TurnView } from './turnView.js';

/** The anchor latencies are measured from. */
export function timingAnchor(view: TurnView, mode: TurnDetection): { anchor: TimingAnchor; t: number } | undefined {
  if (mode === 'manual') {
    const create = view.entries.find((e) => e.kind === 'send' && e.type === 'response.create');
    if (!create) return undefined;
    const firstAudio = view.deltas[0]?.t ?? Infinity;
    const clocks = view.entries.filter((e) => e.kind === 'turn-clock' && e.t >= create.t && e.t <= firstAudio);
    return { anchor: 'response.create', t: Math.max(create.t, ...clocks.map((e) => e.t)) };
  }
  const firstAnswer = Math.min(view.deltas[0]?.t ?? Infinity, ...view.responses.map((r) => r.created?.t ?? Infinity));
  const before = view.entries.filter((e) => e.t <= firstAnswer);
  const stopped = before.filter((e) => e.kind === 'recv' && e.type === EV.speechStopped).pop();
  if (stopped) return { anchor: 'speech_stopped', t: stopped.t };
  const append = before.filter((e) => e.kind === 'send' && e.type === 'input_audio_buffer.append').pop();
  return append ? { anchor: 'last_append', t: append.t } : undefined;
}

/** Timing metrics of a turn; `phases` says when the final answer began and how long the model reasoned before it. */
export function timingMetrics(
  view: TurnView,
  mode: TurnDetection,
  phases: Pick<PhaseMeasure, 'answerTraceMs' | 'reasoningMs'>,
): TimingMetrics {
  const a = timingAnchor(view, mode);
  const first = view.deltas[0];
  const dones = view.responses.filter((r) => r.done && !cancelledByProbe(r)).map((r) => r.done!.t);
  const lastDone = dones.length ? Math.max(...dones) : undefined;
  return {
    anchor: a?.anchor ?? null,
    anchorTraceMs: a ? ms1(a.t) : null,
    firstAudioMs: a && first ? ms1(first.t - a.t) : null,
    responseDoneMs: a && lastDone !== undefined ? ms1(lastDone - a.t) : null,
    finalAnswerMs: a && phases.answerTraceMs !== null ? ms1(phases.answerTraceMs - a.t) : null,
    reasoningMs: phases.reasoningMs,
  };
}
