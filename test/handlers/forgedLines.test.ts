/**
 * Line breaks cannot forge a log line or break a card title, end to end: the real timer handler with a real
 * InvocationContext on real Azurite, posting JSON cards to a real receiver. Settings refuse a region with a line
 * break (test/handlers/pastedKey.test.ts); here the region comes from storage instead — another region's heartbeat
 * naming itself "westeurope\r\nerror: …", and a blob whose name holds a line break — and still no log line of the
 * round holds a line break, and no card is titled with it. The log's one-line rule itself is unit-tested last.
 */
import { describe, expect, it } from 'vitest';
import { BlobServiceClient } from '@azure/storage-blob';
import type { JsonNotificationPayload } from '../../src/sinks/alerts/jsonPayload.js';
import { scrubbingLog } from '../../src/realtime/scrubValue.js';
import { invoke, useRoundWorld } from './roundFixture.js';

const world = useRoundWorld();
const FORGED = 'error: the canary in eastus2 found every target healthy';
const T0 = Date.parse('2026-11-24T08:00:00Z');

describe('a line break from storage', () => {
  it('in another region’s heartbeat or a blob name forges no log line and titles no card', async () => {
    const container = 'forged-lines';
    const blobs = BlobServiceClient.fromConnectionString(world.azurite.connectionString).getContainerClient(container);
    await blobs.createIfNotExists();
    const long = new Date(T0 - 86_400_000).toISOString(); // a day before the round: silent long since
    const heartbeat = {
      version: 1,
      region: `westeurope\r\n${FORGED}`,
      at: long,
      roundId: 'r1',
      roundStartedAt: long,
      schedule: '0 */10 * * * *',
      nextRunAt: long,
      intervalMs: 600_000,
      silentAfter: long,
      targets: ['azure-fc'],
    };
    const put = (name: string, body: string) =>
      blobs.getBlockBlobClient(name).upload(body, Buffer.byteLength(body), {
        blobHTTPHeaders: { blobContentType: 'application/json' },
      });
    await put('heartbeats/westeurope.json', JSON.stringify(heartbeat));
    await put(`heartbeats/north\n${FORGED}.json`, '{"not":"a heartbeat"}');

    const logs: string[] = [];
    const env = await world.env({
      CANARY_REGION: 'eastus2',
      CANARY_CONTAINER: container,
      CANARY_WEBHOOK_FORMAT: 'json',
      CANARY_TARGETS: JSON.stringify([
        {
          name: 'azure-fc',
          endpoint: world.sim.url('azure-ga', { scenario: 'fast' }),
          auth: 'api-key',
          secretSetting: 'SIM_KEY',
        },
      ]),
    });
    const before = world.hook.requests.length;
    await invoke(env, { now: () => new Date(T0) }, logs);

    expect(logs.length).toBeGreaterThan(2);
    for (const line of logs) expect(line, line).not.toMatch(/[\r\n]/);
    // the heartbeat whose region is no name is skipped, said on one line
    expect(logs.some((l) => /watchdog: heartbeats\/westeurope\.json is not a heartbeat; skipped/.test(l))).toBe(true);
    const cards = world.hook.requests.slice(before).map((r) => r.json<JsonNotificationPayload>());
    for (const c of cards) expect(c.title, c.title).not.toMatch(/[\r\n]/);
    expect(cards.filter((c) => c.title.includes('westeurope'))).toEqual([]);
  });
});

describe('the round log', () => {
  it('writes every message on one line: line breaks and control characters show escaped', () => {
    const lines: string[] = [];
    const log = scrubbingLog(
      { info: (m) => lines.push(m), warn: (m) => lines.push(m), error: (m) => lines.push(m) },
      () => [],
    );
    log.warn(`target x: failed\r\n${FORGED}`);
    log.error('a\u2028b\u001b[31mred');
    log.info('plain — unchanged');
    expect(lines).toEqual([`target x: failed\\r\\n${FORGED}`, 'a\\u2028b\\u001b[31mred', 'plain — unchanged']);
  });
});
