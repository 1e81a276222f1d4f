/**
 * A WebRTC handshake the service answers wrongly, against a real loopback HTTP server standing in for it: a garbage
 * SDP answer, one without ICE credentials, a 10 MB answer and an ephemeral-key answer without a key are each
 * `handshake_answer_unusable` (the service's bad answer, an incident, verdict error) — never `media_setup_failed`'s
 * "the media path is blocked" — and the 10 MB answer is read only up to the probe's bound (the server sees the
 * probe stop reading, and the trace keeps at most 64 KiB of it).
 */
import { createServer, type Server } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { analyzeTrace } from '../../src/analysis/index.js';
import { runProblem } from '../../src/analysis/category.js';
import { runProbe } from '../../src/probe/session.js';
import { MAX_ANSWER } from '../../src/probe/webrtc/http.js';
import { webrtcTransportWith } from '../../src/probe/webrtc/factory.js';
import { resolveEndpoint } from '../../src/realtime/flavours.js';
import { entriesOfKind, type Trace } from '../../src/trace/trace.js';
import { KEY, shortCatalog } from './helpers.js';

/** What the stand-in service answers a call with, by the `scenario` the probe carries over to the WebRTC URLs. */
type Answer = { status: number; body: string | { bytes: number } };
const ANSWERS: Record<string, Answer> = {
  garbage: { status: 201, body: '<html><body>502 Bad Gateway (but 201)</body></html>' },
  'no-ice': {
    status: 201,
    body: 'v=0\r\no=- 1 1 IN IP4 0.0.0.0\r\ns=-\r\nt=0 0\r\nm=audio 9 UDP/TLS/RTP/SAVPF 111\r\na=fingerprint:sha-256 AB:CD\r\n',
  },
  huge: { status: 201, body: { bytes: 10 * 1024 * 1024 } },
};
const EXPECTED: Record<string, RegExp> = {
  garbage: /the SDP answer is not SDP/,
  'no-ice': /the SDP answer has no ICE credentials/,
  huge: /the answer is larger than 256 KiB \(the probe stopped reading it\)/,
  'no-key': /the client_secrets answer has no "value"/,
};

let server: Server;
let port = 0;
/** Per scenario: whether the whole answer went out, and how many bytes were written before the probe left. */
const served = new Map<string, { finished: boolean; written: number }>();

beforeAll(async () => {
  server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const scenario = url.searchParams.get('scenario') ?? '';
    req.resume();
    if (url.pathname.endsWith('/client_secrets')) {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify(scenario === 'no-key' ? { expires_at: 0 } : { value: 'ek_test_0123456789' }));
      return;
    }
    const answer = ANSWERS[scenario] ?? ANSWERS.garbage!;
    res.writeHead(answer.status, { 'content-type': 'application/sdp', location: '/v1/realtime/calls/rtc_bad' });
    if (typeof answer.body === 'string') return void res.end(answer.body);
    const { bytes } = answer.body;
    const record = { finished: false, written: 0 };
    served.set(scenario, record);
    res.on('finish', () => (record.finished = true));
    const chunk = Buffer.alloc(64 * 1024, 'a');
    const pump = (): void => {
      while (record.written < bytes && !res.destroyed) {
        record.written += chunk.length;
        if (!res.write(chunk)) return void res.once('drain', pump);
      }
      if (!res.destroyed) res.end();
    };
    pump();
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as { port: number }).port;
});
afterAll(async () => new Promise((r) => server.close(r)));

/** The probe's WebRTC session against the stand-in (the `scenario` parameter is carried to its WebRTC URLs). */
function probe(scenario: string): Promise<Trace> {
  const endpoint = resolveEndpoint({
    endpoint: `ws://127.0.0.1:${port}/v1/realtime?model=gpt-realtime&scenario=${scenario}`,
  });
  return runProbe(
    { name: `bad-answer-${scenario}`, endpoint, auth: { mode: 'api-key', key: KEY } },
    {
      prompts: shortCatalog(),
      turns: 1,
      turnTimeoutMs: 5_000,
      transport: webrtcTransportWith({ mediaTimeoutMs: 3_000 }),
    },
  );
}

describe('an unusable WebRTC handshake answer is the service’s, not the media path’s', () => {
  it.each(['garbage', 'no-ice', 'huge', 'no-key'])('%s', async (scenario) => {
    const trace = await probe(scenario);
    const analysis = analyzeTrace(trace);
    const codes = analysis.findings.map((f) => f.code);
    expect(codes).toContain('handshake_answer_unusable');
    expect(codes).not.toContain('media_setup_failed');
    const finding = analysis.findings.find((f) => f.code === 'handshake_answer_unusable')!;
    expect(finding.message).toMatch(EXPECTED[scenario]!);
    expect(finding.message).toMatch(/answered with HTTP 20[01], but .*The service's answer is bad, not the media path/);
    const all = JSON.stringify(analysis);
    expect(all).not.toMatch(/media path is blocked/);
    expect(analysis.verdict).toBe('error');
    expect(runProblem(trace, analysis)).toMatchObject({ category: 'incident', kind: 'service' });
    // the exchange keeps what was wrong and the start of the answer, bounded
    const exchange = entriesOfKind(trace, 'http-exchange').find((e) => e.problem !== undefined)!;
    expect(exchange.problem).toMatch(EXPECTED[scenario]!);
    expect(exchange.body!.length).toBeLessThanOrEqual(64 * 1024);
    // the ephemeral key the stand-in gave is a secret the trace never holds
    expect(JSON.stringify(trace.entries)).not.toContain('ek_test_0123456789');
  });

  it('a 10 MB answer is not read to its end: the probe stops after its bound', async () => {
    await probe('huge');
    const huge = served.get('huge')!;
    expect(huge.finished).toBe(false);
    expect(huge.written).toBeLessThan(10 * 1024 * 1024);
    console.log(`10 MB answer: ${(huge.written / 1024).toFixed(0)} KiB written before the probe stopped reading`);
    expect(MAX_ANSWER).toBe(256 * 1024);
  });
});
