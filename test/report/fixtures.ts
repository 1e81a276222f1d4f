/** Synthetic runs for the report tests: real PCM and a trace shaped like the probe's, analysed for real. */
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport, type Report } from '../../src/analysis/report.js';
import type { Trace } from '../../src/trace/trace.js';
import { answer, concat, silence, speech, TraceBuilder } from '../analysis/traceBuilder.js';

export const COUNT =
  'Sure. One. Two. Three. Four. Five. Six. Seven. Eight. Nine. Ten. Eleven. Twelve. Thirteen. Fourteen. Fifteen. Sixteen. Seventeen. Eighteen. Nineteen. Twenty.';

export interface SyntheticRun {
  trace: Trace;
  report: Report;
}

export interface SyntheticOptions {
  /** Transcript of every turn (default {@link COUNT}). */
  transcript?: string;
  /** Turn 1 gets 2 s of digital silence at 4 s (default true). */
  gap?: boolean;
  /** Turn 2's audio stops after this many ms; transcript and usage stay complete. */
  truncateTurn2AtMs?: number;
  turns?: number;
  /** Extra upgrade-response headers (e.g. hostile values). */
  headers?: Record<string, string>;
  targetName?: string;
}

/** A 3-turn run (21 s answers delivered at ~4× real time), analysed and reported. */
export function syntheticRun(o: SyntheticOptions = {}): SyntheticRun {
  const turns = o.turns ?? 3;
  const b = new TraceBuilder({ targetName: o.targetName ?? 'synthetic-target' }).connect({
    headers: { 'apim-request-id': 'apim-123', 'x-request-id': 'req-456', ...o.headers },
    sessionId: 'sess_SYNTH',
  });
  b.send(70, 'session.update');
  b.recv(90, 'session.updated');
  let at = 100;
  for (let turn = 1; turn <= turns; turn++) {
    const pcm = turn === 1 && o.gap !== false ? concat(speech(4000), silence(2000), speech(15000)) : speech(21000);
    const keepBytes = turn === 2 && o.truncateTurn2AtMs !== undefined ? o.truncateTurn2AtMs * 48 : undefined;
    const p = answer(b, {
      turn,
      at,
      pcm,
      transcript: o.transcript ?? COUNT,
      intervalMs: 50,
      ...(keepBytes === undefined ? {} : { keepBytes }),
    });
    at = p.endAt + 1;
  }
  b.close(at + 5, 1000, 'probe finished', 'client').sessionEnd(at + 6);
  const trace = b.build(turns);
  for (let turn = 1; turn <= turns; turn++) trace.promptAudio.set(turn, speech(3000));
  return { trace, report: buildReport(trace, analyzeTrace(trace)) };
}

/** The markup a hostile service might put into any string it controls. */
export const HOSTILE = '<img src=x onerror=alert(1)><script>alert(2)</script>"\'&</textarea></script>';
