import { describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { buildReport } from '../../src/analysis/report.js';
import { summarizeReport } from '../../src/analysis/summary.js';
import type { Trace } from '../../src/trace/trace.js';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { realSession } from './realWire.js';
import { reportErrors } from './schema.js';
import { answer, speech, TraceBuilder } from './traceBuilder.js';

const NO_EXPECT = { prompts: [{ id: 'p', expect: [] }] };

describe('session_limit_exceeded', () => {
  it.each([
    [
      'maxAudioBytes',
      201_326_592,
      200_000_000,
      "The service sent more audio bytes than the canary's per-session cap allows: 201,326,592 (≈ 4194.3 s of " +
        'audio) against a cap of 200,000,000 (maxAudioBytes)',
    ],
    [
      'maxEvents',
      200_001,
      200_000,
      "The service sent more received events than the canary's per-session cap allows: 200,001 against a cap of 200,000 (maxEvents)",
    ],
    [
      'maxEventBytes',
      268_435_457,
      268_435_456,
      "The service sent more event-log bytes than the canary's per-session cap allows: 268,435,457 against a cap of 268,435,456 (maxEventBytes)",
    ],
  ] as const)(
    '%s: a failing finding on the turn it happened in, naming what overflowed with value and cap',
    (limit, value, max, text) => {
      const b = new TraceBuilder(NO_EXPECT).connect();
      answer(b, { turn: 1, at: 100, pcm: speech(3000), transcript: 'One two three.', omitResponseDone: true });
      b.add(1500, { kind: 'limit-exceeded', limit, value, max });
      b.endTurn(1501, 'closed').sessionEnd(1502, 'limit-exceeded').close(1503, 1000, '', 'client');
      const a = analyze(b);
      const f = turnFindings(a).find((x) => x.code === 'session_limit_exceeded')!;
      expect([f.severity, f.turn, f.traceMs]).toEqual(['major', 1, 1500]);
      expect(f.message).toBe(`${text}; the probe stopped reading and ended the session.`);
      expect(a.verdict).toBe('fail');
    },
  );
});

describe('unreadable frames get their own clear findings', () => {
  it('invalid base64 in audio deltas, and JSON nested too deep', () => {
    const { b } = oneTurn({ pcm: speech(3000), transcript: 'One two three.' }, NO_EXPECT);
    b.turn = 1;
    for (const t of [700, 701])
      b.add(t, {
        kind: 'recv-invalid',
        problem: 'invalid-base64',
        size: 9000,
        preview: '{"type":"response.output_audio.delta","delta":"!!!',
      });
    b.add(800, { kind: 'recv-invalid', problem: 'too-deep', size: 10_240, preview: '{"a":{"a":{"a":' });
    b.add(900, { kind: 'recv-invalid', problem: 'malformed-json', size: 12, preview: '{"type": "re' });
    expect(turnFindings(analyze(b)).map((f) => [f.code, f.severity, f.message])).toEqual([
      [
        'server_error_event',
        'major',
        'The service sent frames the canary could not use: 2 audio deltas carried a delta that is not valid base64 ' +
          'PCM16; nothing was decoded, so their audio is missing from the turn.',
      ],
      [
        'server_error_event',
        'major',
        'The service sent frames the canary could not use: 1 frame was JSON nested deeper than the canary reads; kept as a preview only, not parsed.',
      ],
      ['server_error_event', 'major', 'The service sent 1 frame that could not be read (malformed-json).'],
    ]);
  });
});

describe('implausible usage numbers are never taken at face value', () => {
  it.each([[-5], [1.5], [2e7], [1e300], ['240'], [Number.NaN]])(
    'audio_tokens = %s: ignored for coverage, reported minor',
    (value) => {
      const b = new TraceBuilder(NO_EXPECT).connect();
      const p = answer(b, { turn: 1, at: 100, pcm: speech(9000), transcript: 'One two three four.', audioTokens: 0 });
      const done = b.entries.find((e) => e.kind === 'recv' && e.type === 'response.done')!;
      if (done.kind === 'recv')
        done.event = {
          type: 'response.done',
          response: {
            id: 'resp_1',
            status: 'completed',
            usage: { output_token_details: { audio_tokens: value, text_tokens: 20 } },
          },
        };
      b.close(p.endAt + 5, 1000, '', 'client');
      const a = analyze(b);
      const m = a.turns[0]!.metrics!;
      expect([
        m.usage.outputAudioTokens,
        m.usage.outputTextTokens,
        m.coverage.usageImpliedMs,
        m.coverage.usageRatio,
      ]).toEqual([null, 20, null, null]);
      expect(m.usage.ignored).toEqual([
        {
          responseId: 'resp_1',
          field: 'output_token_details.audio_tokens',
          value: typeof value === 'string' ? '"240"' : String(value),
        },
      ]);
      expect(turnFindings(a).map((f) => [f.code, f.severity])).toEqual([['implausible_usage', 'minor']]);
      expect(turnFindings(a)[0]!.message).toContain('it was ignored, so the audio was not checked against usage');
      expect(a.turns[0]!.verdict).toBe('pass');
    },
  );

  it('an implausible count in one of two responses voids the turn sum instead of half-counting it', () => {
    const b = new TraceBuilder(NO_EXPECT).connect();
    answer(b, { turn: 1, at: 100, pcm: speech(2000), transcript: 'One two.', responseId: 'resp_a', audioTokens: 43 });
    const p = answer(b, {
      turn: 2,
      at: 3000,
      pcm: speech(2000),
      transcript: 'One two.',
      responseId: 'resp_b',
      audioTokens: -43,
    });
    b.close(p.endAt + 5, 1000, '', 'client');
    const a = analyze(b);
    expect([a.turns[0]!.metrics!.usage.outputAudioTokens, a.turns[1]!.metrics!.usage.outputAudioTokens]).toEqual([
      43,
      null,
    ]);
  });
});

describe('incomplete / max_output_tokens: the answer is longer than the deployment allows', () => {
  it('says so with the output tokens used, major, not critical', () => {
    const b = realSession([
      {
        pcm: speech(8000),
        transcript: COUNT,
        status: 'incomplete',
        statusDetails: { type: 'incomplete', reason: 'max_output_tokens' },
      },
    ]);
    const f = turnFindings(analyze(b)).filter((x) => x.code === 'response_not_completed');
    expect(f.map((x) => [x.severity, x.message])).toEqual([
      [
        'major',
        "response.done reported status incomplete (max_output_tokens): the answer hit the deployment's output cap " +
          "after 204 output tokens — the prompt's answer is longer than this deployment allows (Azure caps " +
          'gpt-realtime-2 at 4096 output tokens); a configuration or prompt issue, not an outage.',
      ],
    ]);
  });
});

/** A deterministic PRNG (LCG) so the fuzz cases are reproducible. */
function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => (s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32;
}

const KINDS = [
  'recv',
  'send',
  'recv-invalid',
  'upgrade-request',
  'upgrade-response',
  'close',
  'socket-error',
  'timeout',
  'turn-start',
  'turn-end',
  'session-end',
  'ping',
  'pong',
  'probe-stall',
  'loop-delay',
  'limit-exceeded',
  'http-exchange',
  'nonsense',
];
const TYPES = [
  'response.created',
  'response.done',
  'response.output_audio.delta',
  'response.output_audio.done',
  'response.output_audio_transcript.delta',
  'response.output_audio_transcript.done',
  'response.output_text.delta',
  'error',
  'session.created',
  'input_audio_buffer.speech_stopped',
  'x.unknown',
];

function junk(r: () => number, depth = 0): unknown {
  const pick = Math.floor(r() * 12);
  switch (pick) {
    case 0:
      return null;
    case 1:
      return undefined;
    case 2:
      return r() * 1e6 - 5e5;
    case 3:
      return [Number.NaN, Infinity, -Infinity, 1e300, -0][Math.floor(r() * 5)];
    case 4:
      return 'sk-' + Math.floor(r() * 1e12).toString(36);
    case 5:
      return r() > 0.5;
    case 6:
      return depth > 3 ? {} : { response: junk(r, depth + 1), item_id: junk(r, depth + 1), delta: junk(r, depth + 1) };
    case 7:
      return depth > 3 ? [] : [junk(r, depth + 1), junk(r, depth + 1)];
    case 8:
      return TYPES[Math.floor(r() * TYPES.length)];
    case 9:
      return Math.floor(r() * 5);
    case 10:
      return {
        offset: Math.floor(r() * 1e5),
        bytes: Math.floor(r() * 1e5),
        responseId: junk(r, 5),
        itemId: junk(r, 5),
      };
    default:
      return '';
  }
}

function hostileTrace(seed: number): Trace {
  const r = rng(seed);
  const base = oneTurn({ pcm: speech(2000), transcript: 'One two.' }, NO_EXPECT).b.build();
  const fields = [
    't',
    'turn',
    'type',
    'event',
    'audio',
    'code',
    'reason',
    'status',
    'headers',
    'problem',
    'durationMs',
    'p50Ms',
    'limit',
    'value',
    'max',
    'message',
    'errorClass',
    'outcome',
    'from',
    'responseId',
    'itemId',
    'promptId',
    'afterMs',
    'scope',
    'initiatedBy',
    'body',
  ];
  const entries: unknown[] = [...base.entries];
  for (let i = 0; i < 60; i++) {
    const e: Record<string, unknown> = {
      kind: KINDS[Math.floor(r() * KINDS.length)],
      t: r() < 0.9 ? r() * 5000 : junk(r),
      turn: r() < 0.8 ? Math.floor(r() * 4) : junk(r),
    };
    for (const f of fields) if (r() < 0.35) e[f] = junk(r);
    if (e.kind === 'recv' && r() < 0.7) e.type = TYPES[Math.floor(r() * TYPES.length)];
    entries.splice(Math.floor(r() * entries.length), 0, r() < 0.05 ? junk(r) : e);
  }
  if (r() < 0.3) entries.sort((a, b) => Number((a as { t?: number })?.t ?? 0) - Number((b as { t?: number })?.t ?? 0));
  return { ...base, entries: entries as Trace['entries'] };
}

describe('analysis never throws, whatever the trace holds', () => {
  it('300 hostile traces (random kinds, NaN/1e300 numbers, wrong types, junk entries): analysis, report and summary return, and the report validates', () => {
    const failures: string[] = [];
    for (let seed = 1; seed <= 300; seed++) {
      try {
        const trace = hostileTrace(seed);
        const analysis = analyzeTrace(trace);
        const report = buildReport(trace, analysis);
        summarizeReport(report);
        const errors = reportErrors(report);
        if (errors.length) failures.push(`seed ${seed}: ${errors.slice(0, 3).join('; ')}`);
      } catch (err) {
        failures.push(
          `seed ${seed}: threw ${err instanceof Error ? err.stack?.split('\n').slice(0, 3).join(' ') : String(err)}`,
        );
      }
    }
    expect(failures).toEqual([]);
  });

  it('an event nested 10 000 deep and an error quoting a key: judged, reported, the key masked', () => {
    let deep: Record<string, unknown> = {};
    for (let i = 0; i < 10_000; i++) deep = { a: deep };
    const { b } = oneTurn({ pcm: speech(3000), transcript: 'One two three.' }, NO_EXPECT);
    b.turn = 1;
    b.recv(700, 'x.deep', { payload: deep });
    b.recv(701, 'error', {
      error: {
        type: 'invalid_request_error',
        code: 'bad',
        message: 'Bad header Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.payload.sig',
      },
      nested: deep,
    });
    const trace = b.build();
    const report = buildReport(trace, analyzeTrace(trace));
    expect(reportErrors(report)).toEqual([]);
    const text = JSON.stringify(report);
    expect(text).toContain('Bearer [redacted]');
    expect(text).not.toContain('eyJhbGciOiJIUzI1NiJ9');
  });

  it('a hostile trace still yields the findings its sound entries support', () => {
    const trace = hostileTrace(7);
    expect(analyzeTrace(trace).turns.length).toBeGreaterThan(0);
    const b = new TraceBuilder(NO_EXPECT).connect();
    b.add(50, { kind: 'close', code: Number.NaN, reason: { evil: true }, initiatedBy: 'server' } as never);
    expect(() => analyzeTrace(b.build(1))).not.toThrow();
  });
});

describe('maskKeys: the last line of defence in finding messages', () => {
  it('masks keys and tokens, keeps request ids', async () => {
    const { maskKeys } = await import('../../src/analysis/format.js');
    expect(maskKeys('key 0123456789abcdef0123456789abcdef rejected')).toBe('key [redacted] rejected');
    expect(maskKeys('Incorrect API key provided: sk-proj-Zx81kq0Pl3mN7vB2cX9.')).toBe(
      'Incorrect API key provided: sk-[redacted].',
    );
    expect(maskKeys('Authorization: Bearer eyJhbGciOi.x.y')).toBe('Authorization: Bearer [redacted]');
    expect(maskKeys('apim-request-id c0ffee00-1234-4abc-8def-0123456789ab, session sess_Bwl3Hvrax6k8ee0vqsiyk')).toBe(
      'apim-request-id c0ffee00-1234-4abc-8def-0123456789ab, session sess_Bwl3Hvrax6k8ee0vqsiyk',
    );
    expect(maskKeys('invalid_request_error.beta_api_shape_disabled')).toBe(
      'invalid_request_error.beta_api_shape_disabled',
    );
  });
});

describe('runCategory for an answer longer than the output cap', () => {
  it('incomplete / max_output_tokens alone is configuration; with a silent gap elsewhere it is an incident; a pass is null', async () => {
    const { runCategory } = await import('../../src/analysis/index.js');
    const capped = {
      status: 'incomplete' as const,
      statusDetails: { type: 'incomplete', reason: 'max_output_tokens' },
    };
    const cat = (b: TraceBuilder) => {
      const trace = b.build();
      return runCategory(trace, analyzeTrace(trace));
    };
    expect(
      cat(
        realSession([
          { pcm: speech(8000), transcript: COUNT, ...capped },
          { pcm: speech(8000), transcript: COUNT },
        ]),
      ),
    ).toBe('configuration');
    const { concat, silence } = await import('./traceBuilder.js');
    expect(
      cat(
        realSession([
          { pcm: speech(8000), transcript: COUNT, ...capped },
          { pcm: concat(speech(4000), silence(2000), speech(4000)), transcript: COUNT },
        ]),
      ),
    ).toBe('incident');
    expect(cat(realSession([{ pcm: speech(8000), transcript: COUNT }]))).toBeNull();
  });
});
