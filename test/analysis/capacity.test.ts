/**
 * Throttling and the session cap as findings and categories of their own: `capacity_unavailable` for
 * `inference_service_unavailable_error` (Microsoft Q&A 5846034), `rate_limited` with the limit told apart by the message
 * (agents-js #1022's RPD wording) and the wait the service asked for, 429 / 503 upgrades, and a close 1001 "maximum
 * duration" — each one finding, each with the category every surface prints.
 */
import { describe, expect, it } from 'vitest';
import { runCategory, runProblem } from '../../src/analysis/category.js';
import type { RunAnalysis } from '../../src/analysis/metrics.js';
import { analyze, COUNT, turnFindings } from './helpers.js';
import { answer, speech, TraceBuilder } from './traceBuilder.js';

const RPD =
  'Rate limit reached for gpt-4o-mini-realtime in organization org-xx on requests per day (RPD): Limit 1000, Used ' +
  '1000, Requested 1. Please try again in 1m26.4s. Visit https://platform.openai.com/account/rate-limits to learn ' +
  'more.';
const CAPACITY = {
  code: 'inference_service_unavailable_error',
  type: 'service_unavailable_error',
  message: 'The server is overloaded or not ready yet. Please try again later.',
};

/** A manual turn whose response fails with `error` (no audio), as the real service ends it. */
function failedTurn(b: TraceBuilder, turn: number, at: number, error: Record<string, unknown>): number {
  b.startTurn(at, turn);
  b.send(at, 'input_audio_buffer.append', {}, { audioRef: { offset: 0, bytes: 48_000 } });
  b.send(at + 5, 'input_audio_buffer.commit');
  b.send(at + 10, 'response.create');
  b.recv(at + 30, 'response.created', { response: { id: `resp_${turn}`, status: 'in_progress' } });
  b.recv(at + 900, 'response.done', {
    response: {
      id: `resp_${turn}`,
      status: 'failed',
      status_details: { type: 'failed', error },
      output: [],
      usage: { input_tokens: 14_012, output_tokens: 0, output_token_details: { audio_tokens: 0, text_tokens: 0 } },
    },
  });
  b.endTurn(at + 1200);
  return at + 1201;
}

function session(...errors: Record<string, unknown>[]): TraceBuilder {
  const b = new TraceBuilder().connect();
  let at = 100;
  errors.forEach((e, i) => (at = failedTurn(b, i + 1, at, e)));
  return b.close(at + 5, 1000, 'probe finished', 'client').sessionEnd(at + 6);
}

function classify(b: TraceBuilder): { a: RunAnalysis; problem: ReturnType<typeof runProblem> } {
  const a = analyze(b);
  return { a, problem: runProblem(b.build(), a) };
}

const codes = (a: RunAnalysis) => [...a.findings, ...a.turns.flatMap((t) => t.findings)].map((f) => f.code);

describe('capacity_unavailable', () => {
  it('a response failed with inference_service_unavailable_error is one capacity finding, not two critical failures', () => {
    const { a, problem } = classify(session(CAPACITY));
    expect(codes(a)).toEqual(['capacity_unavailable']);
    const f = turnFindings(a)[0]!;
    expect(f).toMatchObject({ severity: 'critical', turn: 1 });
    expect(f.message).toBe(
      'The response failed: the service had no capacity; 14012 input tokens were billed and nothing came back ' +
        '(service_unavailable_error/inference_service_unavailable_error: “The server is overloaded or not ready yet. ' +
        'Please try again later.”).',
    );
    expect(a.verdict).toBe('fail');
    expect(problem).toMatchObject({ category: 'capacity', kind: 'capacity-unavailable' });
    expect(problem!.advice).toMatch(/^Capacity\/quota, not an outage: retry, raise the quota or move region\./);
  });

  it('a server_error is still an incident: only the capacity codes are capacity', () => {
    const { a, problem } = classify(session({ type: 'server_error', code: null, message: 'The server had an error.' }));
    expect(codes(a)).toEqual(['response_not_completed', 'no_audio']);
    expect(problem).toMatchObject({ category: 'incident', kind: 'service' });
  });
});

describe('rate_limited', () => {
  it('requests per day: one finding naming RPD and the wait, category capacity with the daily-quota advice', () => {
    const { a, problem } = classify(session({ type: 'requests', code: 'rate_limit_exceeded', message: RPD }));
    expect(codes(a)).toEqual(['rate_limited']);
    const f = turnFindings(a)[0]!;
    expect(f.retryAfterMs).toBe(86_400);
    expect(f.message).toMatch(
      /^The response failed: rate limit reached — requests per day \(RPD\); the service asks to wait 1 min 26 s; 14012 input tokens/,
    );
    expect(problem).toMatchObject({ category: 'capacity', kind: 'rate-limited', limit: 'RPD', retryAfterMs: 86_400 });
    expect(problem!.what).toBe(
      'rate limited by example.openai.azure.com: requests per day (RPD); retry after 1 min 26 s',
    );
    expect(problem!.advice).toContain("The day's requests per day (RPD) quota is spent");
  });

  it.each([
    ['Rate limit reached for gpt-realtime on requests per min (RPM): Limit 20. Please try again in 3s.', 'RPM', 3000],
    [
      'Rate limit reached for gpt-realtime on tokens per min (TPM): Limit 40000. Please try again in 644ms.',
      'TPM',
      644,
    ],
    ['Rate limit reached for requests.', undefined, undefined],
  ])('%s → %s', (message, limit, wait) => {
    const { a, problem } = classify(session({ type: 'requests', code: 'rate_limit_exceeded', message }));
    expect(codes(a)).toEqual(['rate_limited']);
    expect(problem?.limit).toBe(limit);
    expect(problem?.retryAfterMs).toBe(wait);
    expect(turnFindings(a)[0]!.retryAfterMs).toBe(wait);
  });

  it('an error event and the failed response of the same rate limit are one finding; no server_error_event', () => {
    const b = new TraceBuilder().connect();
    const end = failedTurn(b, 1, 100, { type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached.' });
    b.turn = 1;
    b.recv(905, 'error', { error: { type: 'tokens', code: 'rate_limit_exceeded', message: 'Rate limit reached.' } });
    b.close(end + 5, 1000, '', 'client').sessionEnd(end + 6);
    expect(codes(analyze(b))).toEqual(['rate_limited']);
  });

  it('a response.create refused with a rate-limit error: rate_limited leads, and the run is capacity', () => {
    const b = new TraceBuilder().connect();
    b.startTurn(100, 1);
    b.send(110, 'response.create');
    b.recv(130, 'error', { error: { type: 'requests', code: 'rate_limit_exceeded', message: RPD } });
    b.add(30_110, { kind: 'timeout', scope: 'turn', afterMs: 30_000, waitingFor: 'response.done' });
    b.endTurn(30_111, 'timeout');
    b.close(30_120, 1000, '', 'client').sessionEnd(30_121);
    const { a, problem } = classify(b);
    // the request the error refused still reads as an open response (tying an error to its request by event_id is
    // the turn view's); what it leaves unanswered in the turn is explained by the rate limit
    expect(codes(a)[0]).toBe('rate_limited');
    expect(codes(a)).not.toContain('server_error_event');
    expect(problem).toMatchObject({ category: 'capacity', limit: 'RPD', retryAfterMs: 86_400 });
  });

  it('a rate limit in one turn and a silent gap in another is an incident: the gap is the service', () => {
    const b = new TraceBuilder().connect();
    const end = failedTurn(b, 1, 100, { type: 'requests', code: 'rate_limit_exceeded', message: RPD });
    const pcm = Buffer.concat([speech(3000), Buffer.alloc(48 * 2000), speech(3000)]);
    const p = answer(b, { turn: 2, at: end, pcm, transcript: COUNT });
    b.close(p.endAt + 5, 1000, '', 'client').sessionEnd(p.endAt + 6);
    const { a, problem } = classify(b);
    expect(codes(a)).toEqual(['rate_limited', 'silent_gap']);
    expect(problem?.category).toBe('incident');
  });
});

/** A refused upgrade with this status, headers and body. */
function refused(status: number, body: unknown, headers: Record<string, string> = {}): TraceBuilder {
  return new TraceBuilder().connect({ status, headers, body: JSON.stringify(body) }).sessionEnd(41, 'rejected');
}

describe('upgrade refusals, by status, with the advice that fits', () => {
  it('429 with retry-after-ms: rate_limited (not connection_rejected), the wait shown, category capacity', () => {
    const b = refused(
      429,
      {
        error: { code: '429', message: 'Requests to the Realtime API have exceeded the call rate limit of your tier.' },
      },
      { 'retry-after-ms': '12500', 'retry-after': '13', 'apim-request-id': 'a1b2' },
    );
    const { a, problem } = classify(b);
    expect(codes(a)).toEqual(['rate_limited']);
    expect(a.findings[0]).toMatchObject({ severity: 'critical', turn: null, retryAfterMs: 12_500 });
    expect(a.findings[0]!.message).toBe(
      'The WebSocket upgrade was refused with HTTP 429 Unauthorized: rate limit reached — requests per minute (RPM); ' +
        'the service asks to wait 13 s: “Requests to the Realtime API have exceeded the call rate limit of your tier.”.',
    );
    expect(a.verdict).toBe('error');
    expect(problem).toMatchObject({ category: 'capacity', kind: 'rate-limited', retryAfterMs: 12_500, limit: 'RPM' });
  });

  it('503 with Retry-After in seconds: capacity_unavailable, capacity', () => {
    const { a, problem } = classify(
      refused(503, { error: { code: '503', message: 'Service unavailable.' } }, { 'Retry-After': '30' }),
    );
    expect(codes(a)).toEqual(['capacity_unavailable']);
    expect(a.findings[0]!.retryAfterMs).toBe(30_000);
    expect(problem).toMatchObject({ category: 'capacity', kind: 'capacity-unavailable', retryAfterMs: 30_000 });
    expect(problem!.what).toContain('retry after 30 s');
  });

  it.each([
    [
      403,
      'Your resource has been temporarily blocked because we detected behavior that may violate our content policy.',
      'suspended',
      undefined,
    ],
    [403, 'Access denied due to Virtual Network/Firewall rules.', 'network', undefined],
    [403, 'Public access is disabled. Please configure private endpoint.', 'private-endpoint', undefined],
    [403, 'Key based authentication is disabled for this resource.', 'key-auth-disabled', 'auth'],
    [403, 'Forbidden.', 'forbidden', undefined],
    [401, 'Access denied due to invalid subscription key or wrong API endpoint.', 'auth', 'credential'],
    [
      401,
      'The principal `9c5b` lacks the required data action `Microsoft.CognitiveServices/accounts/OpenAI/deployments/realtime/action`.',
      'role',
      undefined,
    ],
    [
      400,
      'The realtime operation does not work with the specified model, gpt-realtime-whisper.',
      'model-capability',
      'deployment',
    ],
    [400, "Missing required query parameter: 'model'.", 'bad-request', 'endpoint'],
    [404, 'The API deployment for this resource does not exist.', 'not-found', 'deployment'],
  ])('HTTP %i “%s” → %s (configuration)', (status, message, kind, setting) => {
    const code = status === 400 && kind === 'model-capability' ? 'OpperationNotSupported' : String(status);
    const { a, problem } = classify(refused(status, { error: { code, message } }));
    expect(codes(a)).toEqual(['connection_rejected']);
    expect(problem).toMatchObject({ category: 'configuration', kind });
    expect(problem?.setting).toBe(setting);
    expect(problem?.advice?.length).toBeGreaterThan(40);
  });

  it('a 500 or 502 is the service: an incident', () => {
    for (const status of [500, 502]) {
      const b = refused(status, { error: { message: 'oops' } });
      expect(runCategory(b.build(), analyze(b))).toBe('incident');
    }
  });
});

describe('connections that could not be made', () => {
  const failed = (errorClass: 'refused' | 'dns' | 'tls' | 'timeout' | 'reset', code: string): TraceBuilder =>
    new TraceBuilder()
      .add(0, { kind: 'upgrade-request', url: 'wss://example.openai.azure.com/', headers: {} })
      .add(5, { kind: 'socket-error', errorClass, code, message: `connect ${code} 10.0.0.1:443` })
      .sessionEnd(6, 'connect-failed');

  it('ECONNREFUSED, DNS and TLS are configuration (the endpoint); a timeout or a reset is an incident', () => {
    const refusedConn = classify(failed('refused', 'ECONNREFUSED')).problem;
    expect(refusedConn).toMatchObject({ category: 'configuration', kind: 'unreachable', setting: 'endpoint' });
    expect(refusedConn!.advice).toContain('ECONNREFUSED');
    expect(classify(failed('dns', 'ENOTFOUND')).problem).toMatchObject({ category: 'configuration' });
    expect(classify(failed('tls', 'CERT_HAS_EXPIRED')).problem).toMatchObject({ category: 'configuration' });
    expect(classify(failed('timeout', 'ETIMEDOUT')).problem).toMatchObject({ category: 'incident' });
    expect(classify(failed('reset', 'ECONNRESET')).problem).toMatchObject({ category: 'incident' });
  });
});

describe('session_max_duration', () => {
  /** A session whose server closes 1001 with `reason` `atMs` into turn 1's answer (session.created at 60). */
  function capped(reason: string, createAt: number): TraceBuilder {
    const b = new TraceBuilder().connect();
    b.startTurn(createAt - 10, 1);
    b.send(createAt, 'response.create');
    b.recv(createAt + 20, 'response.created', { response: { id: 'resp_1', status: 'in_progress' } });
    b.delta(createAt + 400, speech(3000), 'resp_1', 'item_1');
    b.close(createAt + 500, 1001, reason, 'server');
    b.endTurn(createAt + 501, 'closed');
    b.turn = 2;
    b.endTurn(createAt + 502, 'skipped');
    b.turn = 0;
    return b.sessionEnd(createAt + 503, 'closed-by-server');
  }

  it('cut after seconds under a 60-minute cap: its own finding (not connection_dropped), an incident', () => {
    const { a, problem } = classify(capped('Your session hit the maximum duration of 60 minutes.', 100));
    expect(codes(a)).not.toContain('connection_dropped');
    const f = turnFindings(a)[0]!;
    expect(f).toMatchObject({ code: 'session_max_duration', severity: 'critical', turn: 1 });
    expect(f.message).toBe(
      'The service ended the session at its maximum duration (close 1001 “Your session hit the maximum duration of ' +
        '60 minutes.”) after 540 ms during turn 1, 0.5 s into the turn; 1 later turn was skipped — far short of the ' +
        'maximum of 1 h it names: the service ended the session early.',
    );
    expect(problem?.category).toBe('incident');
  });

  it('a session that ran to the 30-minute cap: configuration (the session is too long), what it cut explained', () => {
    const { a, problem } = classify(capped('Your session hit the maximum duration of 30 minutes.', 1_800_000));
    expect(turnFindings(a).map((f) => f.code)).toContain('session_max_duration');
    expect(turnFindings(a).find((f) => f.code === 'session_max_duration')!.message).toContain(
      "the canary's session is too long for it",
    );
    expect(problem).toMatchObject({ category: 'configuration', kind: 'session-length', setting: 'turns' });
  });

  it('the beta shape (error session_expired, then close 1001) is one finding, no server_error_event', () => {
    const b = capped('', 1_000_000);
    b.turn = 1;
    b.recv(1_000_499, 'error', {
      error: {
        type: 'invalid_request_error',
        code: 'session_expired',
        message: 'Your session hit the maximum duration of 15 minutes.',
      },
    });
    const a = analyze(b);
    expect(codes(a).filter((c) => c === 'session_max_duration' || c === 'server_error_event')).toEqual([
      'session_max_duration',
    ]);
    expect(runProblem(b.build(), a)).toMatchObject({ category: 'configuration', kind: 'session-length' });
  });
});
