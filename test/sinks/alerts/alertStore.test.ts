/**
 * Alert state in Azurite plus delivery to a real local receiver: concurrent updaters (two overlapping runs,
 * two regions) lose nothing, an undelivered alert stays pending and goes out on the next run, and no secret
 * (the webhook URL or its signature) ends up in the state blob.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyRun, deliverPending, readAlertState, targetStateRef } from '../../../src/sinks/alerts/alertStore.js';
import { testChannel } from '../../helpers/channels.js';
import type { ArtifactStore } from '../../../src/store/artifactStore.js';
import { createBlobStore } from '../../../src/store/blobStore.js';
import { alertStatePath } from '../../../src/store/layout.js';
import { outcomeOf, sendNotification } from '../../../src/sinks/alerts/notify.js';
import type { TeamsEnvelope } from '../../../src/sinks/alerts/teamsCard.js';
import { startAzurite, type Azurite } from '../../helpers/azurite.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver.js';

let azurite: Azurite;
let hook: WebhookReceiver | undefined;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const at = (min: number) => new Date(T0 + min * 60_000);
const open = (): ArtifactStore =>
  createBlobStore({ kind: 'connection-string', connectionString: azurite.connectionString, container: 'alerts' });

beforeAll(async () => {
  azurite = await startAzurite();
});
afterAll(async () => azurite?.stop());
afterEach(async () => hook?.close());

describe('alert state in blob storage', () => {
  it('two handlers applying runs at once lose nothing, and regions do not share state', async () => {
    const [a, b] = [open(), open()];
    const runs = Array.from({ length: 3 }, (_, i) =>
      makeRunSummary({ runId: `r${i}`, startedAt: at(i).toISOString(), verdict: i < 2 ? 'fail' : 'pass' }),
    );
    // Two overlapping handlers applying a run each, at the same moment, to the same (region, target).
    await Promise.all(runs.slice(0, 2).map((run, i) => applyRun(i % 2 ? a : b, run, at(30))));
    const state = await readAlertState(a, 'swedencentral', 'aoai-sweden');
    expect(state!.recent.map((r) => r.runId)).toEqual(['r0', 'r1']);
    expect(state!.open?.runId).toBeDefined(); // 2 of 2 failing: opened exactly once, whichever landed second
    expect(state!.pending.map((n) => n.kind)).toEqual(['alert']);

    const other = makeRunSummary({ runId: 'r0', region: 'francecentral', verdict: 'fail' });
    await Promise.all([applyRun(a, other, at(31)), applyRun(b, runs[2]!, at(31))]);
    expect((await readAlertState(a, 'francecentral', 'aoai-sweden'))!.recent.map((r) => r.runId)).toEqual(['r0']);
    expect((await readAlertState(a, 'swedencentral', 'aoai-sweden'))!.recent.map((r) => r.runId)).toEqual([
      'r0',
      'r1',
      'r2',
    ]);
  });

  it('an alert the webhook did not take stays pending and is delivered by the next run; no secret in the state blob', async () => {
    const store = open();
    hook = await startWebhookReceiver();
    const target = 'aoai-pending';
    const send = [
      testChannel((n) =>
        sendNotification(n, store, {
          webhookUrl: hook!.url,
          format: 'teams',
          webhook: { attempts: 2, baseDelayMs: 5, maxDelayMs: 10 },
        }).then(outcomeOf),
      ),
    ];

    // Run 1 and 2 fail → alert; the receiver is failing (500 twice = both attempts).
    hook.reply({ status: 500 }, { status: 500 });
    await applyRun(
      store,
      makeRunSummary({ target, runId: 'p1', startedAt: at(0).toISOString(), verdict: 'fail' }),
      at(1),
    );
    const step = await applyRun(
      store,
      makeRunSummary({ target, runId: 'p2', startedAt: at(10).toISOString(), verdict: 'fail' }),
      at(11),
    );
    expect(step.notifications.map((n) => n.kind)).toEqual(['alert']);
    expect(await deliverPending(store, targetStateRef('swedencentral', target), send, () => at(11))).toEqual({
      delivered: [],
      pending: [step.notifications[0]!.id],
      expired: [],
    });
    expect(hook.requests).toHaveLength(2);

    // Run 3 fails again: no new notification, but the pending alert goes out now.
    const third = await applyRun(
      store,
      makeRunSummary({ target, runId: 'p3', startedAt: at(20).toISOString(), verdict: 'fail' }),
      at(21),
    );
    expect(third.notifications).toEqual([]);
    expect(await deliverPending(store, targetStateRef('swedencentral', target), send, () => at(21))).toEqual({
      delivered: [`${step.notifications[0]!.id}>webhook`],
      pending: [],
      expired: [],
    });
    expect(hook.requests).toHaveLength(3);
    const card = hook.requests[2]!.json<TeamsEnvelope>();
    expect(JSON.stringify(card)).toContain('🔴 aoai-pending @ swedencentral: 3.1 s silent gap in 3 of 6 turns');

    const state = await readAlertState(store, 'swedencentral', target);
    expect(state!.pending).toEqual([]);
    expect(state!.lastDeliveredAt).toBe(at(21).toISOString());
    const blob = (await store.get(alertStatePath('swedencentral', target)))!.toString();
    expect(blob).not.toContain(hook.secret);
    expect(blob).not.toContain(hook.url);
    expect(blob).not.toMatch(/sig=/);
  });

  it('delivering tolerates missing state', async () => {
    const store = open();
    const nowhere = await deliverPending(store, targetStateRef('nowhere', 'nothing'), [
      testChannel(async () => 'retry'),
    ]);
    expect(nowhere).toEqual({ delivered: [], pending: [], expired: [] });
  });
});
