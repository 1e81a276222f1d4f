/**
 * Figures that need a definition before they are shown: a turn's audio coverage is a percentage only when what it
 * is measured against is complete (a finished response with usage, or its final transcript); otherwise it is
 * "n/a" with the reason — a dropped connection's partial transcript does not make "212 %". Pure, from the report.
 */
import type { TurnMetrics } from '../analysis/metrics.js';
import { percent } from './format.js';

export interface Figure {
  /** What the page shows: "98 %", or "n/a". */
  text: string;
  /** Why it is n/a (or what it is measured against), for a tooltip or a note. */
  why: string;
}

/** Received audio ÷ the audio the usage (else the transcript) implies, bounded to 100 %; n/a with why. */
export function coverageFigure(m: TurnMetrics | null): Figure {
  if (!m) return { text: 'n/a', why: 'the turn did not run' };
  if (m.audio.bytes === 0) return { text: 'n/a', why: 'no audio arrived' };
  if (m.connection.closedDuringTurn)
    return { text: 'n/a', why: 'the connection closed before the answer was complete, so its full length is unknown' };
  if (!m.terminal.responseDone) return { text: 'n/a', why: 'no response.done, so the answer’s full length is unknown' };
  const usage = m.coverage.usageRatio;
  if (usage !== null)
    return {
      text: percent(usage),
      why: `received audio ÷ the ${ratioBasis(m.coverage.audioTokensPerSecond)} the usage implies`,
    };
  const transcript = m.coverage.transcriptRatio;
  if (transcript !== null)
    return { text: percent(transcript), why: 'received audio ÷ the speech the transcript implies' };
  return { text: 'n/a', why: 'neither usage nor a transcript to measure against' };
}

function ratioBasis(tokensPerSecond: number): string {
  return `audio (${tokensPerSecond} tokens/s)`;
}
