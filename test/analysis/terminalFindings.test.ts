import { describe, expect, it } from 'vitest';
import { analyze, COUNT, oneTurn, turnFindings } from './helpers.js';
import { answer, healthySession, speech, TraceBuilder } from './traceBuilder.js';

describe('missing_audio_done', () => {
  it('an item with audio and no audio .done before response.done', () => {
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, omitAudioDone: true }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'missing_audio_done',
        severity: 'major',
        turn: 1,
        traceMs: 2963,
        message: 'Item item_1 carried 10.0 s of audio but its audio .done never arrived before response.done.',
      },
    ]);
    expect(a.turns[0]!.metrics!.terminal.audioDone).toBe(false);
  });
});

describe('missing_response_done, and the probe cancelling after its own deadline', () => {
  /** All audio arrives, then nothing: the probe times out at 30 110, cancels, and the service answers `cancelled`. */
  function stalledTurn(answerCancel: 'response.done' | 'error' | 'nothing'): TraceBuilder {
    const b = new TraceBuilder().connect();
    answer(b, { turn: 1, at: 100, pcm: speech(10_000), transcript: COUNT, omitResponseDone: true });
    b.add(30_110, { kind: 'timeout', scope: 'turn', waitingFor: 'response.done', afterMs: 30_000 });
    b.endTurn(30_110, 'timeout');
    b.send(30_111, 'response.cancel', {}, { byProbe: 'turn-timeout' });
    if (answerCancel === 'response.done')
      b.recv(30_150, 'response.done', {
        response: {
          id: 'resp_1',
          status: 'cancelled',
          status_details: { type: 'cancelled', reason: 'client_cancelled' },
        },
      });
    if (answerCancel === 'error')
      b.recv(30_150, 'error', {
        error: {
          type: 'invalid_request_error',
          code: 'response_cancel_not_active',
          message: 'Cancellation failed: no active response found',
        },
      });
    return b.close(30_200, 1000, 'probe finished', 'client').sessionEnd(30_201);
  }

  it('is a fault; the cancelled response.done that follows the probe cancel is not', () => {
    const a = analyze(stalledTurn('response.done'));
    expect(turnFindings(a)).toEqual([
      {
        code: 'missing_response_done',
        severity: 'critical',
        turn: 1,
        durationMs: 30_000,
        traceMs: 30_110,
        message: 'response.done did not arrive within 30.0 s of response.create; the probe cancelled the response.',
      },
      {
        code: 'delivery_stall',
        severity: 'major',
        turn: 1,
        atMs: 10_000,
        durationMs: 27_148,
        traceMs: 2962,
        message: 'No server event at all for 27.1 s while the response stayed open, after 10.0 s of audio.',
      },
    ]);
    const m = a.turns[0]!.metrics!;
    expect(m.terminal).toMatchObject({ responseDone: false, status: 'cancelled', audioDone: true });
    expect(m.terminal.responses[0]).toMatchObject({ responseDone: true, cancelledByProbe: true });
    expect(m.timing.responseDoneMs).toBeNull();
    expect([a.turns[0]!.outcome, a.turns[0]!.verdict, a.verdict]).toEqual(['timeout', 'fail', 'fail']);
  });

  it('the cancel race (response_cancel_not_active) is info only', () => {
    const a = analyze(stalledTurn('error'));
    expect(turnFindings(a).map((f) => [f.code, f.severity])).toEqual([
      ['server_error_event', 'info'],
      ['missing_response_done', 'critical'],
      ['delivery_stall', 'major'],
    ]);
  });

  it('without the cancel, the turn end closes the response', () => {
    const a = analyze(stalledTurn('nothing'));
    expect(turnFindings(a)[0]).toMatchObject({ code: 'missing_response_done', durationMs: 30_000 });
  });

  it('server VAD never ends the turn: no response at all', () => {
    const b = new TraceBuilder({ turnDetection: 'server_vad' }).connect();
    b.startTurn(100, 1).send(100, 'input_audio_buffer.append', {}, { audioRef: { offset: 0, bytes: 4800 } });
    b.add(30_100, { kind: 'timeout', scope: 'turn', waitingFor: 'response.done', afterMs: 30_000 }).endTurn(
      30_100,
      'timeout',
    );
    b.send(30_101, 'response.cancel', {}, { byProbe: 'turn-timeout' });
    const a = analyze(b.close(30_200, 1000, '', 'client'));
    expect(turnFindings(a)).toEqual([
      {
        code: 'missing_response_done',
        severity: 'critical',
        turn: 1,
        durationMs: 30_000,
        traceMs: 30_100,
        message: "No response was created within 30.0 s of the turn's start.",
      },
    ]);
  });
});

describe('response_not_completed', () => {
  it('failed with a server_error is critical, with the message', () => {
    const statusDetails = {
      type: 'failed',
      error: {
        type: 'server_error',
        code: null,
        message: 'The server had an error while processing your request. Sorry about that!',
      },
    };
    const a = analyze(oneTurn({ pcm: speech(10_000), transcript: COUNT, status: 'failed', statusDetails }).b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'response_not_completed',
        severity: 'critical',
        turn: 1,
        traceMs: 2963,
        message:
          'response.done reported status failed (server_error): “The server had an error while processing your request. Sorry about that!”.',
      },
    ]);
    expect(a.turns[0]!.metrics!.terminal.statusDetails).toEqual({
      type: 'failed',
      reason: null,
      errorType: 'server_error',
      errorCode: null,
      errorMessage: 'The server had an error while processing your request. Sorry about that!',
    });
  });

  it('a failed response cut short is judged on its status only: no content or audio .done noise', () => {
    const statusDetails = {
      type: 'failed',
      error: { type: 'server_error', code: null, message: 'The server had an error.' },
    };
    const a = analyze(
      oneTurn({
        pcm: speech(3000),
        transcript: 'One. Two. Three.',
        status: 'failed',
        statusDetails,
        omitAudioDone: true,
      }).b,
    );
    expect(turnFindings(a).map((f) => f.code)).toEqual(['response_not_completed']);
  });

  it('incomplete (max_output_tokens) and cancelled (turn_detected) are major', () => {
    const inc = analyze(
      oneTurn({
        pcm: speech(10_000),
        transcript: COUNT,
        status: 'incomplete',
        statusDetails: { type: 'incomplete', reason: 'max_output_tokens' },
      }).b,
    );
    expect(turnFindings(inc).map((f) => [f.code, f.severity, f.message])).toEqual([
      [
        'response_not_completed',
        'major',
        "response.done reported status incomplete (max_output_tokens): the answer hit the deployment's output cap " +
          "— the prompt's answer is longer than this deployment allows (Azure caps gpt-realtime-2 at 4096 output " +
          'tokens); a configuration or prompt issue, not an outage.',
      ],
    ]);
    const can = analyze(
      oneTurn({
        pcm: speech(10_000),
        transcript: COUNT,
        status: 'cancelled',
        statusDetails: { type: 'cancelled', reason: 'turn_detected' },
      }).b,
    );
    expect(turnFindings(can).map((f) => [f.code, f.severity, f.message])).toEqual([
      ['response_not_completed', 'major', 'response.done reported status cancelled (turn_detected).'],
    ]);
  });
});

describe('connection_dropped, and the turns skipped after it', () => {
  it('1006 in turn 2 of 3: attributed to turn 2, turn 3 skipped', () => {
    const b = new TraceBuilder().connect();
    const p1 = answer(b, { turn: 1, at: 100, pcm: speech(10_000), transcript: COUNT });
    const at = p1.endAt + 1;
    b.startTurn(at, 2)
      .send(at + 10, 'response.create')
      .recv(at + 30, 'response.created', { response: { id: 'resp_2' } });
    b.delta(at + 410, speech(200), 'resp_2', 'item_2').delta(at + 460, speech(200), 'resp_2', 'item_2');
    b.add(at + 500, { kind: 'socket-error', errorClass: 'reset', code: 'ECONNRESET', message: 'read ECONNRESET' });
    b.close(at + 501, 1006, '', 'server').endTurn(at + 501, 'closed');
    b.turn = 3;
    b.endTurn(at + 502, 'skipped').sessionEnd(at + 503, 'closed-by-server');
    const a = analyze(b);
    expect(turnFindings(a, 2)).toEqual([
      {
        code: 'connection_dropped',
        severity: 'critical',
        turn: 2,
        traceMs: at + 501,
        message:
          'The connection closed (1006, no close frame) after a socket error (reset ECONNRESET) during turn 2, 0.5 s into the turn; 1 later turn was skipped.',
      },
      {
        code: 'missing_response_done',
        severity: 'critical',
        turn: 2,
        durationMs: 491,
        traceMs: at + 501,
        message: 'response.done did not arrive within 491 ms of response.create; the connection closed.',
      },
    ]);
    expect(a.turns.map((t) => [t.outcome, t.verdict, t.metrics === null])).toEqual([
      ['response-done', 'pass', false],
      ['closed', 'fail', false],
      ['skipped', 'error', true],
    ]);
    expect(a.turns[1]!.metrics!.connection.closedDuringTurn).toBe(true);
    expect(a.connection).toMatchObject({
      abnormalClose: true,
      close: { code: 1006, initiatedBy: 'server' },
      sessionEnd: { reason: 'closed-by-server' },
    });
    expect([a.findings, a.verdict]).toEqual([[], 'fail']);
  });

  it('a 1011 after the last turn is run-level and major', () => {
    const { b, played } = healthySession(speech(10_000), COUNT, 1);
    b.entries.splice(b.entries.findIndex((e) => e.kind === 'close'));
    b.close(played[0]!.endAt + 200, 1011, 'internal error', 'server').sessionEnd(played[0]!.endAt + 201);
    const a = analyze(b);
    expect(a.findings).toEqual([
      {
        code: 'connection_dropped',
        severity: 'major',
        turn: null,
        traceMs: 3463,
        message: 'The connection closed (1011 “internal error”) at 3.5 s into the session.',
      },
    ]);
    expect([a.turns[0]!.verdict, a.verdict]).toEqual(['pass', 'fail']);
  });

  it('the probe closing normally is not a drop', () => {
    expect(analyze(healthySession(speech(10_000), COUNT, 1).b).findings).toEqual([]);
  });
});

describe('connection_rejected → verdict error', () => {
  it('HTTP 401 on the upgrade', () => {
    const b = new TraceBuilder().connect({
      status: 401,
      body: '{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}',
    });
    const a = analyze(b.sessionEnd(41, 'rejected'), {}, undefined);
    expect(a.findings).toEqual([
      {
        code: 'connection_rejected',
        severity: 'critical',
        turn: null,
        traceMs: 40,
        message:
          'The WebSocket upgrade was rejected with HTTP 401 Unauthorized: ' +
          '“{"error":{"code":"401","message":"Access denied due to invalid subscription key."}}”.',
      },
    ]);
    expect(a.turns.map((t) => [t.outcome, t.verdict, t.metrics])).toEqual([['not-started', 'error', null]]);
    expect(a.verdict).toBe('error');
  });

  it('DNS failure', () => {
    const b = new TraceBuilder();
    b.add(0, { kind: 'upgrade-request', url: 'wss://nowhere.invalid/openai/v1/realtime', headers: {} });
    b.add(12, {
      kind: 'socket-error',
      errorClass: 'dns',
      code: 'ENOTFOUND',
      message: 'getaddrinfo ENOTFOUND nowhere.invalid',
    }).sessionEnd(13, 'connect-failed');
    const a = analyze(b);
    expect(a.findings.map((f) => f.message)).toEqual([
      'Could not connect: dns ENOTFOUND (getaddrinfo ENOTFOUND nowhere.invalid).',
    ]);
    expect(a.verdict).toBe('error');
  });

  it('session.created never arrives: a setup stall, and no turn could run', () => {
    const b = new TraceBuilder();
    b.add(0, { kind: 'upgrade-request', url: 'wss://x/openai/v1/realtime', headers: {} });
    b.add(40, { kind: 'upgrade-response', status: 101, statusText: 'Switching Protocols', headers: {} });
    b.add(10_040, { kind: 'timeout', scope: 'session-created', waitingFor: 'session.created', afterMs: 10_000 });
    b.turn = 1;
    b.endTurn(20_100, 'skipped').sessionEnd(20_101, 'closed-by-server');
    const a = analyze(b);
    expect(a.findings.map((f) => [f.code, f.severity, f.message])).toEqual([
      ['delivery_stall', 'critical', 'session.created did not arrive within 10.0 s; no turn could start.'],
    ]);
    expect(a.verdict).toBe('error');
  });
});

describe('server_error_event', () => {
  it('a server_error mid-response is critical; an invalid_request_error is major; unreadable frames are reported', () => {
    const { b } = oneTurn({ pcm: speech(10_000), transcript: COUNT });
    b.turn = 1;
    b.recv(1000, 'error', {
      error: { type: 'server_error', code: 'server_error', message: 'The server had an error.' },
    });
    b.recv(1001, 'error', {
      error: {
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message: 'Conversation already has an active response.',
      },
    });
    b.add(1002, { kind: 'recv-invalid', problem: 'malformed-json', size: 12, preview: '{"type": "re' });
    const a = analyze(b);
    expect(turnFindings(a)).toEqual([
      {
        code: 'server_error_event',
        severity: 'critical',
        turn: 1,
        traceMs: 1000,
        message: 'The service sent an error event server_error/server_error: “The server had an error.”.',
      },
      {
        code: 'server_error_event',
        severity: 'major',
        turn: 1,
        traceMs: 1001,
        message:
          'The service sent an error event invalid_request_error/conversation_already_has_active_response: “Conversation already has an active response.”.',
      },
      {
        code: 'server_error_event',
        severity: 'major',
        turn: 1,
        traceMs: 1002,
        message: 'The service sent 1 frame that could not be read (malformed-json).',
      },
    ]);
    expect(a.turns[0]!.metrics!.connection.errorEvents).toEqual([
      { traceMs: 1000, type: 'server_error', code: 'server_error', message: 'The server had an error.' },
      {
        traceMs: 1001,
        type: 'invalid_request_error',
        code: 'conversation_already_has_active_response',
        message: 'Conversation already has an active response.',
      },
    ]);
  });

  it('an error during setup (turn 0) is run-level', () => {
    const { b } = healthySession(speech(10_000), COUNT, 1);
    b.add(
      80,
      {
        kind: 'recv',
        type: 'error',
        wireType: 'error',
        size: 90,
        event: {
          type: 'error',
          error: {
            type: 'invalid_request_error',
            code: 'unknown_parameter',
            message: "Unknown parameter: 'session.type'.",
          },
        },
      },
      0,
    );
    const a = analyze(b);
    expect(a.findings).toEqual([
      {
        code: 'server_error_event',
        severity: 'major',
        turn: null,
        traceMs: 80,
        message:
          "The service sent an error event invalid_request_error/unknown_parameter: “Unknown parameter: 'session.type'.”.",
      },
    ]);
    expect(a.verdict).toBe('fail');
  });
});
