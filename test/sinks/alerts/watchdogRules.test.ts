/**
 * The watchdog's rules, pure: a silent region opens one alert whoever observes it, reminds after the reminder
 * interval, recovers once on a live heartbeat, never reopens from an observer that read an older heartbeat, and a
 * removed heartbeat closes what is open.
 */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/sinks/alerts/alertState.js';
import { observeRegion, type Heartbeat, type WatchdogState } from '../../../src/sinks/alerts/watchdog.js';
import { makeHeartbeat, minute } from '../../helpers/heartbeat.js';

function observe(prev: WatchdogState | undefined, hb: Heartbeat | undefined, by: string, m: number) {
  return observeRegion(prev, 'eastus2', hb, { region: by, roundId: `${by}-${m}` }, minute(m), 6);
}

const kinds = (ns: Notification[]) => ns.map((n) => n.kind);

describe('watchdog rules', () => {
  it('alerts once when silent past the deadline, from whichever region notices; reminds after 6 h; recovers once', () => {
    expect(observe(undefined, makeHeartbeat(0), 'westeurope', 20).notifications).toEqual([]); // not past 08:20 yet
    const opened = observe(undefined, makeHeartbeat(0), 'westeurope', 21);
    expect(kinds(opened.notifications)).toEqual(['alert']);
    const alert = opened.notifications[0]!;
    expect(alert).toMatchObject({
      id: 'alert:eastus2/_watchdog:westeurope:westeurope-21',
      category: 'watchdog',
      region: 'eastus2',
      target: '_watchdog',
      opening: { failureClass: 'region_silent' },
      silence: {
        region: 'eastus2',
        lastRoundAt: minute(0).toISOString(),
        silentForMs: 21 * 60_000,
        noticedBy: 'westeurope',
      },
    });
    expect(alert.notice!.title).toBe('💤 eastus2: the canary is silent — no round since 2026-11-24 08:00 UTC');
    expect(opened.state.pending.map((n) => n.category)).toEqual(['watchdog']);
    expect(opened.state.open!.failureClass).toBe('region_silent');

    const again = observe(opened.state, makeHeartbeat(0), 'northeurope', 22);
    expect(again.notifications).toEqual([]);
    const reminded = observe(again.state, makeHeartbeat(0), 'northeurope', 21 + 6 * 60);
    expect(kinds(reminded.notifications)).toEqual(['reminder']);
    expect(reminded.notifications[0]!.notice!.title).toMatch(/^💤 eastus2: the canary is still silent/);

    const back = observe(reminded.state, makeHeartbeat(400), 'westeurope', 405);
    expect(kinds(back.notifications)).toEqual(['recovery']);
    expect(back.notifications[0]!.notice!.title).toBe('✅ eastus2: the canary is running again');
    expect(back.notifications[0]!.notice!.lead).toMatch(/after 6 h 40 min of silence/);
    expect(back.state.open).toBeUndefined();
    expect(back.state.heartbeat!.at).toBe(minute(400).toISOString());

    // a round that read the heartbeat before eastus2 came back judges by the newer one the state has seen
    const stale = observe(back.state, makeHeartbeat(0), 'northeurope', 406);
    expect(stale.notifications).toEqual([]);
    expect(stale.state.open).toBeUndefined();
  });

  it('closes an open alert about a region whose heartbeat was removed, and otherwise observes nothing without one', () => {
    expect(observe(undefined, undefined, 'westeurope', 30)).toMatchObject({ notifications: [] });
    const opened = observe(undefined, makeHeartbeat(0), 'westeurope', 30);
    const retired = observe(opened.state, undefined, 'westeurope', 40);
    expect(kinds(retired.notifications)).toEqual(['recovery']);
    expect(retired.notifications[0]!.notice!.title).toBe('✅ eastus2: no longer watched (its heartbeat was removed)');
  });
});
