/**
 * docs/deploy.md's runbook matches the cards: every title the code writes — an incident's alert, reminder and
 * recovery, a configuration, capacity, budget and retirement card, a silent region and its return, queue mode's
 * poison queue (its alert, reminder and recovery), a mute's end and the test card — matches a title in the runbook's first column (`…` and `<…>` standing for any text, figures for
 * any figures), so a new kind of card or a changed title fails here until the runbook says what it means.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { nextAlertState, type AlertState, type Notification } from '../../src/sinks/alerts/alertState.js';
import { notificationTitle, TEST_ID_PREFIX } from '../../src/sinks/alerts/notificationText.js';
import { muteEndNotice, poisonNotice, silenceNotice } from '../../src/sinks/alerts/notices.js';
import { PROBLEM_WORDS } from '../../src/analysis/problems.js';
import type { RunSummary } from '../../src/runSummary.js';
import { makeRunSummary } from '../helpers/runSummary.js';

const DEPLOY = readFileSync(new URL('../../docs/deploy.md', import.meta.url), 'utf8');
const T0 = Date.parse('2026-11-02T10:00:00Z');

/** The runbook's card titles, as patterns. */
function runbookTitles(): RegExp[] {
  const section = DEPLOY.split('### Runbook: what each card means and what to do first')[1]!.split('\n### ')[0]!;
  const rows = section.split('\n').filter((l) => l.startsWith('| `'));
  return rows.flatMap((row) =>
    [...row.split(' | ')[0]!.matchAll(/`([^`]+)`/g)].map((m) => {
      const text = m[1]!.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      return new RegExp(`^${text.replace(/…|&lt;[^&]*&gt;|<[^>]*>/g, '.+').replace(/\d+(\\\.\d+)?/g, '[\\d.]+')}`);
    }),
  );
}

/** Alert, reminder and recovery of a target whose runs are `over` (K = 1, N = 1, reminders after 1 h). */
function cards(over: Partial<RunSummary>): Notification[] {
  let state: AlertState | undefined;
  const out: Notification[] = [];
  (['fail', 'fail', 'pass'] as const).forEach((verdict, i) => {
    const at = new Date(T0 + i * 3_600_000);
    const run = makeRunSummary({
      ...over,
      ...(verdict === 'pass' ? { category: undefined, problem: undefined } : {}),
      runId: `r${i}`,
      startedAt: at.toISOString(),
      verdict,
    });
    const step = nextAlertState(state, run, at, { k: 1, n: 1, reminderHours: 1 });
    state = step.state;
    out.push(...step.notifications);
  });
  return out;
}

describe("docs/deploy.md's runbook", () => {
  it('has a row for every title the cards have', () => {
    const host = 'canary-swe.openai.azure.com';
    const problem = (kind: 'auth' | 'rate-limited') => ({ kind, what: PROBLEM_WORDS[kind].what(host, 'gpt-realtime') });
    const incident = cards({});
    const configuration = cards({ category: 'configuration', problem: problem('auth') });
    const capacity = cards({ category: 'capacity', problem: problem('rate-limited') });
    const [alert] = incident;
    expect(incident.map((n) => n.kind)).toEqual(['alert', 'reminder', 'recovery']);
    const at = '2026-11-02T10:00:00.000Z';
    const budget = (headline: string): Notification => ({
      ...alert!,
      category: 'budget',
      summary: { ...alert!.summary, headline },
    });
    const retirement: Notification = {
      ...alert!,
      category: 'lifecycle',
      summary: {
        ...alert!.summary,
        retirement: { model: 'gpt-realtime-mini-2025-12-15', retiresOn: '2026-12-15' } as RunSummary['retirement'],
      },
    };
    const silence = {
      region: 'francecentral',
      lastRoundAt: at,
      lastRoundId: 'r1',
      intervalMs: 600_000,
      silentForMs: 2_040_000,
      noticedBy: 'swedencentral',
      targets: ['aoai-fr'],
    };
    const titles = [
      ...[...incident, ...configuration, ...capacity].map(notificationTitle),
      notificationTitle(budget('80 % of the daily budget reached: $96.00 of $120.00 on 2026-11-02.')),
      notificationTitle(
        budget(
          'Daily budget used up: $120.00 of $120.00 on 2026-11-02; targets it cannot cover are not probed until 00:00 UTC.',
        ),
      ),
      notificationTitle(retirement),
      notificationTitle({ ...alert!, id: `${TEST_ID_PREFIX}swedencentral:r0` }),
      silenceNotice('alert', silence).title,
      silenceNotice('reminder', silence).title,
      silenceNotice('recovery', silence).title,
      silenceNotice('recovery', { ...silence, lastRoundAt: undefined }).title,
      ...(['alert', 'reminder', 'recovery'] as const).flatMap((kind) =>
        [1, 3].map(
          (count) =>
            poisonNotice(kind, { region: 'swedencentral', queue: 'canary-probes-poison', count, at, peak: 3 }).title,
        ),
      ),
      ...[[], [{ target: 'aoai-fr', region: 'francecentral', openedAt: at, headline: 'x' }]].map(
        (stillFailing) =>
          muteEndNotice({
            scope: 'group gpt-realtime',
            until: at,
            reason: 'upgrade',
            held: 2,
            stillFailing,
            stillMuted: [],
          } as unknown as Parameters<typeof muteEndNotice>[0]).title,
      ),
    ];
    const patterns = runbookTitles();
    expect(patterns.length).toBeGreaterThan(10);
    expect(titles.filter((t) => !patterns.some((p) => p.test(t)))).toEqual([]);
  });
});
