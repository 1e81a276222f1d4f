import { describe, expect, it } from 'vitest';
import { analyze } from './helpers.js';
import { openAiUpgrade } from './realWire.js';
import type { TraceBuilder } from './traceBuilder.js';

/**
 * OpenAI refusals as LLMGW captured them (probes 10, 10b, 11, 11b, 8b): 101 with the Cloudflare headers, then the
 * `error` and the CLOSE in the same millisecond, the error's `type.code` as the close reason. The probe then ends the
 * session and skips its turns.
 */
function refused(code: string | null, message: string, closeCode: number, reason: string): TraceBuilder {
  const b = openAiUpgrade({}, 895.7);
  b.recv(895.7, 'error', {
    event_id: 'event_CtRf1',
    error: { type: 'invalid_request_error', code, message, param: null, event_id: null },
  });
  b.close(895.7, closeCode, reason, 'server');
  b.turn = 1;
  b.endTurn(896, 'skipped');
  b.turn = 2;
  b.endTurn(896, 'skipped');
  b.turn = 0;
  return b.sessionEnd(896.1, 'closed-by-server');
}

const KEY_MESSAGE =
  'Incorrect API key provided: sk-proj-abc1***…AAAA. You can find your API key at https://platform.openai.com/account/api-keys.';

describe('OpenAI refusals after the 101 are connection_rejected, verdict error — never connection_dropped', () => {
  it('bad key: error invalid_api_key + close 3000', () => {
    const a = analyze(refused('invalid_api_key', KEY_MESSAGE, 3000, 'invalid_request_error.invalid_api_key'));
    expect(a.findings).toEqual([
      {
        code: 'connection_rejected',
        severity: 'critical',
        turn: null,
        traceMs: 895.7,
        message:
          'OpenAI refused the session: invalid_api_key — Incorrect API key provided: sk-[redacted]***…AAAA. You ' +
          'can find your API key at https://platform.openai.com/account/api-keys. The service closed with 3000 ' +
          '“invalid_request_error.invalid_api_key”. This is a configuration problem (key, model or API shape), not an outage.',
      },
    ]);
    expect(a.turns.flatMap((t) => t.findings)).toEqual([]);
    expect(a.turns.map((t) => t.verdict)).toEqual(['error', 'error']);
    expect(a.verdict).toBe('error');
  });

  it.each([
    [
      'invalid_model',
      'Model "gpt-nope" is not supported in realtime mode.',
      4000,
      'invalid_request_error.invalid_model',
    ],
    [
      'missing_model',
      'You must provide a model parameter, for example wss://api.openai.com/v1/realtime?model=gpt-realtime-1.5',
      4000,
      'invalid_request_error.missing_model',
    ],
    [
      'beta_api_shape_disabled',
      'The Realtime Beta API is no longer supported. Please use /v1/realtime for the GA API.',
      4000,
      'invalid_request_error.beta_api_shape_disabled',
    ],
  ])('%s + close 4000', (code, message, closeCode, reason) => {
    const a = analyze(refused(code, message, closeCode, reason));
    expect(a.findings.map((f) => f.code)).toEqual(['connection_rejected']);
    expect(a.findings[0]!.message).toContain(`OpenAI refused the session: ${code} — ${message.slice(0, 40)}`);
    expect(a.findings[0]!.message).toContain(`closed with 4000 “${reason}”`);
    expect(a.verdict).toBe('error');
  });

  it('no bearer: error code null, close 3000 "invalid_request_error" — the close alone says refusal', () => {
    const a = analyze(refused(null, 'Missing bearer or basic authentication in header', 3000, 'invalid_request_error'));
    expect(a.findings.map((f) => [f.code, f.message])).toEqual([
      [
        'connection_rejected',
        'OpenAI refused the session: invalid_request_error — Missing bearer or basic authentication in header. The ' +
          'service closed with 3000 “invalid_request_error”. This is a configuration problem (key, model or API shape), not an outage.',
      ],
    ]);
  });

  it('a fatal error code before session.created is a refusal even when the close is a plain 1000 (model_not_found)', () => {
    const b = openAiUpgrade();
    b.recv(900, 'error', {
      error: {
        type: 'invalid_request_error',
        code: 'model_not_found',
        message: 'The model `gpt-realtime-9` does not exist.',
      },
    });
    b.close(901, 1000, '', 'server').sessionEnd(902, 'closed-by-server');
    const a = analyze(b);
    expect(a.findings.map((f) => f.code)).toEqual(['connection_rejected']);
    expect(a.verdict).toBe('error');
  });

  it('an echoed key is masked in the message', () => {
    const a = analyze(
      refused(
        'invalid_api_key',
        'Incorrect API key provided: sk-proj-Zx81kq0Pl3mN7vB2cX9. See docs.',
        3000,
        'invalid_request_error.invalid_api_key',
      ),
    );
    expect(a.findings[0]!.message).toContain('Incorrect API key provided: sk-[redacted]. See docs.');
    expect(a.findings[0]!.message).not.toContain('Zx81kq0');
  });

  it('Azure wording names Azure OpenAI', () => {
    const b = openAiUpgrade({ flavour: 'azure-ga' });
    b.recv(900, 'error', { error: { type: 'invalid_request_error', code: 'invalid_api_key', message: 'Bad key.' } });
    b.close(900, 3000, 'invalid_request_error.invalid_api_key', 'server').sessionEnd(901, 'closed-by-server');
    expect(analyze(b).findings[0]!.message).toMatch(/^Azure OpenAI refused the session: invalid_api_key — Bad key\./);
  });

  it('close 1011 before session.created is still a drop (not a configuration problem)', () => {
    const b = openAiUpgrade();
    b.close(900, 1011, 'internal error', 'server').sessionEnd(901, 'closed-by-server');
    expect(analyze(b).findings.map((f) => f.code)).toEqual(['connection_dropped']);
  });

  it('a 3000/4000 after session.created is not a refusal of the session', () => {
    const b = openAiUpgrade();
    b.recv(900, 'session.created', { session: { id: 'sess_1' } });
    b.close(5000, 4000, 'invalid_request_error.something', 'server').sessionEnd(5001, 'closed-by-server');
    expect(analyze(b).findings.map((f) => f.code)).toEqual(['connection_dropped']);
  });
});

describe('an invalid upgrade', () => {
  it('101 with a bad Sec-WebSocket-Accept → socket error (protocol) right after: connection_rejected with that reason', () => {
    const b = openAiUpgrade({}, 40);
    b.add(41, {
      kind: 'socket-error',
      errorClass: 'protocol',
      code: undefined,
      message: 'Invalid Sec-WebSocket-Accept header',
    });
    b.close(41.5, 1006, '', 'server').sessionEnd(42, 'connect-failed');
    const a = analyze(b);
    expect(a.findings).toEqual([
      {
        code: 'connection_rejected',
        severity: 'critical',
        turn: null,
        traceMs: 41,
        message:
          'The upgrade was answered 101 but the WebSocket handshake was invalid (protocol: Invalid ' +
          'Sec-WebSocket-Accept header); no session was opened. Check the endpoint, or a proxy in between.',
      },
    ]);
    expect(a.verdict).toBe('error');
  });
});

describe('runCategory: a configuration problem or a service incident', () => {
  it('refusals after the 101, HTTP 401/404 and DNS are configuration; HTTP 429 / 503 capacity; a 1011 drop an incident', async () => {
    const { runCategory } = await import('../../src/analysis/index.js');
    const { analyzeTrace } = await import('../../src/analysis/index.js');
    const { TraceBuilder } = await import('./traceBuilder.js');
    const cat = (b: TraceBuilder) => {
      const trace = b.build(1);
      return runCategory(trace, analyzeTrace(trace));
    };
    expect(cat(refused('invalid_api_key', KEY_MESSAGE, 3000, 'invalid_request_error.invalid_api_key'))).toBe(
      'configuration',
    );
    expect(
      cat(
        refused(
          'beta_api_shape_disabled',
          'The Realtime Beta API is no longer supported.',
          4000,
          'invalid_request_error.beta_api_shape_disabled',
        ),
      ),
    ).toBe('configuration');
    for (const status of [401, 404])
      expect(cat(new TraceBuilder().connect({ status }).sessionEnd(41, 'rejected'))).toBe('configuration');
    for (const status of [429, 503])
      expect(cat(new TraceBuilder().connect({ status }).sessionEnd(41, 'rejected'))).toBe('capacity');
    const dns = new TraceBuilder();
    dns
      .add(0, { kind: 'upgrade-request', url: 'wss://nowhere.invalid/', headers: {} })
      .add(5, { kind: 'socket-error', errorClass: 'dns', code: 'ENOTFOUND', message: 'getaddrinfo ENOTFOUND' })
      .sessionEnd(6, 'connect-failed');
    expect(cat(dns)).toBe('configuration');
    const drop = openAiUpgrade();
    drop.close(900, 1011, 'internal error', 'server').sessionEnd(901, 'closed-by-server');
    expect(cat(drop)).toBe('incident');
  });
});
