/**
 * Notifications that wait too long, against alert state in Azurite and a real local receiver: the clock jumping
 * 49 h (or the app stopped two days) with an undelivered alert does not drop the alert — the channel sees it before
 * any reminder for it; a notification that does expire is logged; a Teams card the receiver answers 413 to is
 * posted once more as the minimal card, which always fits.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { applyRun, deliverPending, targetStateRef } from '../../../src/sinks/alerts/alertStore.js';
import type { AlertRules } from '../../../src/sinks/alerts/alertState.js';
import { outcomeOf, sendNotification, type WebhookFormat } from '../../../src/sinks/alerts/notify.js';
import type { TeamsEnvelope } from '../../../src/sinks/alerts/teamsCard.js';
import type { ArtifactStore } from '../../../src/store/artifactStore.js';
import { createBlobStore } from '../../../src/store/blobStore.js';
import { startAzurite, type Azurite } from '../../helpers/azurite.js';
import { testChannel } from '../../helpers/channels.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import { startWebhookReceiver, type WebhookReceiver } from '../../helpers/webhookReceiver.js';

let azurite: Azurite;
let hook: WebhookReceiver;
const T0 = Date.parse('2026-11-02T10:00:00Z');
const hours = (h: number): Date => new Date(T0 + h * 3_600_000);
const RULES: AlertRules = { k: 1, n: 1, reminderHours: 6 };
const open = (): ArtifactStore =>
  createBlobStore({ kind: 'connection-string', connectionString: azurite.connectionString, container: 'expiry' });

beforeAll(async () => {
  [azurite, hook] = await Promise.all([startAzurite(), startWebhookReceiver()]);
});
afterAll(async () => Promise.all([azurite?.stop(), hook?.close()]));
afterEach(() => {
  hook.script(undefined);
  hook.requests.length = 0;
});

const channel = (store: ArtifactStore, format: WebhookFormat = 'json') =>
  testChannel((n) =>
    sendNotification(n, store, { webhookUrl: hook.url, format, webhook: { attempts: 1 } }).then(outcomeOf),
  );
const run = (target: string, runId: string, at: Date, verdict: 'pass' | 'fail') =>
  makeRunSummary({ target, runId, startedAt: at.toISOString(), verdict });

describe('notifications that waited too long', () => {
  it('the clock jumps 49 h with an undelivered alert: the alert is delivered, and before the reminder', async () => {
    const store = open();
    const ref = targetStateRef('swedencentral', 'jumped');
    hook.script(() => ({ status: 503 }));
    await applyRun(store, run('jumped', 'j1', hours(0), 'fail'), hours(0), RULES);
    expect((await deliverPending(store, ref, [channel(store)], () => hours(0))).pending).toHaveLength(1);

    hook.script(undefined);
    hook.requests.length = 0;
    const later = await applyRun(store, run('jumped', 'j2', hours(49), 'fail'), hours(49), RULES);
    expect(later.notifications.map((n) => n.kind)).toEqual(['reminder']);
    const warnings: string[] = [];
    const r = await deliverPending(store, ref, [channel(store)], () => hours(49), {
      log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    expect(r.expired).toEqual([]);
    expect(hook.requests.map((q) => q.json<{ id: string }>().id.split(':')[0])).toEqual(['alert', 'reminder']);
    expect(r.pending).toEqual([]);
  });

  it('a notification that expires undelivered (the app stopped two days) is logged, not dropped silently', async () => {
    const store = open();
    const ref = targetStateRef('swedencentral', 'stopped');
    await applyRun(store, run('stopped', 's1', hours(0), 'fail'), hours(0), RULES);
    await deliverPending(store, ref, [channel(store)], () => hours(0)); // the alert went out
    hook.script(() => ({ status: 503 }));
    await applyRun(store, run('stopped', 's2', hours(1), 'pass'), hours(1), RULES); // its recovery did not
    await deliverPending(store, ref, [channel(store)], () => hours(1));

    const warnings: string[] = [];
    const r = await deliverPending(store, ref, [channel(store)], () => hours(50), {
      log: { warn: (m) => warnings.push(m), error: (m) => warnings.push(m) },
    });
    expect(r.expired).toEqual(['recovery:swedencentral/stopped:s2']);
    expect(warnings).toEqual([
      expect.stringMatching(/^notification recovery:swedencentral\/stopped:s2 expired: not delivered within 48 h/),
    ]);
  });

  it('a Teams card answered 413 is posted once more as the minimal card, which fits', async () => {
    const store = open();
    hook.script((q) => (q.body.length > 1_500 ? { status: 413 } : { status: 202 }));
    const step = await applyRun(
      store,
      makeRunSummary({ target: 'big', runId: 'b1', verdict: 'fail', headline: 'A long headline. '.repeat(120) }),
      hours(0),
      RULES,
    );
    const sent = await sendNotification(step.notifications[0]!, store, {
      webhookUrl: hook.url,
      format: 'teams',
      webhook: { attempts: 1 },
    });
    expect(sent).toMatchObject({ delivered: true, attempts: 2 });
    expect(hook.requests.map((q) => q.status)).toEqual([413, 202]);
    const card = hook.requests[1]!.json<TeamsEnvelope>();
    expect(JSON.stringify(card)).toMatch(/Details did not fit in a Teams card\. Report: runs\//);
    expect(JSON.stringify(card)).toContain('big @ swedencentral');
  });
});
