/**
 * Queue mode's poison-queue card through the planner with real parts: Azurite's queue and blob services, the
 * planner handler called with a real InvocationContext on an injected clock, and real local HTTP receivers standing
 * in for the chat webhook (JSON) and PagerDuty's Events API. Messages put into `<name>-poison` → one ☠️ card and one
 * trigger; the next minutes with the messages still there → nothing new; the poison queue cleared → one recovery.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { InvocationContext, type Timer } from '@azure/functions';
import { makePlannerHandler } from '../../src/handlers/canaryPlanner.js';
import { MINUTE_MS } from '../../src/queue/probeMessage.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import type { JsonNotificationPayload } from '../../src/sinks/alerts/jsonPayload.js';
import type { PagerDutyEvent } from '../../src/sinks/alerts/pagerDuty.js';
import { allBlobs } from '../handlers/roundFixture.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { useQueueWorld } from './queueWorld.js';

const world = useQueueWorld();
const ROUTING_KEY = 'R0ut1ngKeyOfThePoisonTest0123456';
const timer: Timer = {
  isPastDue: false,
  schedule: { adjustForDST: false },
  scheduleStatus: { last: '', next: '', lastUpdated: '' },
};

let chat: WebhookReceiver;
let pd: WebhookReceiver;
beforeEach(async () => {
  [chat, pd] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
});
afterEach(async () => Promise.all([chat?.close(), pd?.close()]));

function context(id: string, logs: string[]): InvocationContext {
  return new InvocationContext({
    functionName: 'canaryPlanner',
    invocationId: id,
    logHandler: (level, ...args) => logs.push(`${level}: ${args.join(' ')}`),
  });
}

const payloads = (hook: WebhookReceiver) =>
  hook.requests.filter((r) => r.status === 202).map((r) => r.json<JsonNotificationPayload>());

async function env(region: string, queueName: string, over: Record<string, string> = {}) {
  return world.env({
    CANARY_REGION: region,
    CANARY_QUEUE_NAME: queueName,
    CANARY_TARGETS: JSON.stringify([
      {
        name: 'poison-target',
        endpoint: world.sim.url('openai-ga', { scenario: 'fast' }),
        auth: 'api-key',
        secretSetting: 'SIM_KEY',
        every: '1h',
      },
    ]),
    CANARY_WEBHOOK_URL: chat.url,
    CANARY_WEBHOOK_FORMAT: 'json,pagerduty',
    CANARY_PAGERDUTY_ROUTING_KEY: ROUTING_KEY,
    CANARY_PAGERDUTY_URL: pd.url,
    ...over,
  });
}

describe('queue mode: the poison queue’s card', () => {
  it('messages in the poison queue → one card from the planner; the next minutes → nothing new; cleared → one recovery', async () => {
    const settings = await env('poregion1', 'poison-one');
    let now = Math.floor(Date.now() / MINUTE_MS) * MINUTE_MS + 5_000;
    const handler = makePlannerHandler(() => settings, { clock: () => now });
    const logs: string[] = [];
    const run = async (id: string) => handler(timer, context(id, logs));

    // nothing in the poison queue (it does not even exist yet): no card, no state written
    expect(await run('inv-0')).toMatchObject({ kind: 'planned', ranSinks: true });
    expect(chat.requests).toEqual([]);
    expect((await allBlobs(world.azurite.connectionString)).has('poison/poregion1.json')).toBe(false);

    const poison = world.queues().getQueueClient('poison-one-poison');
    await poison.createIfNotExists();
    for (let i = 0; i < 3; i++) await poison.sendMessage(Buffer.from(`{"target":"t${i}"}`).toString('base64'));
    now += MINUTE_MS;
    expect(await run('inv-1')).toMatchObject({ ranSinks: true });
    const opened = payloads(chat);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({
      kind: 'alert',
      category: 'poison',
      region: 'poregion1',
      target: '_poison',
      title: '☠️ poregion1: 3 probe messages in the poison queue poison-one-poison',
      poison: { count: 3, queue: 'poison-one-poison' },
    });
    expect(opened[0]!.text).toMatch(/the canary's own fault, never the service's/);
    const triggers = pd.requests.map((r) => r.json<PagerDutyEvent>());
    expect(triggers).toMatchObject([
      { event_action: 'trigger', dedup_key: '_poison@poregion1', payload: { severity: 'error' } },
    ]);
    expect(logs.join('\n')).toMatch(/warning: poison check poregion1: 3 probe messages in poison-one-poison/);

    // a retried planner in the same minute, and the next minutes with the messages still there: nothing new
    expect(await run('inv-1b')).toMatchObject({ ranSinks: false });
    for (const m of [1, 2]) {
      now += MINUTE_MS;
      expect(await run(`inv-2-${m}`)).toMatchObject({ ranSinks: true });
    }
    expect(chat.requests).toHaveLength(1);
    expect(pd.requests).toHaveLength(1);
    const state = JSON.parse(
      (await allBlobs(world.azurite.connectionString)).get('poison/poregion1.json')!.toString(),
    ) as AlertState;
    expect(state).toMatchObject({ target: '_poison', pending: [], open: { failureClass: 'probe_poisoned' } });

    await poison.clearMessages();
    now += MINUTE_MS;
    await run('inv-3');
    now += MINUTE_MS;
    await run('inv-4');
    const all = payloads(chat);
    expect(all.map((p) => p.kind)).toEqual(['alert', 'recovery']);
    expect(all[1]).toMatchObject({ title: '✅ poregion1: the poison queue poison-one-poison is empty again' });
    expect(all[1]!.text).toMatch(/held at most 3 probe messages/);
    expect(pd.requests.map((r) => r.json<PagerDutyEvent>())).toMatchObject([
      { event_action: 'trigger' },
      { event_action: 'resolve', dedup_key: '_poison@poregion1' },
    ]);
    expect(chat.countById().size).toBe(2);
    expect([...chat.countById().values()]).toEqual([1, 1]);
    const everything = [...chat.requests.map((r) => r.body), ...logs].join('\n');
    expect(everything).not.toContain(ROUTING_KEY);
    expect(everything).not.toContain(chat.secret);
  }, 90_000);

  it('a poison queue it cannot read is one warning line and changes nothing: no card, no state', async () => {
    const settings = await env('poregion2', 'poison-two', {
      CANARY_QUEUE:
        'DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;QueueEndpoint=http://127.0.0.1:1/devstoreaccount1;',
    });
    const logs: string[] = [];
    const result = await makePlannerHandler(() => settings)(timer, context('inv-x', logs));
    expect(result).toMatchObject({ ranSinks: true });
    const warned = logs.filter((l) => l.includes('poison check poregion2'));
    expect(warned).toHaveLength(1);
    expect(warned[0]).toMatch(
      /^warning: poison check poregion2: the length of poison-two-poison could not be read \(.*\); its alert is unchanged this minute — check CANARY_QUEUE$/,
    );
    expect(logs.join('\n')).not.toContain('Eby8vdM02');
    expect(chat.requests).toEqual([]);
    expect(pd.requests).toEqual([]);
    expect((await allBlobs(world.azurite.connectionString)).has('poison/poregion2.json')).toBe(false);
  }, 60_000);
});
