/**
 * Reasoning models (items with a `phase`): a pause after the spoken preamble past its allowance, a turn whose only
 * speech is the preamble, and a further generation for the same turn that never sounded. The pause itself is
 * reasoning, not a stall: phases.ts measures it, the delivery detectors leave it out.
 */
import type { Finding } from '../findings.js';
import { strAt } from '../../json.js';
import { ms1 } from '../fields.js';
import { clip, dur, quote, sec } from '../format.js';
import type { ItemAudioMetrics } from '../metrics.js';
import { blockedWithin, probeStalls } from '../probeHealth.js';
import { cancelledByProbe } from '../terminal.js';
import { itemTranscript } from '../transcript.js';
import type { ResponseView } from '../turnView.js';
import type { TurnContext, TurnDetector } from './types.js';

/** `“Let me check that.”` for an item that has a transcript, else nothing. */
function saying(responses: readonly ResponseView[], itemId: string | null): string {
  const text = itemTranscript(responses, itemId);
  return text ? ` ${quote(clip(text, 80))}` : '';
}

/** Whether the service finished `r` itself with status `completed`. */
function completed(r: ResponseView): boolean {
  return r.done !== undefined && !cancelledByProbe(r) && strAt(r.done.event, 'response', 'status') === 'completed';
}

/** `long_reasoning`: a reasoning pause of at least `reasoningMaxMs` (less any time the probe itself was blocked). */
export const longReasoning: TurnDetector = {
  name: 'long_reasoning',
  detect({ trace, view, metrics, config }): Finding[] {
    const blocked = probeStalls(trace);
    return metrics.phases.pauses.flatMap((p): Finding[] => {
      const ms = p.durationMs - blockedWithin(blocked, p.traceMs, p.traceMs + p.durationMs);
      if (ms < config.reasoningMaxMs) return [];
      const next = metrics.phases.items.find((i) => i.itemId === p.beforeItemId)?.phase;
      return [
        {
          code: 'long_reasoning',
          severity: 'major',
          turn: view.turn,
          atMs: p.atMs,
          durationMs: ms1(ms),
          traceMs: p.traceMs,
          message:
            `After its spoken preamble${saying(view.responses, p.afterItemId)} the model was silent for ${sec(ms)} ` +
            `before ${next === 'final_answer' ? 'the final answer began' : 'it spoke again'} (reasoning allowance ` +
            `${sec(config.reasoningMaxMs)}): the caller heard dead air.`,
        },
      ];
    });
  },
};

/**
 * `preamble_only`: every response of the turn completed, and its only speech is commentary — no item that is not a
 * preamble was even announced (an announced but silent one is `second_generation_silent`).
 */
export const preambleOnly: TurnDetector = {
  name: 'preamble_only',
  detect({ view, metrics, modality }): Finding[] {
    const items = metrics.phases.items;
    if (modality !== 'audio' || !metrics.phases.reasoning || !view.responses.length) return [];
    if (!view.responses.every(completed) || items.some((i) => i.phase !== 'commentary')) return [];
    const spoken = items.filter((i) => i.audible);
    const last = spoken[spoken.length - 1];
    if (!last) return [];
    const said = spoken.map((i) => itemTranscript(view.responses, i.itemId)).join(' ');
    const audioMs = spoken.reduce((s, i) => s + i.audioMs, 0);
    return [
      {
        code: 'preamble_only',
        severity: 'major',
        turn: view.turn,
        atMs: metrics.audio.totalMs,
        ...(last.heardEndTraceMs === null ? {} : { traceMs: last.heardEndTraceMs }),
        message:
          `The turn's only speech is the spoken preamble${said ? ` ${quote(clip(said, 80))}` : ''} (${dur(audioMs)}, ` +
          'phase commentary); the response completed without a final answer, so the caller hears the preamble and ' +
          'then nothing.',
      },
    ];
  },
};

/**
 * `second_generation_silent`: a message item announced after the turn's first one (in the same response, or in a
 * further response nobody asked for), in a response the service completed, whose audio never arrived or is all
 * silence.
 */
export const secondGenerationSilent: TurnDetector = {
  name: 'second_generation_silent',
  detect(ctx): Finding[] {
    const { view, metrics, config, modality } = ctx;
    if (modality !== 'audio') return [];
    const [first, ...later] = metrics.phases.items;
    if (!first) return [];
    return later.flatMap((item): Finding[] => {
      const r = view.responses.find((x) => (x.id ?? null) === item.responseId);
      if (item.audible || !r || !completed(r) || !r.messages.some((m) => m.id === item.itemId)) return [];
      return [
        silentGeneration(ctx, item, r, r !== view.responses[0] && r.requestedAt === undefined, config.silenceDbfs),
      ];
    });
  },
};

function silentGeneration(
  { view }: TurnContext,
  item: ItemAudioMetrics,
  r: ResponseView,
  unprompted: boolean,
  silenceDbfs: number,
): Finding {
  const which = [
    `item ${item.itemId ?? '(no id)'}`,
    item.phase,
    `in ${unprompted ? 'a second response nobody asked for, ' : 'response '}${r.id ?? '(no id)'}`,
  ]
    .filter(Boolean)
    .join(', ');
  const said = saying(view.responses, item.itemId);
  const what = item.deltas
    ? `arrived silent (its ${dur(item.audioMs)} of audio are all below ${silenceDbfs} dBFS)`
    : 'carried no audio';
  return {
    code: 'second_generation_silent',
    severity: 'major',
    turn: view.turn,
    ...(item.atMs === null ? {} : { atMs: item.atMs }),
    ...(r.done ? { traceMs: ms1(r.done.t) } : {}),
    message:
      `The turn's second generation (${which}) ${what}${said ? `, although its transcript reads${said}` : ''}: ` +
      'the caller heard only the first generation.',
  };
}
