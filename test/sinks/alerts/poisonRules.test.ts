/**
 * Queue mode's poison-queue rules, pure: a count above 0 opens one ☠️ alert, repeated counts say nothing until the
 * reminder interval (then one reminder with the count then), a count of 0 recovers once; a count that could not be
 * read, and a second observation of the same minute, change nothing. What PagerDuty makes of the cards: its own
 * dedup key, severity `error`, the recovery resolving it, reminders paging no one.
 */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/sinks/alerts/alertState.js';
import { pagerDutyEvents } from '../../../src/sinks/alerts/pagerDuty.js';
import { observePoison, type PoisonState } from '../../../src/sinks/alerts/poison.js';
import { notificationTitle } from '../../../src/sinks/alerts/notificationText.js';

const T0 = Date.parse('2026-12-07T08:00:00Z');
const minute = (m: number): Date => new Date(T0 + m * 60_000);
const QUEUE = 'canary-probes-poison';

function observe(prev: PoisonState | undefined, count: number | undefined, m: number, runId = `run-${m}`) {
  return observePoison(prev, count, { region: 'swedencentral', queue: QUEUE, runId }, minute(m), 6);
}

const kinds = (ns: Notification[]) => ns.map((n) => n.kind);

describe('poison-queue rules', () => {
  it('opens one alert at the first message, reminds after 6 h with the count then, recovers once when empty', () => {
    expect(observe(undefined, 0, 0)).toMatchObject({ notifications: [], state: { pending: [] } });
    expect(observe(undefined, 0, 0).state.open).toBeUndefined();

    const opened = observe(undefined, 3, 1);
    expect(kinds(opened.notifications)).toEqual(['alert']);
    const alert = opened.notifications[0]!;
    expect(alert).toMatchObject({
      id: 'alert:swedencentral/_poison:run-1',
      category: 'poison',
      region: 'swedencentral',
      target: '_poison',
      opening: { failureClass: 'probe_poisoned', headline: `3 probe messages in ${QUEUE}` },
      poison: { region: 'swedencentral', queue: QUEUE, count: 3, peak: 3, at: minute(1).toISOString() },
    });
    expect(notificationTitle(alert)).toBe(`☠️ swedencentral: 3 probe messages in the poison queue ${QUEUE}`);
    expect(alert.notice!.lead).toMatch(/threw on both attempts .* the canary's own fault, never the service's/);
    expect(alert.notice!.lead).toMatch(/"configuration error:"/);
    expect(opened.state.open!.failureClass).toBe('probe_poisoned');
    expect(opened.state.pending.map((n) => n.id)).toEqual([alert.id]);

    // more messages, fewer messages: nothing new before the reminder interval
    const more = observe(opened.state, 7, 2);
    expect(more.notifications).toEqual([]);
    const fewer = observe(more.state, 2, 6 * 60);
    expect(fewer.notifications).toEqual([]);
    const reminded = observe(fewer.state, 1, 1 + 6 * 60);
    expect(kinds(reminded.notifications)).toEqual(['reminder']);
    expect(notificationTitle(reminded.notifications[0]!)).toBe(
      `☠️ swedencentral: still 1 probe message in the poison queue ${QUEUE}`,
    );
    expect(reminded.notifications[0]!.poison).toMatchObject({ count: 1, peak: 7 });
    expect(reminded.notifications[0]!.opening.runId).toBe('run-1');
    expect(observe(reminded.state, 1, 2 + 6 * 60).notifications).toEqual([]);

    const empty = observe(reminded.state, 0, 3 + 6 * 60);
    expect(kinds(empty.notifications)).toEqual(['recovery']);
    const recovery = empty.notifications[0]!;
    expect(notificationTitle(recovery)).toBe(`✅ swedencentral: the poison queue ${QUEUE} is empty again`);
    expect(recovery.notice!.lead).toMatch(/held at most 7 probe messages\. The alert was opened 2026-12-07 08:01 UTC/);
    expect(empty.state.open).toBeUndefined();
    // empty again and again: nothing more; a new message opens a new alert
    const still = observe(empty.state, 0, 4 + 6 * 60);
    expect(still.notifications).toEqual([]);
    expect(kinds(observe(still.state, 1, 5 + 6 * 60).notifications)).toEqual(['alert']);
  });

  it('a count that could not be read, and a second observation of the same minute, change nothing', () => {
    const opened = observe(undefined, 2, 1);
    for (const bad of [undefined, Number.NaN, -1]) {
      expect(observe(undefined, bad, 1)).toMatchObject({ notifications: [], state: { pending: [] } });
      const unread = observe(opened.state, bad, 400);
      expect(unread.notifications).toEqual([]);
      expect(unread.state).toBe(opened.state);
    }
    // an unreadable count is not a recovery either: the alert stays open until 0 is read
    expect(observe(opened.state, undefined, 2).state.open).toBeDefined();
    // two planners of one minute (same run id): one card; a reminder-due count of the same minute: still none
    expect(observe(opened.state, 2, 1, 'run-1').state).toBe(opened.state);
    expect(observe(opened.state, 0, 1, 'run-1').notifications).toEqual([]);
  });

  it('pages with its own dedup key at severity error, resolves on recovery, and reminds no one', () => {
    const opened = observe(undefined, 1, 1);
    const [trigger] = pagerDutyEvents(opened.notifications[0]!, 'rk');
    expect(trigger).toMatchObject({
      event_action: 'trigger',
      dedup_key: '_poison@swedencentral',
      payload: {
        severity: 'error',
        class: 'probe_poisoned',
        summary: `☠️ swedencentral: 1 probe message in the poison queue ${QUEUE}`,
        custom_details: { category: 'poison', poison: { count: 1, queue: QUEUE } },
      },
    });
    const reminded = observe(opened.state, 1, 1 + 6 * 60);
    expect(pagerDutyEvents(reminded.notifications[0]!, 'rk')).toEqual([]);
    const recovered = observe(reminded.state, 0, 2 + 6 * 60);
    expect(pagerDutyEvents(recovered.notifications[0]!, 'rk')).toEqual([
      { routing_key: 'rk', event_action: 'resolve', dedup_key: '_poison@swedencentral' },
    ]);
  });
});
