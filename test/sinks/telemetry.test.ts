/**
 * Telemetry: the RunSummary → availability/metrics mapping with an injected client, and the real
 * `applicationinsights` 3.x client exporting to a local HTTPS receiver standing in for the ingestion endpoint
 * (the exporter forces https, so the receiver uses a throw-away certificate this process trusts).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createServer, type Server } from 'node:https';
import { gunzipSync } from 'node:zlib';
import {
  createTelemetry,
  noTelemetry,
  telemetryFromClient,
  type AvailabilityClient,
} from '../../src/sinks/telemetry.js';
import { fakeEntraCredential } from '../helpers/entraToken.js';
import { makeRunSummary } from '../helpers/runSummary.js';
import { selfSignedCert, trustCertificate, type TestCert } from '../helpers/tlsCert.js';

interface Envelope {
  name: string;
  iKey: string;
  data: { baseType: string; baseData: Record<string, unknown> };
}

describe('telemetry adapter', () => {
  it('maps a run to one availability result and three metrics', async () => {
    const calls: Array<[string, unknown]> = [];
    const client: AvailabilityClient = {
      trackAvailability: (t) => void calls.push(['availability', t]),
      trackMetric: (t) => void calls.push(['metric', t]),
      flush: async () => void calls.push(['flush', undefined]),
    };
    const telemetry = telemetryFromClient(client);
    telemetry.trackRun(makeRunSummary({ verdict: 'fail', durationMs: 18_400 }));
    await telemetry.flush();
    expect(calls[0]).toEqual([
      'availability',
      expect.objectContaining({
        id: 'run-20261102T1000Z/swedencentral/aoai-sweden',
        name: 'aoai-sweden',
        runLocation: 'swedencentral',
        success: false,
        duration: 18_400,
        message: '2.3 s of silence at 4.1 s into the answer',
        time: new Date('2026-11-02T10:00:00.000Z'),
        properties: expect.objectContaining({
          deployment: 'gpt-realtime',
          findingCodes: 'silent_gap,playback_underrun',
          runId: 'run-20261102T1000Z',
        }),
        measurements: expect.objectContaining({
          failingTurns: 3,
          longestGapMs: 3100,
          timeToFirstAudioMs: 640,
          coverage: 0.82,
        }),
      }),
    ]);
    expect(calls.filter(([k]) => k === 'metric').map(([, m]) => m)).toEqual([
      {
        name: 'failingTurns',
        value: 3,
        properties: expect.objectContaining({ target: 'aoai-sweden', region: 'swedencentral' }),
      },
      { name: 'longestGapMs', value: 3100, properties: expect.any(Object) },
      { name: 'timeToFirstAudioMs', value: 640, properties: expect.any(Object) },
    ]);
    expect(calls.at(-1)).toEqual(['flush', undefined]);
  });

  it('never throws into the round, and is a no-op without a connection string', async () => {
    const errors: unknown[] = [];
    const broken = telemetryFromClient(
      {
        trackAvailability: () => {
          throw new Error('boom');
        },
        trackMetric: () => undefined,
        flush: () => Promise.reject(new Error('down')),
      },
      (e) => errors.push(e),
    );
    expect(() => broken.trackRun(makeRunSummary())).not.toThrow();
    await expect(broken.flush()).resolves.toBeUndefined();
    expect(errors).toHaveLength(2);
    expect(await createTelemetry({})).toBe(noTelemetry);
    expect(await createTelemetry({ connectionString: '' })).toBe(noTelemetry);
  });
});

describe('applicationinsights 3.x against a local ingestion endpoint', () => {
  let server: Server | undefined;
  let cert: TestCert | undefined;
  let port = 0;
  const received: Array<{ auth: string | undefined; envelopes: Envelope[] }> = [];

  beforeAll(async () => {
    process.env.APPLICATIONINSIGHTS_STATSBEAT_DISABLED = 'true';
    process.env.APPLICATIONINSIGHTS_SDKSTATS_DISABLED = 'true';
    cert = await selfSignedCert();
    if (!cert) return; // no openssl: skipped below
    trustCertificate(cert.cert);
    server = createServer({ cert: cert.cert, key: cert.key }, (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        let body = Buffer.concat(chunks);
        if (req.headers['content-encoding'] === 'gzip') body = gunzipSync(body);
        const envelopes = JSON.parse(body.toString('utf8')) as Envelope[];
        received.push({ auth: req.headers.authorization, envelopes });
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ itemsReceived: envelopes.length, itemsAccepted: envelopes.length, errors: [] }));
      });
    });
    await new Promise<void>((r) => server!.listen(0, '127.0.0.1', r));
    port = (server.address() as { port: number }).port;
  });
  afterAll(async () => {
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await cert?.dispose();
  });

  const connectionString = () =>
    `InstrumentationKey=00000000-0000-0000-0000-000000000000;IngestionEndpoint=https://127.0.0.1:${port}/`;
  const all = () => received.flatMap((r) => r.envelopes.map((e) => ({ ...e, auth: r.auth })));

  it('sends an availability item (name = target, runLocation = region) and the metrics', async (ctx) => {
    if (!server) return ctx.skip();
    const telemetry = await createTelemetry({ connectionString: connectionString(), diskRetry: false });
    telemetry.trackRun(makeRunSummary({ verdict: 'fail', target: 'aoai-plain', durationMs: 812 }));
    await telemetry.close();
    const availability = all().filter((e) => e.data.baseType === 'AvailabilityData');
    expect(availability).toHaveLength(1);
    expect(availability[0]!.data.baseData).toMatchObject({
      name: 'aoai-plain',
      runLocation: 'swedencentral',
      success: false,
      duration: '00:00:00.812',
      message: '2.3 s of silence at 4.1 s into the answer',
    });
    expect(availability[0]!.auth).toBeUndefined();
    const metrics = all()
      .filter((e) => e.data.baseType === 'MetricData')
      .flatMap((e) =>
        (e.data.baseData.metrics as Array<{ name: string; value: number }>).map((m) => [m.name, m.value]),
      );
    expect(metrics).toEqual(
      expect.arrayContaining([
        ['failingTurns', 3],
        ['longestGapMs', 3100],
        ['timeToFirstAudioMs', 640],
      ]),
    );
  });

  it('authenticates ingestion with Entra when given a credential', async (ctx) => {
    if (!server) return ctx.skip();
    const credential = fakeEntraCredential();
    const telemetry = await createTelemetry({ connectionString: connectionString(), credential, diskRetry: false });
    telemetry.trackRun(makeRunSummary({ target: 'aoai-entra' }));
    await telemetry.close();
    const item = all().find((e) => e.data.baseType === 'AvailabilityData' && e.data.baseData.name === 'aoai-entra');
    expect(item?.data.baseData).toMatchObject({ success: true, runLocation: 'swedencentral' });
    expect(item?.auth).toMatch(/^Bearer ey/);
    expect(credential.scopes.some((s) => s.startsWith('https://monitor.azure.com'))).toBe(true);
  });
});
