/** A plain-text table of a round's outcomes for the terminal. */
import { seconds } from '../report/format.js';
import type { RoundResult } from '../runner/round.js';

export function roundTable(r: RoundResult): string {
  const rows = r.outcomes.map(({ summary: s }) => [
    s.target,
    s.flavour,
    // the run's classification, as the probe prints it: ERROR (configuration), FAIL (capacity)
    `${s.verdict.toUpperCase()}${s.verdict !== 'pass' && s.category && s.category !== 'incident' ? ` (${s.category})` : ''}`,
    s.verdict === 'error' && s.failingTurns === 0 ? 'not run' : `${s.failingTurns}/${s.turns}`, // "0/2" next to ERROR would read as healthy
    s.longestGapMs > 0 ? seconds(s.longestGapMs) : '-',
    s.timeToFirstAudioMs !== undefined ? `${Math.round(s.timeToFirstAudioMs)} ms` : '-',
    s.findingCodes.join(', ') || '-',
  ]);
  const head = ['target', 'flavour', 'verdict', 'failing', 'longest gap', 'first audio', 'findings'];
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]): string =>
    cells
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  return [
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    ...r.notProbed.map((n) => `${n.target}: not probed (${n.reason})`),
  ].join('\n');
}

export function printRoundTable(r: RoundResult): void {
  console.log(`\n${roundTable(r)}`);
  // both members of a transport pair carry the same sentence: print each once
  for (const line of new Set(r.outcomes.flatMap(({ summary: s }) => (s.comparison ? [s.comparison] : []))))
    console.log(`  ${line}`);
}
