/**
 * The cards of notices about no single run — a silent region, its recovery, queue mode's poison queue, a mute's end — read as themselves
 * (their own title, main sentence and facts), open the dashboard rather than a report, pass the Adaptive Cards
 * parser, and say the same in the JSON payload.
 */
import { describe, expect, it } from 'vitest';
import type { Notification } from '../../../src/sinks/alerts/alertState.js';
import { jsonPayload } from '../../../src/sinks/alerts/jsonPayload.js';
import { notificationPlainText } from '../../../src/sinks/alerts/notificationText.js';
import { muteEndNotice, noticeSummary } from '../../../src/sinks/alerts/notices.js';
import { teamsCard, type TeamsEnvelope } from '../../../src/sinks/alerts/teamsCard.js';
import { observePoison } from '../../../src/sinks/alerts/poison.js';
import { observeRegion } from '../../../src/sinks/alerts/watchdog.js';
import { makeHeartbeat, minute } from '../../helpers/heartbeat.js';
import { adaptiveCardProblems } from '../../helpers/adaptiveCards.js';

const DASHBOARD = 'https://canary-app.azurewebsites.net/dashboard';

const json = (e: TeamsEnvelope) => JSON.stringify(e.attachments[0].content);

function silence(): Notification[] {
  const opened = observeRegion(
    undefined,
    'eastus2',
    makeHeartbeat(0),
    { region: 'westeurope', roundId: 'w1' },
    minute(34),
    6,
  );
  const back = observeRegion(
    opened.state,
    'eastus2',
    makeHeartbeat(50),
    { region: 'westeurope', roundId: 'w2' },
    minute(52),
    6,
  );
  return [...opened.notifications, ...back.notifications];
}

describe('notice cards', () => {
  it('a silent region: what is silent since when, what to check, who noticed; the dashboard button', () => {
    const [alert, recovery] = silence();
    const card = teamsCard(alert!, { dashboardUrl: DASHBOARD, reportUrl: 'https://x/reports/index.html' });
    const content = card.attachments[0].content;
    expect(adaptiveCardProblems(content)).toEqual([]);
    expect(json(card)).toContain('💤 eastus2: the canary is silent — no round since 2026-11-24 08:00 UTC');
    expect(json(card)).toContain('34 min, more than two of its 10 min intervals');
    expect(json(card)).toContain('the canary in westeurope');
    expect(json(card)).toContain('aoai, openai');
    expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open dashboard', url: DASHBOARD }]);
    expect(content.body[0]).toMatchObject({ style: 'attention' });

    const back = teamsCard(recovery!, { dashboardUrl: DASHBOARD });
    expect(adaptiveCardProblems(back.attachments[0].content)).toEqual([]);
    expect(json(back)).toContain('✅ eastus2: the canary is running again');
    expect(json(back)).toContain('after 50 min of silence');
    expect(back.attachments[0].content.body[0]).toMatchObject({ style: 'good' });

    const payload = jsonPayload(alert!, undefined, { dashboardUrl: DASHBOARD });
    expect(payload).toMatchObject({ category: 'watchdog', region: 'eastus2', evidenceUrl: null });
    expect(payload.text).toBe(notificationPlainText(alert!));
  });

  it('the poison queue: the count, the queue, what it means and what to do first; the dashboard button', () => {
    const where = { region: 'swedencentral', queue: 'canary-probes-poison' };
    const opened = observePoison(undefined, 4, { ...where, runId: 'p1' }, minute(5), 6);
    const back = observePoison(opened.state, 0, { ...where, runId: 'p2' }, minute(65), 6);
    const [alert, recovery] = [...opened.notifications, ...back.notifications];
    const card = teamsCard(alert!, { dashboardUrl: DASHBOARD });
    const content = card.attachments[0].content;
    expect(adaptiveCardProblems(content)).toEqual([]);
    expect(json(card)).toContain('☠️ swedencentral: 4 probe messages in the poison queue canary-probes-poison');
    expect(json(card)).toContain("the canary's own fault, never the service's");
    expect(json(card)).toContain('4 (approximate), at most 4 since the alert opened');
    expect(content.actions).toEqual([{ type: 'Action.OpenUrl', title: 'Open dashboard', url: DASHBOARD }]);
    expect(content.body[0]).toMatchObject({ style: 'attention' });

    const good = teamsCard(recovery!, { dashboardUrl: DASHBOARD });
    expect(adaptiveCardProblems(good.attachments[0].content)).toEqual([]);
    expect(json(good)).toContain('✅ swedencentral: the poison queue canary-probes-poison is empty again');
    expect(good.attachments[0].content.body[0]).toMatchObject({ style: 'good' });

    const payload = jsonPayload(alert!, undefined, { dashboardUrl: DASHBOARD });
    expect(payload).toMatchObject({ category: 'poison', poison: { count: 4 }, evidenceUrl: null });
    expect(payload.text).toBe(notificationPlainText(alert!));
  });

  it('the end of a mute: what is still failing, what was held, the reason', () => {
    const muteEnd = {
      scope: 'group gpt-realtime',
      until: minute(60).toISOString(),
      reason: 'planned upgrade',
      held: 3,
      stillFailing: [
        {
          target: 'aoai-sweden',
          region: 'swedencentral',
          openedAt: minute(10).toISOString(),
          headline: '2.6 s silent gap',
          failureClass: 'silent_gap',
          category: 'incident',
        },
      ],
      stillMuted: ['aoai-france @ francecentral (target aoai-france)'],
    };
    const notice = muteEndNotice(muteEnd);
    const at = minute(61).toISOString();
    const summary = noticeSummary({
      runId: 'r',
      at,
      region: 'swedencentral',
      target: 'gpt-realtime',
      verdict: 'fail',
      headline: notice.title,
    });
    const n: Notification = {
      id: 'mute:group-gpt-realtime',
      kind: 'alert',
      category: 'mute',
      createdAt: at,
      region: 'swedencentral',
      target: 'gpt-realtime',
      summary,
      opening: { openedAt: at, runId: 'r', runStartedAt: at, headline: notice.title, failureClass: 'mute_ended' },
      window: { failing: 1, of: 1 },
      sinceOpen: { runs: 0, failing: 0 },
      muteEnd,
      notice,
    };
    const card = teamsCard(n, { dashboardUrl: DASHBOARD });
    expect(adaptiveCardProblems(card.attachments[0].content)).toEqual([]);
    const text = json(card);
    expect(text).toContain('🔔 Mute of group gpt-realtime ended: 1 still failing');
    expect(text).toContain('(planned upgrade)');
    expect(text).toContain('Still failing: aoai-sweden @ swedencentral since 2026-11-24 08:10 UTC — 2.6 s silent gap');
    expect(text).toContain('Still muted by another mute: aoai-france @ francecentral (target aoai-france)');
    expect(text).toContain('3 notifications');
    expect(card.attachments[0].content.actions).toEqual([
      { type: 'Action.OpenUrl', title: 'Open dashboard', url: DASHBOARD },
    ]);
    expect(muteEndNotice({ ...muteEnd, stillFailing: [], stillMuted: [] }).title).toBe(
      '🔔 Mute of group gpt-realtime ended: nothing is failing',
    );
  });
});
