/**
 * Checks that a run's labels describe what the simulator actually did — independent of the analysis under test:
 * every turn that ran was answered with the planned answer (its transcript is the answer, or a prefix of it when
 * the fault ends the response early), and every injected gap sits in the received audio where the label says
 * (digital zeros, or noise near −60 dBFS), with the turn's audio as long as the plan plus the gaps; a silent tail
 * is silent (or noise) from its start to the end at full length; lost last deltas leave the audio short of the
 * plan; a refused connection ran no turn. A reasoning model's turn says its planned preamble first (a preamble-only
 * turn nothing else), and its gaps sit after the preamble's audio.
 */
import type { RecvEntry, Trace } from '../../src/trace/trace.js';
import type { SpokenAnswer } from '../../src/sim/index.js';
import { BYTES_PER_MS, type Case } from './corpus.js';

const squash = (s: string): string => s.replace(/\s+/g, '');

export function checkLabels(c: Case, trace: Trace, spoken: ReadonlyMap<string, SpokenAnswer>): string[] {
  const problems: string[] = [];
  c.prompts.forEach((p, i) => {
    const turn = i + 1;
    const ran = trace.entries.some((e) => e.kind === 'turn-start' && e.turn === turn);
    if (!ran) return;
    const text = squash(
      trace.entries
        .filter(
          (e): e is RecvEntry =>
            e.kind === 'recv' && e.turn === turn && e.type === 'response.output_audio_transcript.delta',
        )
        .map((e) => String(e.event.delta ?? ''))
        .join(''),
    );
    const preamble = c.planned?.[i]?.preamble ?? '';
    const faulty = c.expect?.turn === turn;
    const answer = squash(
      faulty && c.kind === 'preamble-only' ? preamble : preamble + (c.scenario.answer ?? p.answer ?? ''),
    );
    const endsEarly =
      faulty &&
      /^(drop|close-|status-|no-response-done|failed-after-partial|output-cap|capacity|rate-limit|session-cap)/.test(
        c.kind,
      );
    if (endsEarly ? !answer.startsWith(text) : text !== answer)
      problems.push(`turn ${turn}: transcript "${text.slice(0, 40)}…" is not the planned answer to ${p.id}`);
  });
  if (c.scenario.refusal && trace.entries.some((e) => e.kind === 'recv' && e.type === 'session.created'))
    problems.push('a refused connection got session.created');
  const faultTurn = c.expect?.turn;
  if (faultTurn !== undefined && (c.tail || c.kind === 'lose-last-deltas')) {
    const pcm = trace.outputAudio.get(faultTurn) ?? Buffer.alloc(0);
    const planned = spoken.get(c.prompts[faultTurn - 1]!.id)!.pcm.length;
    if (c.kind === 'lose-last-deltas' && !(pcm.length < planned - 100 * BYTES_PER_MS))
      problems.push(`turn ${faultTurn}: ${pcm.length} bytes of audio, expected well short of the planned ${planned}`);
    if (c.tail) {
      if (pcm.length !== planned)
        problems.push(`turn ${faultTurn}: ${pcm.length} bytes of audio with a silent tail, planned ${planned}`);
      const from = Math.floor((c.tail.atMs * BYTES_PER_MS) / 2) * 2;
      let sum = 0;
      for (let o = from; o + 1 < pcm.length; o += 2) sum += pcm.readInt16LE(o) ** 2;
      const db = sum ? 10 * Math.log10(sum / ((pcm.length - from) / 2) / 32768 ** 2) : -Infinity;
      const ok = c.tail.noiseDbfs === undefined ? db === -Infinity : Math.abs(db - c.tail.noiseDbfs) < 3;
      if (!ok)
        problems.push(
          `tail from ${c.tail.atMs} ms: ${db.toFixed(1)} dBFS, expected ${c.tail.noiseDbfs ?? 'digital silence'}`,
        );
    }
  }
  const gapTurn = c.gaps[0]?.turn;
  if (gapTurn !== undefined) {
    const pcm = trace.outputAudio.get(gapTurn) ?? Buffer.alloc(0);
    const planned =
      (c.planned?.[gapTurn - 1]?.preambleBytes ?? 0) +
      spoken.get(c.prompts[gapTurn - 1]!.id)!.pcm.length +
      c.gaps.reduce((s, g) => s + Math.round(g.injectedMs * BYTES_PER_MS), 0);
    if (pcm.length !== planned) problems.push(`turn ${gapTurn}: ${pcm.length} bytes of audio, planned ${planned}`);
    for (const g of c.gaps) {
      const from = Math.round(g.injectedAtMs * BYTES_PER_MS);
      const to = from + Math.round(g.injectedMs * BYTES_PER_MS);
      if (to > pcm.length) {
        problems.push(`gap at ${g.injectedAtMs} ms lies beyond the received audio`);
        continue;
      }
      let sum = 0;
      for (let o = from; o + 1 < to; o += 2) sum += pcm.readInt16LE(o) ** 2;
      const db = sum ? 10 * Math.log10(sum / ((to - from) / 2) / 32768 ** 2) : -Infinity;
      const ok = g.noise ? db > -63 && db < -57 : db === -Infinity;
      if (!ok)
        problems.push(
          `gap at ${g.injectedAtMs} ms: ${db.toFixed(1)} dBFS in the received audio, expected ${g.noise ? '≈ −60' : 'digital silence'}`,
        );
    }
  }
  return problems;
}
