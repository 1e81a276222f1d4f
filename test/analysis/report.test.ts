import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_DETECTION_CONFIG, FINDING_CODES } from '../../src/analysis/index.js';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport, REPORT_SCHEMA_VERSION, type Report } from '../../src/analysis/report.js';
import { summarizeReport } from '../../src/analysis/summary.js';
import { COUNT } from './helpers.js';
import { reportErrors, REPORT_SCHEMA } from './schema.js';
import { answer, concat, silence, speech, TraceBuilder } from './traceBuilder.js';

const HEADERS = {
  'apim-request-id': 'apim-1',
  'x-request-id': 'req-1',
  'x-ms-region': 'Sweden Central',
  'openai-processing-ms': '12',
  'x-ms-deployment-name': 'gpt-realtime',
  'content-type': 'text/plain',
  date: 'Thu, 01 Jan 2026 00:00:00 GMT',
};

/** Turn 1 healthy, turn 2 with a 2.3 s gap and its last 1.5 s cut. */
function twoTurnTrace() {
  const b = new TraceBuilder().connect({ headers: HEADERS, sessionId: 'sess_ABC' });
  const p1 = answer(b, { turn: 1, at: 100, pcm: speech(10_000), transcript: COUNT });
  const pcm = concat(speech(4100), silence(2300), speech(5600));
  const p2 = answer(b, {
    turn: 2,
    at: p1.endAt + 1,
    pcm,
    transcript: COUNT,
    keepBytes: 10_500 * 48,
    firstAudioMs: 600,
  });
  b.close(p2.endAt + 5, 1000, 'probe finished', 'client').sessionEnd(p2.endAt + 6);
  return b.build();
}

describe('buildReport', () => {
  const trace = twoTurnTrace();
  const analysis = analyzeTrace(trace);
  const report = buildReport(trace, analysis);

  it('validates against schema/report.schema.json', () => {
    expect(reportErrors(report)).toEqual([]);
  });

  it('carries version, target, times and options', () => {
    expect(report.schemaVersion).toBe(1);
    expect(REPORT_SCHEMA_VERSION).toBe(1);
    expect(report.target).toEqual({
      name: 'test-target',
      flavour: 'azure-ga',
      dialect: 'ga',
      endpoint: 'wss://example.openai.azure.com/openai/v1/realtime?model=gpt-realtime',
      host: 'example.openai.azure.com',
      deployment: 'gpt-realtime',
      region: 'swedencentral',
    });
    // Turn 2 (12 s in 60 deltas) ends at 7127; the probe closes at 7132 and the session ends at 7133.
    expect(report.times).toEqual({
      startedAt: '2026-01-01T00:00:00.000Z',
      endedAt: '2026-01-01T00:00:07.133Z',
      durationMs: 7133,
    });
    expect(report.options).toEqual({ turns: 2, turnDetection: 'manual', modality: 'audio', turnTimeoutMs: 30_000 });
  });

  it('keeps every correlation id: session, conversation, responses, items, request-id-like headers', () => {
    expect(report.correlation).toEqual({
      sessionId: 'sess_ABC',
      conversationIds: ['conv_1'],
      responseIds: ['resp_1', 'resp_2'],
      itemIds: ['item_1', 'item_2'],
      requestIds: {
        'x-ms-client-request-id': 'client-req-1',
        'apim-request-id': 'apim-1',
        'x-request-id': 'req-1',
        'x-ms-region': 'Sweden Central',
        'openai-processing-ms': '12',
        'x-ms-deployment-name': 'gpt-realtime',
      },
    });
  });

  it('turns with prompt, metrics, findings and verdict; the run verdict and summary', () => {
    expect(
      report.turns.map((t) => [
        t.turn,
        t.promptId,
        t.promptText,
        t.expect,
        t.outcome,
        t.verdict,
        t.findings.map((f) => f.code),
      ]),
    ).toEqual([
      [1, 'count-to-twenty', 'Count to twenty.', ['twenty'], 'response-done', 'pass', []],
      [
        2,
        'count-to-twenty',
        'Count to twenty.',
        ['twenty'],
        'response-done',
        'fail',
        ['audio_truncated', 'silent_gap'],
      ],
    ]);
    expect(report.turns[1]!.metrics).toEqual(analysis.turns[1]!.metrics);
    expect([report.verdict, report.findings]).toEqual(['fail', []]);
    expect(report.summary).toEqual({
      turns: 2,
      failingTurns: 1,
      errorTurns: 0,
      findingCodes: ['audio_truncated', 'silent_gap'],
      headline:
        'Turn 2: The audio ends at 10.5 s, about 1.5 s short: usage reports 243 audio tokens ≈ 12.0 s (received 88 ' +
        '%); 17 characters of transcript (≈ 1.1 s) arrived after the last audio delta.',
      longestGapMs: 2300,
      minCoverage: 0.875,
      medianFirstAudioMs: 500,
    });
    expect(report.detection.config).toEqual(DEFAULT_DETECTION_CONFIG);
  });

  it('is deterministic and leaves the optional fields out unless given', () => {
    expect(JSON.stringify(buildReport(trace, analyzeTrace(trace)))).toBe(JSON.stringify(report));
    expect('comparison' in report || 'artifacts' in report).toBe(false);
    const withExtras = buildReport(trace, analysis, {
      comparison: [
        {
          group: 'eu',
          baseline: 'openai-direct',
          message: 'swedencentral: 1 of 2 turns truncated; baseline openai: 0 of 2.',
        },
      ],
      artifacts: { events: 'events.jsonl', 'turn-1': 'turn-1.wav' },
    });
    expect(reportErrors(withExtras)).toEqual([]);
    expect(withExtras.comparison![0]!.baseline).toBe('openai-direct');
  });

  it('the schema is not vacuous', () => {
    const bad = JSON.parse(JSON.stringify(report)) as Report & Record<string, unknown>;
    bad.turns[1]!.findings[0]!.code = 'made_up_code' as never;
    expect(reportErrors(bad).join()).toContain('/turns/1/findings/0/code');
    const missing = JSON.parse(JSON.stringify(report)) as Record<string, unknown>;
    delete missing.verdict;
    expect(reportErrors(missing).join()).toContain("must have required property 'verdict'");
    expect(reportErrors({ ...report, extra: 1 }).join()).toContain('must NOT have additional properties');
  });
});

describe('a rejected run', () => {
  it('reports verdict error with the rejection and validates', () => {
    const b = new TraceBuilder()
      .connect({ status: 401, body: 'Access denied', headers: { 'apim-request-id': 'apim-9' } })
      .sessionEnd(41, 'rejected');
    const trace = b.build(2);
    const report = buildReport(trace, analyzeTrace(trace));
    expect(reportErrors(report)).toEqual([]);
    expect(report.verdict).toBe('error');
    expect(report.correlation).toMatchObject({
      sessionId: null,
      requestIds: { 'apim-request-id': 'apim-9', 'x-ms-client-request-id': 'client-req-1' },
    });
    expect(report.turns.map((t) => [t.outcome, t.verdict, t.metrics])).toEqual([
      ['not-started', 'error', null],
      ['not-started', 'error', null],
    ]);
    expect(report.summary).toMatchObject({
      errorTurns: 2,
      findingCodes: ['connection_rejected'],
      headline: 'The WebSocket upgrade was rejected with HTTP 401 Unauthorized: “Access denied”.',
      minCoverage: null,
      medianFirstAudioMs: null,
    });
  });
});

describe('summarizeReport', () => {
  it('says turns that could not run as such, never "0 failing" (a refused key)', () => {
    const trace = new TraceBuilder()
      .connect({ status: 401, body: 'Access denied' })
      .sessionEnd(41, 'rejected')
      .build(2);
    const head = summarizeReport(buildReport(trace, analyzeTrace(trace))).split('\n')[0]!;
    expect(head).toMatch(/^ERROR .* 2 turn\(s\), none could run$/);
    expect(head).not.toContain('0 failing');
  });

  it('a few lines per turn, with the findings', () => {
    const trace = twoTurnTrace();
    const text = summarizeReport(buildReport(trace, analyzeTrace(trace)));
    expect(text.split('\n')).toEqual([
      'FAIL  test-target (azure-ga, example.openai.azure.com, gpt-realtime, swedencentral)  2 turn(s), 1 failing  session sess_ABC',
      '  turn 1 count-to-twenty: PASS  first audio 400 ms · audio 10.0 s · coverage 100 % · max delivery gap 50 ms · status completed',
      '      “…Twelve. Thirteen. Fourteen. Fifteen. Sixteen. Seventeen. Eighteen. Nineteen. Twenty.”',
      '  turn 2 count-to-twenty: FAIL  first audio 600 ms · audio 10.5 s · longest gap 2.3 s · coverage 88 % · max delivery gap 50 ms · status completed',
      '      “…Twelve. Thirteen. Fourteen. Fifteen. Sixteen. Seventeen. Eighteen. Nineteen. Twenty.”',
      '    ✗ audio_truncated (major): The audio ends at 10.5 s, about 1.5 s short: usage reports 243 audio tokens ' +
        '≈ 12.0 s (received 88 %); 17 characters of transcript (≈ 1.1 s) arrived after the last audio delta.',
      '    ✗ silent_gap (major): 2.3 s of silence (below -50 dBFS) at 4.1 s into the answer; speech resumes after it.',
    ]);
  });
});

describe('schema, code and documentation agree', () => {
  const defs = REPORT_SCHEMA.$defs as Record<string, { properties: Record<string, { enum?: unknown[] }> }>;
  const docs = readFileSync(new URL('../../docs/report-schema.md', import.meta.url), 'utf8');

  it('every finding code is in the schema and documented', () => {
    expect(defs.Finding!.properties.code!.enum).toEqual([...FINDING_CODES]);
    for (const code of FINDING_CODES) expect(docs).toContain(`\`${code}\``);
  });

  it('every threshold is in the schema and documented with its default', () => {
    expect(Object.keys(defs.DetectionConfig!.properties).sort()).toEqual(Object.keys(DEFAULT_DETECTION_CONFIG).sort());
    for (const [key, value] of Object.entries(DEFAULT_DETECTION_CONFIG))
      expect(docs).toMatch(new RegExp(`\`${key}\`[^\\n]*${String(value).replace('-', '[−-]')}`));
  });

  it('every top-level field is documented', () => {
    for (const key of Object.keys(REPORT_SCHEMA.properties as object)) expect(docs).toContain(`\`${key}\``);
  });
});
