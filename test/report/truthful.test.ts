/**
 * The report's figures tell the truth: percentages bounded and defined, ids labelled by what they are, headlines
 * consistent with the metrics. Each case is a trace analysed for real, then rendered.
 */
import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { coverageFigure } from '../../src/report/figures.js';
import { renderRunHtml } from '../../src/report/runHtml.js';
import { timelineModel } from '../../src/report/timelineModel.js';
import { gapWords } from '../../src/report/turnText.js';
import { oneTurn } from '../analysis/helpers.js';
import { speech, TraceBuilder } from '../analysis/traceBuilder.js';
import { syntheticRun } from './fixtures.js';

const render = (b: TraceBuilder, turns?: number) => {
  const trace = b.build(turns);
  const report = buildReport(trace, analyzeTrace(trace));
  return { report, html: renderRunHtml(report, trace) };
};

/** Text of the header fact or turn figure `name`. */
const fact = (html: string, name: string): string => html.match(new RegExp(`<dt>${name}</dt><dd>([^<]*)`))?.[1] ?? '';

describe('truthful figures', () => {
  it('a connection dropped mid-answer shows coverage n/a with why, never above 100 %', () => {
    const b = new TraceBuilder().connect();
    b.startTurn(100, 1)
      .send(110, 'response.create')
      .recv(130, 'response.created', { response: { id: 'resp_1', status: 'in_progress' } });
    b.recv(500, 'response.output_audio_transcript.delta', { response_id: 'resp_1', item_id: 'item_1', delta: 'One.' });
    for (let i = 0; i < 30; i++) b.delta(501 + i * 20, speech(200));
    b.close(1200, 1006, '', 'server').sessionEnd(1201, 'closed-by-server');
    const { report, html } = render(b);
    const m = report.turns[0]!.metrics!;
    const raw = m.coverage.usageRatio ?? m.coverage.transcriptRatio;
    expect(raw).toBeGreaterThan(1); // what the old page printed as "1xxx %"
    expect(coverageFigure(m).text).toBe('n/a');
    expect(fact(html, 'coverage')).toBe('n/a ');
    expect(html).toMatch(/data-testid="kpi-coverage" title="the connection closed before the answer was complete/);
    for (const p of html.matchAll(/(\d+) %/g)) expect(Number(p[1])).toBeLessThanOrEqual(100);
  });

  it('labels every id by its header name and what it is', () => {
    const b = new TraceBuilder().connect({
      headers: {
        'x-ms-region': 'Simulator',
        'openai-version': '2025-08-28',
        'apim-request-id': 'apim-1',
        'cf-ray': '9a1b-ARN',
        'x-request-id': 'req-2',
      },
    });
    b.close(60, 1000, '', 'client').sessionEnd(61);
    const { html } = render(b);
    expect(html).not.toContain('Request id (x-ms-region)');
    expect(html).not.toContain('Request id (openai-version)');
    expect(html).toContain('Serving region (x-ms-region)</dt><dd class="mono">Simulator');
    expect(html).toContain('OpenAI API version (openai-version)');
    expect(html).toContain('APIM request id (apim-request-id)</dt><dd class="mono">apim-1');
    expect(html).toContain('Cloudflare ray id (cf-ray)</dt><dd class="mono">9a1b-ARN');
    expect(html).toContain('Request id (x-request-id)</dt><dd class="mono">req-2');
  });

  it('a missing response.done with complete audio does not say the audio was cut short', () => {
    const { b } = oneTurn({ pcm: speech(3000), transcript: 'One. Two. Three.', omitResponseDone: true });
    b.add(10_000, { kind: 'timeout', scope: 'turn', waitingFor: 'response.done', afterMs: 9000 }, 1).endTurn(
      10_001,
      'timeout',
    );
    const { report, html } = render(b);
    expect(report.turns[0]!.findings.map((f) => f.code)).toContain('missing_response_done');
    expect(html).not.toMatch(/cut short/i);
    expect(fact(html, 'coverage')).toMatch(/^n\/a/);
  });

  it('a wrong key does not say "2 (0 failing)" while both turns say ERROR, and is a configuration problem', () => {
    const b = new TraceBuilder().connect({
      status: 401,
      body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}',
    });
    b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
    const { report, html } = render(b, 2);
    expect(report.turns.map((t) => t.verdict)).toEqual(['error', 'error']);
    expect(html).not.toContain('(0 failing)');
    expect(fact(html, 'turns')).toBe('2, neither could run');
    expect(html).toContain('data-kind="configuration"');
    expect(html).toContain('The canary could not authenticate to');
    expect(html).not.toContain('<textarea data-testid="support-summary"');
  });

  it('a service-side refusal (HTTP 500) stays an incident with a support summary', () => {
    const b = new TraceBuilder().connect({ status: 500, body: 'Internal Server Error' });
    b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
    const { html } = render(b);
    expect(html).toContain('data-kind="incident"');
    expect(html).toContain('<textarea data-testid="support-summary"');
  });

  it('no capacity (HTTP 503, Retry-After) is capacity: what to do and the wait, no support summary', () => {
    const b = new TraceBuilder().connect({
      status: 503,
      body: 'Service Unavailable',
      headers: { 'retry-after': '20' },
    });
    b.close(50, 1006, '', 'server').sessionEnd(51, 'rejected');
    const { report, html } = render(b);
    expect(report.problem).toMatchObject({ category: 'capacity', kind: 'capacity-unavailable', retryAfterMs: 20_000 });
    expect(html).toContain('data-kind="capacity"');
    expect(html).toContain('data-testid="capacity-problem"');
    expect(html).toContain('retry after 20 s.');
    expect(html).toContain('Capacity/quota, not an outage: retry, raise the quota or move region.');
    expect(html).not.toContain('<textarea data-testid="support-summary"');
    expect(html).toContain('this is a capacity or quota problem');
  });

  it('places the words around a silent gap ("after ‘Five.’")', () => {
    const run = syntheticRun({ turns: 1 });
    const [w] = gapWords(run.report.turns[0]!);
    // 4 s of 19 s of speech into "Sure. One. … Twenty." lands near "Four. Five." ± one word
    expect(`${w!.before} | ${w!.after}`).toMatch(/(Three\.|Four\.|Five\.|Six\.) \| (Four\.|Five\.|Six\.|Seven\.)/);
    const html = renderRunHtml(run.report, run.trace);
    expect(html).toMatch(/data-testid="play-gap" data-turn="1" data-seek-ms="(\d+)"/);
    const seek = Number(html.match(/data-seek-ms="(\d+)"/)![1]);
    expect(seek).toBe(Math.round(run.report.turns[0]!.metrics!.silence.gaps[0]!.atMs - 1000));
  });

  it('draws the listener from the analysis: its line pauses exactly at the underruns the verdict counts', () => {
    // 10 deltas of 200 ms, delivered in real time, with a 1.5 s hole after the 4th: the listener runs dry.
    const times = Array.from({ length: 10 }, (_, i) => 510 + i * 200 + (i >= 4 ? 1500 : 0));
    const { b } = oneTurn({ pcm: speech(2000), transcript: 'One. Two. Three.', chunkBytes: 9600, times });
    const trace = b.build();
    const report = buildReport(trace, analyzeTrace(trace));
    const turn = report.turns[0]!;
    const underruns = turn.metrics!.playback.underruns;
    expect(underruns.length).toBe(1);
    const [line] = timelineModel(trace, turn)!.playback;
    const anchor = turn.metrics!.timing.anchorTraceMs!;
    const u = underruns[0]!;
    // a horizontal stretch of the dashed line: from when the buffer ran dry, for as long as the analysis says
    const flat = line!.findIndex(
      ([t, pos], i) => i > 0 && pos === line![i - 1]![1] && Math.abs(t - line![i - 1]![0] - u.durationMs) < 0.2,
    );
    expect(flat).toBeGreaterThan(0);
    expect(line![flat - 1]![0]).toBeCloseTo(u.traceMs - anchor, 1);
    expect(line![flat]![1]).toBeCloseTo(u.atMs, 1);
    // and it ends where the audio ends
    expect(line!.at(-1)![1]).toBeCloseTo(turn.metrics!.audio.totalMs, 1);
  });
});
