/**
 * The watchdog, paging and mutes end to end: real handlers (one per region, each with its own CANARY_REGION) on
 * real Azurite, the simulator as the target, and real local HTTP receivers standing in for the chat webhook and
 * PagerDuty's Events API. Every round runs on an injected clock; each test has its own container, so heartbeats
 * of one test are never watched by another.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { gunzipSync } from 'node:zlib';
import type { JsonNotificationPayload } from '../../src/sinks/alerts/jsonPayload.js';
import type { AlertState } from '../../src/sinks/alerts/alertState.js';
import type { PagerDutyEvent } from '../../src/sinks/alerts/pagerDuty.js';
import type { RunSummary } from '../../src/runSummary.js';
import { startWebhookReceiver, type WebhookReceiver } from '../helpers/webhookReceiver.js';
import { allBlobs, invoke, SIM_KEY, useRoundWorld, type Invocation } from './roundFixture.js';

const world = useRoundWorld();
const ROUTING_KEY = 'R0ut1ngKeyOfTheCanaryTest0123456';
const T0 = Date.parse('2026-11-24T08:00:00Z');
const at = (min: number) => () => new Date(T0 + min * 60_000);

let chat: WebhookReceiver;
let pd: WebhookReceiver;
beforeEach(async () => {
  [chat, pd] = await Promise.all([startWebhookReceiver(), startWebhookReceiver()]);
});
afterEach(async () => Promise.all([chat?.close(), pd?.close()]));

/** One target on the simulator: `gap` fails every turn, `fast` passes. */
const target = (scenario: 'gap' | 'fast'): string =>
  JSON.stringify([
    {
      name: 'azure-fc',
      endpoint: world.sim.url('azure-ga', { scenario }),
      auth: 'api-key',
      secretSetting: 'SIM_KEY',
      group: 'g',
    },
  ]);

/** A region's settings in the test's own container: JSON to `chat`, and PagerDuty to `pd` when `paging`. */
async function region(name: string, container: string, over: Record<string, string> = {}, paging = false) {
  return world.env({
    CANARY_REGION: name,
    CANARY_CONTAINER: container,
    CANARY_CONFIRM_RETRIES: '0',
    CANARY_WEBHOOK_URL: chat.url,
    CANARY_WEBHOOK_FORMAT: paging ? 'json,pagerduty' : 'json',
    // stable report links (the reports site) so PagerDuty's links can be checked
    CANARY_REPORTS_HTTP: 'on',
    WEBSITE_HOSTNAME: 'canary-test.azurewebsites.net',
    ...(paging ? { CANARY_PAGERDUTY_ROUTING_KEY: ROUTING_KEY, CANARY_PAGERDUTY_URL: pd.url } : {}),
    ...over,
  });
}

const round = (env: Record<string, string>, scenario: 'gap' | 'fast', min: number): Promise<Invocation> =>
  invoke({ ...env, CANARY_TARGETS: target(scenario) }, { now: at(min) });

/** What the chat receiver accepted, as JSON payloads. */
const accepted = (hook: WebhookReceiver) =>
  hook.requests.filter((r) => r.status === 202).map((r) => r.json<JsonNotificationPayload>());
const events = (hook: WebhookReceiver) =>
  hook.requests.map((r) => ({ ok: r.status === 202, e: r.json<PagerDutyEvent>() }));

describe('the watchdog', () => {
  it('a region whose heartbeat stops is alerted by another region’s round once and recovered once', async () => {
    const container = 'wd-silence';
    const [west, east, north] = await Promise.all([
      region('westeurope', container),
      region('eastus2', container),
      region('northeurope', container),
    ]);
    await Promise.all([round(west, 'fast', 0), round(east, 'fast', 0)]);
    const beats = await allBlobs(world.azurite.connectionString, container);
    const hb = JSON.parse(beats.get('heartbeats/eastus2.json')!.toString()) as Record<string, unknown>;
    expect(hb).toMatchObject({
      region: 'eastus2',
      at: '2026-11-24T08:00:00.000Z',
      schedule: '0 */10 * * * *',
      intervalMs: 600_000,
      nextRunAt: '2026-11-24T08:10:00.000Z',
      silentAfter: '2026-11-24T08:20:00.000Z',
      targets: ['azure-fc'],
    });

    // eastus2 stops; two intervals after its last round westeurope still says nothing …
    await round(west, 'fast', 10);
    await round(west, 'fast', 20);
    expect(accepted(chat)).toEqual([]);
    // … and past them it alerts, once
    const noticed = await round(west, 'fast', 25);
    expect(accepted(chat).map((p) => [p.kind, p.category, p.region, p.target])).toEqual([
      ['alert', 'watchdog', 'eastus2', '_watchdog'],
    ]);
    const alert = accepted(chat)[0]!;
    expect(alert.title).toBe('💤 eastus2: the canary is silent — no round since 2026-11-24 08:00 UTC');
    expect(alert.text).toMatch(/25 min, more than two of its 10 min intervals/);
    expect(alert.silence).toMatchObject({
      region: 'eastus2',
      noticedBy: 'westeurope',
      lastRoundId: expect.any(String),
    });
    expect(noticed.logs.join('\n')).toMatch(/watchdog: no round from eastus2 since 2026-11-24 08:00 UTC/);

    // overlapping rounds of westeurope and a third region that notices the same silence: no second alert
    await Promise.all([round(west, 'fast', 30), round(west, 'fast', 30), round(north, 'fast', 30)]);
    expect(accepted(chat)).toHaveLength(1);

    // eastus2 is back: its own round says nothing about itself; the next round elsewhere recovers, once
    await round(east, 'fast', 40);
    expect(accepted(chat)).toHaveLength(1);
    await Promise.all([round(west, 'fast', 45), round(north, 'fast', 45)]);
    await round(west, 'fast', 55);
    const sent = accepted(chat);
    expect(sent.map((p) => [p.kind, p.region])).toEqual([
      ['alert', 'eastus2'],
      ['recovery', 'eastus2'],
    ]);
    expect(sent[1]!.title).toBe('✅ eastus2: the canary is running again');
    expect(sent[1]!.text).toMatch(/finished a round at 2026-11-24 08:40 UTC after 40 min of silence/);
    expect([...chat.countById().values()].every((n) => n === 1)).toBe(true);
    const state = JSON.parse(
      (await allBlobs(world.azurite.connectionString, container)).get('watchdog/eastus2.json')!.toString(),
    ) as AlertState;
    expect(state.open).toBeUndefined();
    expect(state.pending).toEqual([]);
  }, 300_000);
});

describe('paging through PagerDuty', () => {
  it('triggers on open and resolves on recovery with one dedup key, once across two overlapping rounds, beside the chat webhook', async () => {
    const container = 'wd-pagerduty';
    const e = await region('swedencentral', container, { CANARY_ALERT_RULE: '2/2' }, true);
    // two overlapping failing rounds: together 2 of 2 failing, one alert
    const [a, b] = await Promise.all([round(e, 'gap', 0), round(e, 'gap', 0)]);
    expect(a.result.notificationsDelivered + b.result.notificationsDelivered).toBe(2); // one per channel
    await Promise.all([round(e, 'fast', 10), round(e, 'fast', 10)]); // 2 passes in a row: recovered, once
    await round(e, 'fast', 20);

    expect(events(pd).map(({ e: x }) => [x.event_action, x.dedup_key])).toEqual([
      ['trigger', 'azure-fc@swedencentral'],
      ['resolve', 'azure-fc@swedencentral'],
    ]);
    const trigger = pd.requests[0]!.json<Extract<PagerDutyEvent, { event_action: 'trigger' }>>();
    expect(trigger.routing_key).toBe(ROUTING_KEY);
    expect(trigger.payload).toMatchObject({
      severity: 'critical',
      source: expect.stringMatching(/127\.0\.0\.1/),
      component: 'azure-fc',
      group: 'g',
      class: 'silent_gap',
      summary: expect.stringContaining('azure-fc @ swedencentral'),
    });
    expect(trigger.links.map((l) => l.text)).toEqual(['Report', 'Evidence (zip)', 'Dashboard']);
    expect(trigger.links[0]!.href).toMatch(
      /^https:\/\/canary-test\.azurewebsites\.net\/reports\/runs\/2026\/11\/24\/.*\/swedencentral\/azure-fc\/report\.html$/,
    );
    expect(trigger.links[1]!.href).toMatch(/\/azure-fc\/evidence\.zip$/);
    expect(accepted(chat).map((p) => p.kind)).toEqual(['alert', 'recovery']);

    // the routing key is a secret: in no blob, no log line, no chat payload
    const everything = [
      ...[...(await allBlobs(world.azurite.connectionString, container)).values()].map((x) =>
        (x[0] === 0x1f ? gunzipSync(x) : x).toString('latin1'),
      ),
      ...chat.requests.map((r) => r.body),
      ...a.logs,
      ...b.logs,
    ].join('\n');
    expect(everything).not.toContain(ROUTING_KEY);
    expect(everything).not.toContain(SIM_KEY);
  }, 240_000);

  it('a failing receiver never holds back the other: each channel keeps its own delivery state', async () => {
    const container = 'wd-channels';
    const e = await region('francecentral', container, { CANARY_ALERT_RULE: '1/1' }, true);
    chat.script(() => ({ status: 500 }));
    const r1 = await round(e, 'gap', 0); // the chat webhook is down: PagerDuty is paged anyway
    expect(
      events(pd)
        .filter((x) => x.ok)
        .map(({ e: x }) => x.event_action),
    ).toEqual(['trigger']);
    expect(accepted(chat)).toEqual([]);
    expect(r1.logs.join('\n')).toMatch(/alert for azure-fc not delivered to the webhook \(exhausted, status 500/);
    const state = JSON.parse(
      (await allBlobs(world.azurite.connectionString, container)).get('state/francecentral/azure-fc.json')!.toString(),
    ) as AlertState;
    expect(state.pending.map((n) => n.kind)).toEqual(['alert']);
    expect(Object.values(state.sent ?? {})).toEqual([['pagerduty']]);

    chat.script(undefined);
    pd.script(() => ({ status: 500 }));
    await round(e, 'fast', 10); // recovered; now PagerDuty is down: the chat gets the alert, then the recovery
    expect(accepted(chat).map((p) => p.kind)).toEqual(['alert', 'recovery']);
    expect(
      events(pd)
        .filter((x) => x.ok)
        .map(({ e: x }) => x.event_action),
    ).toEqual(['trigger']);

    pd.script(undefined);
    await round(e, 'fast', 20); // PagerDuty is back: it gets its resolve; the chat gets nothing twice
    expect(
      events(pd)
        .filter((x) => x.ok)
        .map(({ e: x }) => x.event_action),
    ).toEqual(['trigger', 'resolve']);
    expect(accepted(chat)).toHaveLength(2);
    expect([...chat.countById().values(), ...pd.countById().values()].every((n) => n === 1)).toBe(true);
  }, 240_000);
});

describe('CANARY_MUTE', () => {
  it('a muted target’s failure sends nothing; the mute’s end is announced once, with what is still failing', async () => {
    const container = 'wd-mute';
    const mute = JSON.stringify([{ group: 'g', until: '2026-11-24T08:25:00Z', reason: 'planned upgrade' }]);
    const [south, west] = await Promise.all([
      region('uksouth', container, { CANARY_ALERT_RULE: '1/1', CANARY_MUTE: mute }, true),
      region('ukwest', container, { CANARY_ALERT_RULE: '1/1', CANARY_MUTE: mute }, true),
    ]);
    const first = await round(south, 'gap', 0);
    await round(south, 'gap', 10);
    expect(first.result.outcomes[0]!.summary).toMatchObject({
      verdict: 'fail',
      muted: { until: '2026-11-24T08:25:00.000Z', scope: 'group g', reason: 'planned upgrade' },
    });
    expect(chat.requests).toEqual([]); // probed and reported, nothing sent
    expect(pd.requests).toEqual([]);
    const blobs = await allBlobs(world.azurite.connectionString, container);
    const state = JSON.parse(blobs.get('state/uksouth/azure-fc.json')!.toString()) as AlertState;
    expect(state.open).toBeDefined();
    expect(state.pending).toEqual([]);
    expect(state.muted!.map((m) => [m.kind, m.scope, m.until])).toEqual([
      ['alert', 'group g', '2026-11-24T08:25:00.000Z'],
    ]);
    const index = [...blobs]
      .filter(([k]) => k.startsWith('index/'))
      .flatMap(([, x]) => x.toString().trim().split('\n'))
      .map((l) => JSON.parse(l) as RunSummary);
    expect(index.every((s) => s.muted?.until === '2026-11-24T08:25:00.000Z')).toBe(true);

    // the mute ends: two overlapping rounds in one region, then one in another, announce it once
    await Promise.all([round(south, 'gap', 30), round(south, 'gap', 30)]);
    await round(west, 'fast', 31);
    await round(west, 'fast', 40);
    const ended = accepted(chat);
    expect(ended.map((p) => [p.kind, p.category])).toEqual([['alert', 'mute']]);
    expect(ended[0]!.title).toBe('🔔 Mute of group g ended: 1 still failing');
    expect(ended[0]!.text).toMatch(/Still failing: azure-fc @ uksouth since 2026-11-24 08:00 UTC/);
    expect(ended[0]!.muteEnd).toMatchObject({ held: 1, stillFailing: [{ target: 'azure-fc', region: 'uksouth' }] });
    // PagerDuty is paged for what is still failing now that nobody is told otherwise
    expect(events(pd).map(({ e: x }) => [x.event_action, x.dedup_key])).toEqual([['trigger', 'azure-fc@uksouth']]);

    // from now on the target notifies as usual: its recovery resolves the page
    await round(south, 'fast', 50);
    expect(accepted(chat).map((p) => [p.kind, p.category ?? 'incident'])).toEqual([
      ['alert', 'mute'],
      ['recovery', 'incident'],
    ]);
    expect(events(pd).map(({ e: x }) => x.event_action)).toEqual(['trigger', 'resolve']);
  }, 300_000);
});
