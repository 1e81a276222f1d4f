/**
 * Traces for the model-lifecycle and Entra-scope tests, dated by the caller (never today's date): an Azure session
 * declaring a model, OpenAI's refusal of a model after the 101, and an Azure 401 to a token.
 */
import type { Trace } from '../../src/trace/trace.js';
import { openAiUpgrade } from './realWire.js';
import { TraceBuilder } from './traceBuilder.js';

/** The trace as if it had started at `iso`. */
export function on(trace: Trace, iso: string): Trace {
  trace.meta.startedAt = iso;
  trace.meta.startEpochMs = Date.parse(iso);
  return trace;
}

/** An Azure session whose `session.created` declares `model`, closed by the probe (no turns). */
export function azureSession(model: string): Trace {
  const b = new TraceBuilder({ flavour: 'azure-ga' });
  b.add(0, {
    kind: 'upgrade-request',
    url: 'wss://example.openai.azure.com/openai/v1/realtime?model=voice',
    headers: {},
  });
  b.add(40, { kind: 'upgrade-response', status: 101, statusText: 'Switching Protocols', headers: {} });
  b.recv(60, 'session.created', { session: { id: 'sess_1', model } });
  b.close(100, 1000, 'probe finished', 'client').sessionEnd(101);
  return b.build(1);
}

/** OpenAI's refusal of a model after the 101 (LLMGW's shape): `error` + close 4000. */
export function openAiRefused(model: string, code: string): Trace {
  const b = openAiUpgrade({}, 895.7);
  b.entries[0] = { ...b.entries[0]!, url: `wss://api.openai.com/v1/realtime?model=${model}` } as never;
  b.recv(895.7, 'error', {
    event_id: 'event_1',
    error: {
      type: 'invalid_request_error',
      code,
      message: `The model ${model} does not exist or you do not have access to it.`,
    },
  });
  b.close(895.7, 4000, `invalid_request_error.${code}`, 'server');
  b.turn = 1;
  b.endTurn(896, 'skipped');
  b.turn = 0;
  b.sessionEnd(896.1, 'closed-by-server');
  const trace = b.build(1);
  trace.meta.target = {
    ...trace.meta.target,
    url: `wss://api.openai.com/v1/realtime?model=${model}`,
    deployment: model,
  };
  return trace;
}

/** An Azure upgrade refused with 401 (a token with the wrong audience), the trace recording `auth`. */
export function refused401(auth: Trace['meta']['target']['auth']): Trace {
  const b = new TraceBuilder({ flavour: 'azure-ga' }).connect({
    status: 401,
    body: '{"error":{"code":"PermissionDenied","message":"Principal does not have access to API/Operation."}}',
  });
  b.sessionEnd(50, 'rejected');
  const trace = b.build(1);
  trace.meta.target = { ...trace.meta.target, ...(auth ? { auth } : {}) };
  return trace;
}
