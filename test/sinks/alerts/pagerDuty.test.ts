/**
 * What PagerDuty gets (Events API v2): a trigger per alert with dedup key target@region, a resolve per recovery,
 * nothing for reminders, budget and model-retirement notices, severity by category (unknown categories still page),
 * links to the report, evidence and dashboard, and a summary within PagerDuty's 1024 characters.
 */
import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertState, type Notification } from '../../../src/sinks/alerts/alertState.js';
import { pagerDutyEvents, pagerDutySeverity } from '../../../src/sinks/alerts/pagerDuty.js';
import { observeRegion } from '../../../src/sinks/alerts/watchdog.js';
import { makeHeartbeat, minute } from '../../helpers/heartbeat.js';
import { makeRunSummary } from '../../helpers/runSummary.js';
import type { RunSummary } from '../../../src/runSummary.js';

const KEY = 'Abc123def456ghi789jkl012mno345pq';
const LINKS = {
  reportUrl: 'https://app/reports/runs/r/report.html',
  evidenceUrl: 'https://app/reports/runs/r/evidence.zip',
  dashboardUrl: 'https://app/dashboard',
};
const T0 = Date.parse('2026-11-02T10:00:00Z');

/** Notifications of a target failing `fails` times then passing `passes` times (K = 1, N = 1, reminders after 1 h). */
function lifecycle(over: Partial<RunSummary>, verdicts: ('fail' | 'pass')[]): Notification[] {
  let state: AlertState | undefined;
  const out: Notification[] = [];
  verdicts.forEach((verdict, i) => {
    const at = new Date(T0 + i * 3_600_000);
    const run = makeRunSummary({ ...over, runId: `r${i}`, startedAt: at.toISOString(), verdict });
    const step = nextAlertState(state, run, at, { k: 1, n: 1, reminderHours: 1 });
    state = step.state;
    out.push(...step.notifications);
  });
  return out;
}

describe('PagerDuty events', () => {
  it('trigger on open, nothing for a reminder, resolve on recovery, all with one dedup key', () => {
    const [alert, reminder, recovery] = lifecycle({}, ['fail', 'fail', 'pass']);
    expect([alert!.kind, reminder!.kind, recovery!.kind]).toEqual(['alert', 'reminder', 'recovery']);
    const [trigger] = pagerDutyEvents(alert!, KEY, LINKS);
    expect(trigger).toMatchObject({
      routing_key: KEY,
      event_action: 'trigger',
      dedup_key: 'aoai-sweden@swedencentral',
      payload: {
        summary: '🔴 aoai-sweden @ swedencentral: 3.1 s silent gap in 3 of 6 turns',
        source: 'canary-swe.openai.azure.com',
        severity: 'critical',
        component: 'aoai-sweden',
        group: 'gpt-realtime',
        class: 'silent_gap',
        custom_details: { region: 'swedencentral', category: 'incident', failingRuns: '1 of the last 1' },
      },
      links: [
        { href: LINKS.reportUrl, text: 'Report' },
        { href: LINKS.evidenceUrl, text: 'Evidence (zip)' },
        { href: LINKS.dashboardUrl, text: 'Dashboard' },
      ],
      client: 'realtime-canary',
      client_url: LINKS.dashboardUrl,
    });
    expect(pagerDutyEvents(reminder!, KEY, LINKS)).toEqual([]);
    expect(pagerDutyEvents(recovery!, KEY, LINKS)).toEqual([
      { routing_key: KEY, event_action: 'resolve', dedup_key: 'aoai-sweden@swedencentral' },
    ]);
  });

  it("carries a WebRTC run's call id beside the session and request ids, and no such field for a WebSocket run", () => {
    const details = (over: Partial<RunSummary>): Record<string, unknown> => {
      const [event] = pagerDutyEvents(lifecycle(over, ['fail'])[0]!, KEY, LINKS);
      return event && 'payload' in event ? event.payload.custom_details : {};
    };
    expect(details({ callId: 'rtc_u1_9c2f0d' })).toMatchObject({ webrtcCallId: 'rtc_u1_9c2f0d', run: 'r0' });
    expect(details({})).not.toHaveProperty('webrtcCallId');
  });

  it('takes its severity from the category; categories it does not know page as errors', () => {
    expect(['incident', 'capacity', 'configuration', 'watchdog', 'something-new'].map(pagerDutySeverity)).toEqual([
      'critical',
      'error',
      'warning',
      'error',
      'error',
    ]);
    const [config] = lifecycle({ category: 'configuration', headline: 'HTTP 401 Unauthorized' }, ['fail']);
    expect(pagerDutyEvents(config!, KEY)[0]).toMatchObject({ payload: { severity: 'warning' }, links: [] });
    const budget: Notification = { ...config!, category: 'budget' };
    expect(pagerDutyEvents(budget, KEY)).toEqual([]);
    // a 📅 retirement notice is announced once and never resolved: it stays in the chat channel
    const retiring: Notification = { ...config!, category: 'lifecycle' };
    expect(pagerDutyEvents(retiring, KEY)).toEqual([]);
  });

  it('keeps the summary within 1024 characters', () => {
    const [alert] = lifecycle({ findingCodes: [], verdict: 'fail', headline: 'x '.repeat(2000) }, ['fail']);
    const summary = (
      pagerDutyEvents({ ...alert!, summary: { ...alert!.summary, findingCodes: [] } }, KEY)[0] as {
        payload: { summary: string };
      }
    ).payload.summary;
    expect(Array.from(summary).length).toBeLessThanOrEqual(1024);
  });

  it('pages a silent region as an error under its own key, links only to the dashboard', () => {
    const observer = { region: 'westeurope', roundId: 'w' };
    const [n] = observeRegion(undefined, 'eastus2', makeHeartbeat(0), observer, minute(30), 6).notifications;
    const [e] = pagerDutyEvents(n!, KEY, { dashboardUrl: LINKS.dashboardUrl });
    expect(e).toMatchObject({
      event_action: 'trigger',
      dedup_key: '_watchdog@eastus2',
      payload: { severity: 'error', class: 'region_silent', source: 'eastus2' },
      links: [{ href: LINKS.dashboardUrl, text: 'Dashboard' }],
    });
  });

  it('triggers each target still failing when a mute ends, and nothing when all pass', () => {
    const [alert] = lifecycle({}, ['fail']);
    const muteEnd = {
      scope: 'group gpt-realtime',
      until: new Date(T0).toISOString(),
      held: 2,
      stillFailing: [
        {
          target: 'a',
          region: 'swedencentral',
          openedAt: new Date(T0).toISOString(),
          failureClass: 'silent_gap',
          category: 'incident',
        },
        {
          target: 'b',
          region: 'eastus2',
          openedAt: new Date(T0).toISOString(),
          failureClass: 'rate_limited',
          category: 'capacity',
        },
      ],
      stillMuted: [],
    };
    const ended: Notification = { ...alert!, category: 'mute', muteEnd };
    expect(
      pagerDutyEvents(ended, KEY).map((e) => [e.event_action, e.dedup_key, 'payload' in e && e.payload.severity]),
    ).toEqual([
      ['trigger', 'a@swedencentral', 'critical'],
      ['trigger', 'b@eastus2', 'error'],
    ]);
    expect(pagerDutyEvents({ ...ended, muteEnd: { ...muteEnd, stillFailing: [] } }, KEY)).toEqual([]);
  });
});
