/**
 * Silence inside the speech: RMS per frame (default 20 ms) against a dBFS threshold; silent runs between the first
 * and the last non-silent frame, their edges refined to 1 ms so a gap's length is measured to the millisecond.
 * Leading and trailing silence are not gaps (the trailing one is measured: `silent_tail` judges it). Low-level noise
 * below the threshold is silence.
 */
import type { DetectionConfig } from './config.js';
import { ms1 } from './fields.js';
import type { SilenceMetrics, SilentRun } from './metrics.js';
import { SAMPLES_PER_MS, powerOfDbfs, windowEnergy, type WindowEnergy } from './pcm.js';

/** Silence analysis of PCM16LE 24 kHz mono audio. */
export function analyzeSilence(
  pcm: Uint8Array,
  config: Pick<DetectionConfig, 'frameMs' | 'silenceDbfs' | 'minSilentGapMs'>,
): SilenceMetrics {
  const energy = windowEnergy(pcm);
  const runs = silentRuns(energy, config.frameMs, powerOfDbfs(config.silenceDbfs));
  if (!runs) return noSpeech(config);
  return {
    thresholdDbfs: config.silenceDbfs,
    frameMs: config.frameMs,
    speechStartMs: ms1(runs.speechStart),
    speechEndMs: ms1(runs.speechEnd),
    trailingSilenceMs: ms1(energy.samples / SAMPLES_PER_MS - runs.speechEnd),
    gaps: runs.inside.filter((r) => r.durationMs >= config.minSilentGapMs),
    longestSilentRunMs: runs.inside.reduce((m, r) => Math.max(m, r.durationMs), 0),
  };
}

/** The silence metrics of audio without speech (all of it below the threshold, or none at all). */
export function noSpeech(config: Pick<DetectionConfig, 'frameMs' | 'silenceDbfs'>): SilenceMetrics {
  return {
    thresholdDbfs: config.silenceDbfs,
    frameMs: config.frameMs,
    speechStartMs: null,
    speechEndMs: null,
    trailingSilenceMs: null,
    gaps: [],
    longestSilentRunMs: 0,
  };
}

interface Runs {
  speechStart: number;
  speechEnd: number;
  inside: SilentRun[];
}

function silentRuns(e: WindowEnergy, frameMs: number, threshold: number): Runs | undefined {
  const nWin = e.sums.length;
  const count = (w: number): number => (w === nWin - 1 ? e.lastCount : SAMPLES_PER_MS);
  const winSilent = (w: number): boolean => e.sums[w]! < threshold * count(w);
  const nFrames = Math.ceil(nWin / frameMs);
  const silent = new Uint8Array(nFrames);
  let firstLoud = -1;
  let lastLoud = -1;
  for (let f = 0; f < nFrames; f++) {
    const from = f * frameMs;
    const to = Math.min(from + frameMs, nWin);
    let sum = 0;
    let n = 0;
    for (let w = from; w < to; w++) {
      sum += e.sums[w]!;
      n += count(w);
    }
    silent[f] = sum < threshold * n ? 1 : 0;
    if (!silent[f]) {
      if (firstLoud < 0) firstLoud = f;
      lastLoud = f;
    }
  }
  if (firstLoud < 0) return undefined;

  // Refine speech edges to the first / last non-silent 1-ms window of the outer loud frames.
  let startWin = firstLoud * frameMs;
  while (winSilent(startWin)) startWin++;
  let endWin = Math.min((lastLoud + 1) * frameMs, nWin) - 1;
  while (winSilent(endWin)) endWin--;
  const speechEnd = endWin === nWin - 1 ? e.samples / SAMPLES_PER_MS : endWin + 1;

  const inside: SilentRun[] = [];
  for (let f = firstLoud + 1; f < lastLoud; f++) {
    if (!silent[f]) continue;
    let g = f;
    while (g + 1 < lastLoud && silent[g + 1]) g++;
    // Extend into the neighbouring loud frames by whole silent 1-ms windows.
    let from = f * frameMs;
    const fromLimit = (f - 1) * frameMs;
    while (from - 1 >= fromLimit && winSilent(from - 1)) from--;
    let to = (g + 1) * frameMs;
    const toLimit = Math.min((g + 2) * frameMs, nWin);
    while (to < toLimit && winSilent(to)) to++;
    inside.push({ atMs: from, durationMs: to - from });
    f = g;
  }
  return { speechStart: startWin, speechEnd, inside };
}
