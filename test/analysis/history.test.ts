import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, historySamples, learnRates } from '../../src/analysis/index.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { healthySession, speech } from './traceBuilder.js';

const sample = (promptId: string, audioMs: number, transcriptChars: number, outputAudioTokens: number | null) => ({
  promptId,
  audioMs,
  transcriptChars,
  outputAudioTokens,
});

describe('learned rates', () => {
  it('median per prompt from 5 samples; per target otherwise; defaults below 5', () => {
    // Usage as reported: the audio at 2 × cps tokens/s plus the 3 tokens of per-item overhead the learner takes off.
    const samples = [10, 11, 12, 13, 30].map((cps) => sample('count', 10_000, cps * 10, cps * 2 * 10 + 3));
    const cfg = DEFAULT_DETECTION_CONFIG;
    expect(learnRates({ samples }, 't', 'count', cfg)).toEqual({
      charsPerSecond: { value: 12, source: 'learned-prompt' },
      audioTokensPerSecond: { value: 24, source: 'learned-prompt' },
    });
    expect(learnRates({ samples }, 't', 'planets', cfg).charsPerSecond).toEqual({
      value: 12,
      source: 'learned-target',
    });
    expect(learnRates({ samples: samples.slice(1) }, 't', 'count', cfg).charsPerSecond).toEqual({
      value: 15,
      source: 'default',
    });
    expect(learnRates({ target: 'other', samples }, 't', 'count', cfg).charsPerSecond.source).toBe('default');
  });

  it('ignores samples too short to say anything, and samples without usage for the usage ratio', () => {
    const samples = [
      ...Array.from({ length: 5 }, () => sample('p', 1500, 40, 15)),
      ...Array.from({ length: 5 }, () => sample('p', 10_000, 150, null)),
    ];
    expect(learnRates({ samples }, 't', 'p', DEFAULT_DETECTION_CONFIG)).toEqual({
      charsPerSecond: { value: 15, source: 'learned-prompt' },
      audioTokensPerSecond: { value: 20, source: 'default' },
    });
  });

  it('historySamples takes the passing turns of a report', () => {
    const trace = healthySession(speech(10_000), COUNT, 2).b.build();
    expect(historySamples(buildReport(trace, analyzeTrace(trace)))).toEqual([
      sample('count-to-twenty', 10_000, 151, 203),
      sample('count-to-twenty', 10_000, 151, 203),
    ]);
  });

  it('a learned 10 tokens/s makes a 10 % usage shortfall visible that the default ratio would call healthy', () => {
    // A deployment counting half the documented rate: 10 s of audio is reported as 103 tokens; 9 s arrived.
    const { b } = oneTurn({ pcm: speech(9000), transcript: COUNT, audioTokens: 103 });
    expect(turnFindings(analyze(b))).toEqual([]);
    const history = { samples: Array.from({ length: 5 }, () => sample('count-to-twenty', 10_000, 151, 103)) };
    expect(turnFindings(analyze(b, {}, history)).map((f) => [f.code, f.durationMs])).toEqual([
      ['audio_truncated', 1000],
    ]);
  });
});

describe('a deployment whose token rate differs from the default', () => {
  // 25 tokens/s: every healthy 10 s answer reports 253 tokens, 80 % "coverage" at the default 20 tokens/s.
  const run = (history?: { samples: ReturnType<typeof historySamples> }) => {
    const trace = oneTurn({ pcm: speech(10_000), transcript: COUNT, audioTokens: 253 }).b.build();
    const analysis = analyzeTrace(trace, {}, history);
    return { analysis, report: buildReport(trace, analysis) };
  };

  it('fails on usage alone at first, but those turns teach the rate, and then the target passes', () => {
    const first = run();
    expect(first.analysis.turns[0]!.findings.map((f) => f.code)).toEqual(['audio_truncated']);
    const samples = historySamples(JSON.parse(JSON.stringify(first.report)));
    expect(samples).toEqual([
      {
        promptId: first.report.turns[0]!.promptId,
        audioMs: 10_000,
        transcriptChars: COUNT.length,
        outputAudioTokens: 253,
      },
    ]);
    const learned = run({ samples: Array.from({ length: 5 }, () => samples[0]!) });
    expect(learned.analysis.turns[0]!.metrics!.coverage.audioTokensSource).not.toBe('default');
    expect(learned.analysis.turns[0]!.findings).toEqual([]);
  });

  it('does not learn from a turn with transcript evidence of a cut, nor from a usage shortfall judged with a learned rate', () => {
    const cut = oneTurn({ pcm: speech(12_000), transcript: COUNT, keepBytes: 10_500 * 48 }).b.build();
    const cutReport = buildReport(cut, analyzeTrace(cut));
    expect(cutReport.turns[0]!.verdict).toBe('fail');
    expect(historySamples(cutReport)).toEqual([]);
    const healthy20 = Array.from({ length: 5 }, () => sample('count-to-twenty', 10_000, COUNT.length, 203));
    const shortOfLearned = oneTurn({ pcm: speech(9000), transcript: COUNT, audioTokens: 203 }).b.build();
    const report = buildReport(shortOfLearned, analyzeTrace(shortOfLearned, {}, { samples: healthy20 }));
    expect(report.turns[0]!.findings.map((f) => f.code)).toEqual(['audio_truncated']);
    expect(historySamples(report)).toEqual([]);
  });
});
