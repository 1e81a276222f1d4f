import { performance } from 'node:perf_hooks';
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { COUNT } from './helpers.js';
import { healthySession, speech } from './traceBuilder.js';

describe('analysis speed', () => {
  it('analyses a 15 s answer more than 1000× faster than real time (< 15 ms)', () => {
    const trace = healthySession(speech(15_000), COUNT, 1).b.build();
    for (let i = 0; i < 5; i++) analyzeTrace(trace); // warm up the JIT
    const runs = Array.from({ length: 21 }, () => {
      const t0 = performance.now();
      analyzeTrace(trace);
      return performance.now() - t0;
    }).sort((a, b) => a - b);
    const median = runs[10]!;
    expect(median).toBeLessThan(15);
  });
});
