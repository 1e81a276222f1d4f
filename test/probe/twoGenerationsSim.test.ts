/**
 * The probe against the simulator's `two-generations` scenario (a reasoning model speaks only its preamble, then
 * 1.2 s after that response's `response.done` starts the answer as a second response, unasked; a
 * `response.create` in between is refused): both generations are turn 1, the next prompt waits for the second,
 * and a probe that asks too early has its refused create sent again and answered. None of the four symptoms a
 * healthy two-generation turn used to show remains: `expected_content_missing` on the preamble turn, a negative
 * first audio on the next, the refusal as a failure, `missing_response_done`. (The reasoning pause inside a later
 * turn's answer is the analysis' to judge, not this test's.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace, type Finding } from '../../src/analysis/index.js';
import type { ProbeOptions } from '../../src/probe/options.js';
import { runProbe } from '../../src/probe/session.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { startSimulator, type RunningSimulator } from '../../src/sim/index.js';
import { entriesOfKind, received, type Trace } from '../../src/trace/trace.js';
import { shortCatalog } from '../handlers/roundFixture.js';

const KEY = 'two-generations-key-5b1e';
let sim: RunningSimulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0, apiKey: KEY, catalog: shortCatalog() });
});
afterAll(async () => sim?.close());

function probe(o: Partial<ProbeOptions>): Promise<Trace> {
  const endpoint = resolveEndpoint({ endpoint: sim.url('azure-ga', { scenario: 'two-generations' }) });
  return runProbe(
    { name: 'two-generations', endpoint, auth: { mode: 'api-key', key: KEY } },
    { prompts: shortCatalog(), turns: 2, turnTimeoutMs: 20_000, ...o },
  );
}

const THE_OLD_SYMPTOMS = ['expected_content_missing', 'missing_response_done'];
const symptoms = (findings: Finding[]): Finding[] =>
  findings.filter(
    (f) => THE_OLD_SYMPTOMS.includes(f.code) || (f.code === 'server_error_event' && f.severity !== 'info'),
  );

describe('the simulator’s two-generations scenario', () => {
  it('a probe that waits: both generations are turn 1, and turn 2 starts after the second', async () => {
    const trace = await probe({});
    const created = received(trace, 'response.created');
    expect(created.map((e) => e.turn)).toEqual([1, 1, 2]);
    const secondDone = received(trace, 'response.done', 1)[1]!;
    expect(entriesOfKind(trace, 'turn-start')[1]!.t).toBeGreaterThan(secondDone.t);
    expect(received(trace, 'error')).toEqual([]);
    const a = analyzeTrace(trace);
    expect(symptoms(a.turns.flatMap((t) => t.findings))).toEqual([]);
    expect(a.turns[1]!.metrics!.timing.firstAudioMs).toBeGreaterThanOrEqual(0);
    expect(a.turns[0]!.metrics!.transcript.text.toLowerCase()).toContain('ten');
  });

  it('a probe that asks within the 1.2 s: the refused create is sent again after the second generation, and answered', async () => {
    // no generation window, prompt audio at once: turn 2's create reaches the service while turn 1 is still busy
    const trace = await probe({ generationWindowMs: 0, pace: 'burst' });
    const refusals = received(trace, 'error');
    expect(refusals.map((e) => (e.event.error as { code: string }).code)).toEqual([
      'conversation_already_has_active_response',
    ]);
    const creates = entriesOfKind(trace, 'send').filter((e) => e.type === 'response.create' && e.turn === 2);
    expect(creates).toHaveLength(2);
    expect((refusals[0]!.event.error as { event_id: string }).event_id).toBe(creates[0]!.event.event_id);
    expect(received(trace, 'response.created').map((e) => e.turn)).toEqual([1, 1, 2]);
    expect(creates[1]!.t).toBeGreaterThan(received(trace, 'response.done', 1)[1]!.t);
    expect(entriesOfKind(trace, 'turn-end').map((e) => e.outcome)).toEqual(['response-done', 'response-done']);
    const a = analyzeTrace(trace);
    expect(symptoms(a.turns.flatMap((t) => t.findings))).toEqual([]);
    const timing = a.turns[1]!.metrics!.timing;
    expect(timing.anchorTraceMs).toBeCloseTo(entriesOfKind(trace, 'turn-clock')[0]!.t, 0);
    expect(timing.firstAudioMs).toBeGreaterThanOrEqual(0);
  });
});
