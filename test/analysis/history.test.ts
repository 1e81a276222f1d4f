import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, historySamples, learnRates } from '../../src/analysis/index.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { healthySession, speech } from './traceBuilder.js';

const sample = (promptId: string, audioMs: number, transcriptChars: number, outputAudioTokens: number | null) => ({ promptId, audioMs, transcriptChars, outputAudioTokens });

describe('learned rates', () => {
  it('median per prompt from 5 samples; per target otherwise; defaults below 5', () => {
    const samples = [10, 11, 12, 13, 30].map((cps) => sample('count', 10_000, cps * 10, cps * 2 * 10));
    const cfg = DEFAULT_DETECTION_CONFIG;
    expect(learnRates({ samples }, 't', 'count', cfg)).toEqual({
      charsPerSecond: { value: 12, source: 'learned-prompt' },
      audioTokensPerSecond: { value: 24, source: 'learned-prompt' },
    });
    expect(learnRates({ samples }, 't', 'planets', cfg).charsPerSecond).toEqual({ value: 12, source: 'learned-target' });
    expect(learnRates({ samples: samples.slice(1) }, 't', 'count', cfg).charsPerSecond).toEqual({ value: 15, source: 'default' });
    expect(learnRates({ target: 'other', samples }, 't', 'count', cfg).charsPerSecond.source).toBe('default');
  });

  it('ignores samples too short to say anything, and samples without usage for the usage ratio', () => {
    const samples = [...Array.from({ length: 5 }, () => sample('p', 1500, 40, 15)), ...Array.from({ length: 5 }, () => sample('p', 10_000, 150, null))];
    expect(learnRates({ samples }, 't', 'p', DEFAULT_DETECTION_CONFIG)).toEqual({
      charsPerSecond: { value: 15, source: 'learned-prompt' },
      audioTokensPerSecond: { value: 10, source: 'default' },
    });
  });

  it('historySamples takes the passing turns of a report', () => {
    const trace = healthySession(speech(10_000), COUNT, 2).b.build();
    expect(historySamples(buildReport(trace, analyzeTrace(trace)))).toEqual([
      sample('count-to-twenty', 10_000, 151, 100),
      sample('count-to-twenty', 10_000, 151, 100),
    ]);
  });

  it('a learned 20 tokens/s makes a 10 % usage shortfall visible that the default ratio would call healthy', () => {
    // Service at 20 tokens/s: 10 s of audio is reported as 200 tokens; 9 s arrived.
    const { b } = oneTurn({ pcm: speech(9000), transcript: COUNT, audioTokens: 200 });
    expect(turnFindings(analyze(b))).toEqual([]);
    const history = { samples: Array.from({ length: 5 }, () => sample('count-to-twenty', 10_000, 151, 200)) };
    expect(turnFindings(analyze(b, {}, history)).map((f) => [f.code, f.durationMs])).toEqual([['audio_truncated', 1000]]);
  });
});
