/**
 * Terminal events: `response.done` and audio `.done` must arrive, and the response must complete.
 * A response the probe cancelled itself (after its own deadline) is not a service fault — the missing
 * `response.done` that made it cancel is.
 */
import { BYTES_PER_MS } from '../../audio/wav.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { clip, dur, maskKeys, quote } from '../format.js';
import { cancelledByProbe, statusDetails } from '../terminal.js';
import { numAt, strAt } from '../../json.js';
import { throttleOfDone } from '../throttle.js';
import { throttledTurn } from './capacity.js';
import type { TurnDetector } from './types.js';

/** `missing_audio_done`: an item carried audio, its response finished (and did not fail), but its audio `.done` never came. */
export const missingAudioDone: TurnDetector = {
  name: 'missing_audio_done',
  detect({ view }): Finding[] {
    const out: Finding[] = [];
    for (const r of view.responses) {
      // A failed response's missing .done events follow from the failure (response_not_completed says so).
      if (!r.done || cancelledByProbe(r) || strAt(r.done.event, 'response', 'status') === 'failed') continue;
      for (const item of r.items) {
        if (!item.deltas.length || item.done) continue;
        const ms = item.deltas.reduce((s, d) => s + d.audio.bytes, 0) / BYTES_PER_MS;
        out.push({
          code: 'missing_audio_done',
          severity: 'major',
          turn: view.turn,
          traceMs: ms1(r.done.t),
          message: `Item ${item.id ?? '(no id)'} carried ${dur(ms)} of audio but its audio .done never arrived before response.done.`,
        });
      }
    }
    return out;
  },
};

/** `missing_response_done`: a response that never got `response.done` (or only after the probe cancelled it). */
export const missingResponseDone: TurnDetector = {
  name: 'missing_response_done',
  detect({ view }): Finding[] {
    const out: Finding[] = [];
    for (const r of view.responses) {
      if (r.done && !cancelledByProbe(r)) continue;
      const openFor = r.openEnd - r.openStart;
      const from = r.requestedAt !== undefined ? 'response.create' : 'response.created';
      const how = cancelledByProbe(r)
        ? 'the probe cancelled the response'
        : view.end?.outcome === 'closed'
          ? 'the connection closed'
          : 'the turn ended';
      out.push({
        code: 'missing_response_done',
        severity: 'critical',
        turn: view.turn,
        durationMs: ms1(openFor),
        traceMs: ms1(r.openEnd),
        message: `response.done did not arrive within ${dur(openFor)} of ${from}; ${how}.`,
      });
    }
    const timedOut =
      view.end?.outcome === 'timeout' || view.entries.some((e) => e.kind === 'timeout' && e.scope === 'turn');
    if (!view.responses.length && view.start && timedOut && !throttledTurn(view)) {
      const waited = (view.end?.t ?? view.toMs) - view.start.t;
      out.push({
        code: 'missing_response_done',
        severity: 'critical',
        turn: view.turn,
        durationMs: ms1(waited),
        traceMs: ms1(view.end?.t ?? view.toMs),
        message: `No response was created within ${dur(waited)} of the turn's start.`,
      });
    }
    return out;
  },
};

/**
 * The answer hit the deployment's output cap: say so with the numbers, as a prompt/configuration issue (Azure
 * reportedly caps gpt-realtime-2 at 4096 output tokens per response, OpenAI at 32 000).
 */
function outputCapClause(done: Record<string, unknown>): string {
  const used = numAt(done, 'response', 'usage', 'output_tokens');
  const max = numAt(done, 'response', 'max_output_tokens');
  const usedText =
    used !== undefined && Number.isInteger(used) && used >= 0 && used <= 1e7 ? ` after ${used} output tokens` : '';
  const maxText = max !== undefined ? ` (max_output_tokens ${max})` : '';
  return (
    `: the answer hit the deployment's output cap${usedText}${maxText} — the prompt's answer is longer than ` +
    `this deployment allows (Azure caps gpt-realtime-2 at 4096 output tokens); a configuration or prompt issue, not an outage`
  );
}

/**
 * `response_not_completed`: `response.done` with a status other than `completed` (failed: critical; else major).
 * `incomplete` / `max_output_tokens` stays major — the listener does not hear the whole answer — but says that the
 * answer is longer than the deployment's output cap rather than suggesting an outage.
 */
export const responseNotCompleted: TurnDetector = {
  name: 'response_not_completed',
  detect({ view }): Finding[] {
    const out: Finding[] = [];
    for (const r of view.responses) {
      if (!r.done || cancelledByProbe(r) || throttleOfDone(r.done)) continue; // throttled: ./capacity.ts
      const status = strAt(r.done.event, 'response', 'status') ?? '(none)';
      if (status === 'completed') continue;
      const sd = statusDetails(r.done);
      const why = [sd?.reason, sd?.errorType, sd?.errorCode].filter((x): x is string => !!x).join(', ');
      const text = sd?.errorMessage ? `: ${quote(clip(maskKeys(sd.errorMessage)))}` : '';
      const cap = status === 'incomplete' && sd?.reason === 'max_output_tokens' ? outputCapClause(r.done.event) : '';
      out.push({
        code: 'response_not_completed',
        severity: status === 'failed' ? 'critical' : 'major',
        turn: view.turn,
        traceMs: ms1(r.done.t),
        message: `response.done reported status ${status}${why ? ` (${why})` : ''}${text}${cap}.`,
      });
    }
    return out;
  },
};
