/**
 * Exactly-once, never-blocked alert delivery on real parts (Azurite, a real HTTP receiver): overlapping
 * deliverers never post one notification twice, a notification the receiver refuses for good is dropped after
 * a bounded number of tries without holding back the ones behind it, and a corrupt state blob is moved aside.
 * Plus the spool shared by two processes: every entry uploaded exactly once.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { MAX_REJECTIONS } from '../../../src/sinks/alerts/alertDelivery.js';
import { applyRun, deliverPending, readAlertState, targetStateRef } from '../../../src/sinks/alerts/alertStore.js';
import { outcomeOf, sendNotification } from '../../../src/sinks/alerts/notify.js';
import type { Notification } from '../../../src/sinks/alerts/alertState.js';
import type { ArtifactStore } from '../../../src/store/artifactStore.js';
import { createBlobStore } from '../../../src/store/blobStore.js';
import { alertStatePath } from '../../../src/store/layout.js';
import { createLocalStore } from '../../../src/store/localStore.js';
import { withSpool } from '../../../src/store/spool.js';
import { startAzurite, type Azurite } from '../../helpers/azurite.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import { cleanupTempDirs, tempDir } from '../../helpers/tempDirs.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver.js';
import { testChannel } from '../../helpers/channels.js';

let azurite: Azurite;
let hook: WebhookReceiver;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000);
const open = (): ArtifactStore =>
  createBlobStore({ kind: 'connection-string', connectionString: azurite.connectionString, container: 'delivery' });
const FAST = { attempts: 1, attemptTimeoutMs: 3_000, totalTimeoutMs: 3_000 };

beforeAll(async () => {
  [azurite, hook] = await Promise.all([startAzurite(), startWebhookReceiver()]);
});
afterAll(async () => Promise.all([azurite?.stop(), hook?.close(), cleanupTempDirs()]));
afterEach(() => hook.script(undefined));

function sender(store: ArtifactStore) {
  return [
    testChannel(async (n: Notification) =>
      outcomeOf(await sendNotification(n, store, { webhookUrl: hook.url, format: 'json', webhook: FAST })),
    ),
  ];
}
const ref = (target: string) => targetStateRef('swedencentral', target);
const key = (id: string) => `${id}>webhook`;

async function failTwice(store: ArtifactStore, target: string, minute = 0): Promise<void> {
  await applyRun(
    store,
    makeRunSummary({ target, runId: `${target}-1`, startedAt: at(minute).toISOString(), verdict: 'fail' }),
    at(minute + 1),
  );
  await applyRun(
    store,
    makeRunSummary({ target, runId: `${target}-2`, startedAt: at(minute + 10).toISOString(), verdict: 'fail' }),
    at(minute + 11),
  );
}

describe('exactly-once delivery', () => {
  it('two overlapping deliverers post each pending notification once (claimed under the ETag first)', async () => {
    for (let round = 0; round < 5; round++) {
      const target = `overlap-${round}`;
      const [a, b] = [open(), open()];
      await failTwice(a, target);
      const [ra, rb] = await Promise.all([
        deliverPending(a, ref(target), sender(a), () => at(12)),
        deliverPending(b, ref(target), sender(b), () => at(12)),
      ]);
      expect([...ra.delivered, ...rb.delivered]).toEqual([key(`alert:swedencentral/${target}:${target}-2`)]);
      expect(hook.countById().get(`alert:swedencentral/${target}:${target}-2`)).toBe(1);
      expect((await readAlertState(a, 'swedencentral', target))!.pending).toEqual([]);
      expect((await readAlertState(a, 'swedencentral', target))!.claims).toBeUndefined();
    }
  });

  it('a notification rejected for good (400) is dropped after a bounded number of tries and never blocks the recovery behind it', async () => {
    const store = open();
    const target = 'rejected';
    const lines: string[] = [];
    const log = { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    await failTwice(store, target);
    hook.script((req) =>
      req.json<{ kind: string; target: string }>().kind === 'alert'
        ? { status: 400, body: 'Bad payload' }
        : { status: 202 },
    );
    for (let i = 1; i < MAX_REJECTIONS; i++) {
      const r = await deliverPending(store, ref(target), sender(store), () => at(12 + i), { log });
      expect(r.delivered).toEqual([]);
      expect(r.pending).toEqual([`alert:swedencentral/${target}:${target}-2`]); // not dropped yet: bounded retries
    }
    // three passing runs recover while the alert is still undeliverable: the recovery goes out in the same pass
    for (let i = 3; i <= 5; i++)
      await applyRun(
        store,
        makeRunSummary({ target, runId: `${target}-${i}`, startedAt: at(20 + i).toISOString(), verdict: 'pass' }),
        at(21 + i),
      );
    const last = await deliverPending(store, ref(target), sender(store), () => at(40), { log });
    expect(last.dropped).toEqual([key(`alert:swedencentral/${target}:${target}-2`)]);
    expect(last.delivered).toEqual([key(`recovery:swedencentral/${target}:${target}-5`)]);
    expect(lines.join('\n')).toMatch(
      /notification alert:swedencentral\/rejected:rejected-2>webhook dropped: the channel rejected it for good 3 times/,
    );
    expect((await readAlertState(store, 'swedencentral', target))!.pending).toEqual([]);
  });

  it('a corrupt state blob is moved aside and rebuilt; alerts for the target go on', async () => {
    const store = open();
    const target = 'corrupt';
    const lines: string[] = [];
    await store.put(alertStatePath('swedencentral', target), '{"recent": [tor', 'application/json');
    const log = { warn: (m: string) => lines.push(m), error: (m: string) => lines.push(m) };
    await applyRun(
      store,
      makeRunSummary({ target, runId: 'c1', startedAt: at(0).toISOString(), verdict: 'fail' }),
      at(1),
      undefined,
      log,
    );
    const step = await applyRun(
      store,
      makeRunSummary({ target, runId: 'c2', startedAt: at(10).toISOString(), verdict: 'fail' }),
      at(11),
      undefined,
      log,
    );
    expect(step.notifications.map((n) => n.kind)).toEqual(['alert']);
    const aside = await store.list(`state/swedencentral/${target}.corrupt-`);
    expect(aside).toHaveLength(1);
    expect((await store.get(aside[0]!))!.toString()).toBe('{"recent": [tor');
    expect(lines.join('\n')).toMatch(
      /alert state state\/swedencentral\/corrupt\.json could not be read .*moved aside to state\/swedencentral\/corrupt\.corrupt-/,
    );
    await store.put(alertStatePath('swedencentral', 'shape'), '[1,2,3]', 'application/json');
    await expect(
      applyRun(store, makeRunSummary({ target: 'shape', runId: 's1', verdict: 'fail' }), at(1)),
    ).resolves.toBeDefined();
  });
});

describe('spool shared by two processes', () => {
  it('uploads every spooled entry exactly once when two rounds flush the same folder at once', async () => {
    const spoolDir = await tempDir('shared-spool-');
    const down: ArtifactStore = {
      ...createLocalStore(await tempDir('unused-')),
      put: async () => Promise.reject(Object.assign(new Error('down'), { code: 'ECONNREFUSED' })),
    };
    const writer = withSpool(down, spoolDir);
    for (let i = 0; i < 40; i++) await writer.put(`runs/r${i}.json`, `{"i":${i}}`, 'application/json');
    const target = createLocalStore(await tempDir('target-'));
    const uploads = new Map<string, number>();
    const counting = (): ArtifactStore => ({
      ...target,
      description: 'counting',
      put: async (path, body, type) => {
        uploads.set(path, (uploads.get(path) ?? 0) + 1);
        await new Promise((r) => setTimeout(r, 2));
        return target.put(path, body, type);
      },
    });
    const [a, b] = await Promise.all([
      withSpool(counting(), spoolDir).flush(),
      withSpool(counting(), spoolDir).flush(),
    ]);
    expect(a.uploaded + b.uploaded).toBe(40);
    expect(a.uploaded).toBeGreaterThan(0);
    expect(b.uploaded).toBeGreaterThan(0);
    expect([...uploads.values()].every((n) => n === 1)).toBe(true);
    expect(uploads.size).toBe(40);
    expect(await withSpool(counting(), spoolDir).pending()).toBe(0);
  });
});
