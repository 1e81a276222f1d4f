/**
 * `probe_stall`: the canary's own event loop was blocked during the turn (`probe-stall` entries). Events that arrived
 * while it was blocked were stamped late, so a delivery gap or an underrun over that interval is the canary's doing.
 * The delivery detectors take the blocked time out of every gap and underrun; this one says so, once per blocked
 * interval: minor when it explains a gap or underrun that would otherwise have been reported, info for any other
 * blocked interval of at least `underrunReportMs` while a response was open. Never fails a turn.
 */
import { audioGaps } from '../delivery.js';
import type { Finding } from '../findings.js';
import { ms1 } from '../fields.js';
import { dur, sec } from '../format.js';
import { playResponse } from '../playback.js';
import { blockedWithin, probeStalls, stallsWithin, type BlockedInterval } from '../probeHealth.js';
import type { TurnDetector } from './types.js';

export const probeStall: TurnDetector = {
  name: 'probe_stall',
  detect({ trace, view, config }): Finding[] {
    const all = stallsWithin(probeStalls(trace), view.fromMs, view.toMs);
    if (!all.length) return [];
    const explained = new Map<BlockedInterval, string>();
    const note = (stalls: BlockedInterval[], what: string): void => {
      for (const s of stalls) if (!explained.has(s)) explained.set(s, what);
    };
    for (const r of view.responses) {
      for (const g of audioGaps(r)) {
        if (g.durationMs < config.stallMinMs) continue;
        const blocked = blockedWithin(all, g.fromMs, g.toMs);
        if (blocked > 0)
          note(stallsWithin(all, g.fromMs, g.toMs), `${dur(blocked)} of the ${dur(g.durationMs)} without audio`);
      }
      for (const u of playResponse(r, config.jitterBufferMs).underruns) {
        if (u.durationMs < config.underrunReportMs) continue;
        const blocked = blockedWithin(all, u.traceMs, u.traceMs + u.durationMs);
        if (blocked > 0)
          note(
            stallsWithin(all, u.traceMs, u.traceMs + u.durationMs),
            `${dur(blocked)} of the listener's ${dur(u.durationMs)} dropout at ${sec(u.atMs)} into the answer`,
          );
      }
    }
    const open = (s: BlockedInterval): boolean =>
      view.responses.some((r) => s.fromMs < r.openEnd && s.toMs > r.openStart);
    const out: Finding[] = [];
    for (const s of all) {
      const what = explained.get(s);
      if (!what && (s.durationMs < config.underrunReportMs || !open(s))) continue;
      const head = `The canary itself was blocked for ${dur(s.durationMs)} (its event loop did not run) at ${sec(s.toMs - view.fromMs)} into the turn`;
      out.push({
        code: 'probe_stall',
        severity: what ? 'minor' : 'info',
        turn: view.turn,
        durationMs: ms1(s.durationMs),
        traceMs: ms1(s.fromMs),
        message: what
          ? `${head}; that explains ${what}, which is not counted against the service.`
          : `${head}; events that arrived meanwhile were stamped late.`,
      });
    }
    return out;
  },
};
